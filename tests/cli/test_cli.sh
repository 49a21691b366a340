#!/usr/bin/env bash
# The lineage tool end to end on a small graph: assets, edges, search, review, audit trail,
# stats and backup, and the JSON shapes that scripts rely on (docs/cli.md). Lineage
# questions are in test_cli_query.sh.
source "$(dirname "$0")/lib.sh"

# ---- The small graph of lib.sh, and what adding says
fixture
ok init --json
json 'assert d["path"].endswith("test.db") and isinstance(d["schema_version"], int)'
ok init
contains "$DB"
contains "schema version"
ok asset add extra --kind table
[ "$out" = "created asset extra" ] || fail "asset add output: $out"
ok asset add extra --kind table --status active
[ "$out" = "updated asset extra" ] || fail "asset update output: $out"
ok asset add extra --kind table --status active
[ "$out" = "unchanged asset extra" ] || fail "asset unchanged output: $out"
ok asset rm extra
[[ $e_copy =~ ^[0-9]+$ ]] || fail "edge add prints the edge id, got: $e_copy"
ok asset add src.orders --kind table --status active
ok asset get src.orders --json
json '
for k in ("id", "key", "kind", "name", "parent", "owner", "description", "status", "tags",
          "properties", "created_at", "updated_at"):
    assert k in d, k
assert d["key"] == "src.orders" and d["kind"] == "table" and d["parent"] == "src"
assert d["owner"] == "app-team" and sorted(d["tags"]) == ["core", "pii"]
assert d["properties"] == {"rows": 1200, "engine": "postgres"}, d["properties"]
assert d["status"] == "active" and d["description"] == "Orders of the shop"'
ok asset get src.orders
contains "src.orders"
contains "app-team"
contains "contains     2 assets"
contains "-> stg.orders [manual #$e_copy]"
ok asset add dash.finance --kind dashboard --json
json 'assert d["key"] == "dash.finance" and d["name"] == "Finance dashboard"'

ok edge add stg.orders.amount mart.revenue.total --source inferred --confidence 0.8 --json
json '
for k in ("id", "source", "target", "kind", "job", "lineage_source", "confidence", "status",
          "transformation_type", "transformation", "reviewed_by", "created_at", "updated_at"):
    assert k in d, k
assert d["source"] == "stg.orders.amount" and d["target"] == "mart.revenue.total"
assert d["lineage_source"] == "inferred" and abs(d["confidence"] - 0.8) < 1e-9
assert d["kind"] == "flow" and d["status"] == "active"'
[ "$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$out")" = "$e_col" ] ||
  fail "the same edge added again has another id"
# Adding the same edge again merges into it: same id.
ok edge add src.orders stg.orders --job job.etl
[ "$out" = "$e_copy" ] || fail "same edge, new id: $out vs $e_copy"
ok edge add new.source new.target --create-missing --source-kind file --target-kind table
ok asset get new.source --json
json 'assert d["kind"] == "file"'

ok edge get "$e_copy" --json
json 'assert d["job"] == "job.etl" and d["transformation_type"] == "copy"'
ok edge get "$e_copy"
contains "src.orders -> stg.orders"
ok edge list stg.orders --in --json
json 'assert [(e["source"], e["target"]) for e in d["edges"]] == [("src.orders", "stg.orders")]'
ok edge list src.orders
contains "mart.revenue"

# ---- search
ok search stg.orders --json
json '
r = d["results"]
for a in r:
    assert {"key", "kind", "name"} <= set(a), a
assert r[0]["key"] == "stg.orders", [a["key"] for a in r]'
ok search orders --kind column --json
json 'assert d["results"] and {a["kind"] for a in d["results"]} == {"column"}'
ok search orders --limit 1 --json
json 'assert len(d["results"]) == 1'
ok search "finance dashboard"
contains "dash.finance"
ok search zzznothing
contains "no assets match"

# ---- asset list
ok asset list src.orders --json
json 'assert sorted(a["key"] for a in d["results"]) == ["src.orders.amount", "src.orders.id"]'
ok asset list --kind dashboard
contains "dash.finance"

# ---- review
ok pending --json
json '
c = [e["confidence"] for e in d["edges"]]
assert c == sorted(c) and len(c) == 2, c
assert {e["lineage_source"] for e in d["edges"]} == {"inferred"}'
ok pending
contains "src.orders"
ok approve "$e_col" --by alice --comment "checked" --json
json '
assert d["lineage_source"] == "approved" and d["confidence"] == 1
assert d["reviewed_by"] == "alice" and d["review_comment"] == "checked"'
ok reject "$e_short"
contains "rejected edge $e_short"
ok edge get "$e_short" --json
json 'assert d["status"] == "rejected" and d["reviewed_by"] == "tester"'
ok pending --json
json 'assert d["edges"] == []'

# ---- history, changes, revert
ok history src.orders --json
json '
c = d["changes"]
assert c, d
for x in c:
    assert {"seq", "at", "actor", "action", "entity", "asset_key", "batch_id"} <= set(x), x
seqs = [x["seq"] for x in c]
assert seqs == sorted(seqs, reverse=True), seqs
assert "reject" in [x["action"] for x in c]'
ok history --edge "$e_col" --json
json 'assert d["changes"][0]["action"] == "approve" and d["changes"][0]["actor"] == "alice"'
ok history src.orders --limit 2 --json
json 'assert len(d["changes"]) == 2'
ok history src.orders
contains "reject"
ok changes --json
json '
s = [x["seq"] for x in d["changes"]]
assert s == sorted(s) and len(s) > 10'
last=$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["changes"][-1]["seq"])' "$out")
ok changes --since "$last" --json
json 'assert d["changes"] == []'
ok asset add to.revert --kind table
ok changes --since "$last" --json
batch=$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["changes"][-1]["batch_id"])' "$out")
ok revert "$batch"
contains "reverted batch $batch"
fails 3 'to\.revert' asset get to.revert

# ---- stats, backup, LINEAGE_DB
ok stats --json
json '
assert d["assets"] == 13 and d["edges"] in (6, 7), d
assert "assets_by_kind" in d and "schema_version" in d'
ok stats
contains "assets: 13"
ok backup "$TMP/copy.db"
contains "backed up"
# On a terminal, backup draws a progress line on stderr and clears it.
"$PY" - "$CLI" "$DB" "$TMP/tty-copy.db" <<'PY' || fail "backup progress on a terminal"
import os, pty, sys
cli, db, dest = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ.pop("NO_COLOR", None)
    os.execv(cli, [cli, "--db", db, "backup", dest])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(status) == 0, out
assert b"backup [" in out and b"(100%)" in out and b"\r\033[K" in out, out
assert b"backed up" in out, out
PY
out=$("$CLI" --db "$TMP/copy.db" stats --json)
json 'assert d["assets"] == 13'
out=$(LINEAGE_DB="$TMP/copy.db" "$CLI" asset get lonely --json)
json 'assert d["key"] == "lonely"'
out=$(cd "$TMP" && cp copy.db lineage.db && "$CLI" stats --json)
json 'assert d["assets"] == 13'
out=$("$CLI" asset get lonely --db "$TMP/copy.db" --json)
json 'assert d["key"] == "lonely"'

# ---- removal
ok edge rm "$e_copy"
contains "removed edge $e_copy"
fails 3 "$e_copy" edge get "$e_copy"
ok asset rm lonely --json
json 'assert d["removed"] == "lonely"'
fails 1 'cascade' asset rm src
ok asset rm src --cascade
fails 3 'src\.orders' asset get src.orders.amount

echo "test_cli: $checks checks passed"
