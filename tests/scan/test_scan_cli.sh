#!/usr/bin/env bash
# `lineage scan`: the SQL analysis contract, scan runs and their report, errors.
source "$LINEAGE_SOURCE_DIR/tests/cli/lib.sh"
DATA=$LINEAGE_SOURCE_DIR/tests/data

# The contract: --type sql --dialect NAME --dry-run --json FILE|- prints the analysis of the
# whole script, with no database needed.
cat >"$TMP/etl.sql" <<'SQL'
-- staging, then the mart, through a temporary table
CREATE TEMP TABLE tmp_orders AS SELECT o.id, o.amount FROM raw.orders o WHERE o.status = 'paid';
INSERT INTO mart.revenue (order_id, total) SELECT id, SUM(amount) FROM tmp_orders GROUP BY id;
this is not sql at all;
SELECT * FROM raw.customers;
SQL
ok scan --type sql --dialect postgres --dry-run --json "$TMP/etl.sql"
json '
assert d["sources"] == ["raw.customers", "raw.orders"], d["sources"]
assert d["targets"] == ["mart.revenue"], d["targets"]
assert d["intermediates"] == ["tmp_orders"], d["intermediates"]
assert ["raw.orders.amount", "tmp_orders.amount"] in d["column_lineage"]
assert ["tmp_orders.amount", "mart.revenue.total"] in d["column_lineage"]
assert ["tmp_orders.id", "mart.revenue.order_id"] in d["column_lineage"]
assert any(x["line"] == 4 for x in d["diagnostics"]), d["diagnostics"]
'
[ ! -e "$DB" ] || fail "a dry-run SQL analysis created the database"
out=$(printf 'insert into b select a1 as b1 from a' | "$CLI" --db "$DB" scan --type sql --dry-run --json -)
json 'assert d["column_lineage"] == [["a.a1", "b.b1"]], d'

fails 1 'unknown SQL dialect "klingon": use one of ansi, postgres' scan --type sql --dialect klingon --dry-run --json "$TMP/etl.sql"

# --schema FILE: known columns (JSON or a dbt catalog.json) resolve ambiguity and SELECT *.
printf 'create table out as select name, total from users join orders on users.id = orders.uid;\n' >"$TMP/amb.sql"
printf '{"users": ["id", "name"], "orders": ["uid", "total"]}' >"$TMP/schema.json"
ok scan --type sql --schema "$TMP/schema.json" --dry-run --json "$TMP/amb.sql"
json 'assert ["users.name", "out.name"] in d["column_lineage"] and ["orders.total", "out.total"] in d["column_lineage"], d'
ok scan --type sql --dry-run --json "$TMP/amb.sql"
json 'assert d["column_lineage"] == [] and any("ambiguous" in x["reason"] for x in d["diagnostics"]), d'
printf '{"nodes": {"model.p.users": {"metadata": {"schema": "s", "name": "users"}, "columns": {"ID": {}, "NAME": {}}}}}' >"$TMP/catalog.json"
printf 'create table out as select * from s.users;\n' >"$TMP/star.sql"
ok scan --type sql --dialect snowflake --schema "$TMP/catalog.json" --dry-run --json "$TMP/star.sql"
json 'assert ["s.users.name", "out.name"] in d["column_lineage"], d'
printf '[1, 2' >"$TMP/bad.json"
fails 2 '--schema' scan --type sql --schema "$TMP/bad.json" --dry-run --json "$TMP/amb.sql"
fails 1 'cannot read' scan --type sql --schema "$TMP/missing.json" --dry-run --json "$TMP/amb.sql"

# A scan run stores inferred edges; the report counts them.
ok init
ok scan "$TMP/etl.sql" --dialect postgres --json
json '
assert d["edges"]["created"] >= 3, d
assert d["statements"] == 4, d
assert d["dry_run"] is False and d["batch_id"] > 0
assert any(x["severity"] == "error" and x["line"] == 4 for x in d["diagnostics"])
'
ok edge list mart.revenue --json
json 'assert all(e["lineage_source"] == "inferred" for e in d["edges"]), d'
ok pending --json
json 'assert len(d["edges"]) >= 3'
# Again: unchanged, nothing retired.
ok scan "$TMP/etl.sql" --dialect postgres --json
json 'assert d["edges"]["created"] == 0 and d["edges"]["retired"] == 0 and d["edges"]["unchanged"] >= 3, d'
# The script loses its INSERT: its edges are retired.
sed -i '/INSERT INTO/d' "$TMP/etl.sql"
ok scan "$TMP/etl.sql" --dialect postgres --json
json 'assert d["edges"]["retired"] >= 2, d'
ok history mart.revenue --json
contains '"retire"'

# Several kinds at once: a dbt project and OpenLineage events; human output.
ok scan "$DATA/dbt/shop" "$DATA/openlineage"
contains "Scan: 2 inputs"
contains "run.runId is missing"
contains "lineage revert"
ok upstream analytics.marts.dim_customers.lifetime_value --json
json 'assert "app.public.orders.amount_cents" in [n["key"] for n in d["nodes"]], d'
# --strict turns input errors into exit status 2.
rc=0; l scan "$DATA/openlineage" --strict >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "--strict with invalid events exited $rc"
fails 2 'standard input is read only with --type sql --dry-run --json' scan -
fails 1 'unknown scanner type "cobol"' scan --type cobol "$TMP/etl.sql"
fails 1 'cannot read /nonexistent' scan /nonexistent/x.sql
# The stored lineage as OpenLineage events, read back by the OpenLineage scanner.
ok export --format openlineage -o "$TMP/events.jsonl"
[ -s "$TMP/events.jsonl" ] || fail "no OpenLineage events exported"
head -1 "$TMP/events.jsonl" >"$TMP/first.json"
out=$(cat "$TMP/first.json")
json 'assert d["schemaURL"].endswith("#/$defs/JobEvent") and "job" in d and d["outputs"], d'
"$CLI" --db "$TMP/back.db" init >/dev/null
out=$("$CLI" --db "$TMP/back.db" scan --type openlineage "$TMP/events.jsonl" --json)
json 'assert d["edges"]["created"] > 5 and d["diagnostics_total"] == 0, d'
ok scan --help
contains "--dialect"
echo "$checks passed, 0 failed"
