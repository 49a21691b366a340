#!/usr/bin/env bash
# `lineage scan` on damaged inputs: no crash, a report that is valid JSON whatever bytes the
# input quotes, no batch when nothing changed.
source "$LINEAGE_SOURCE_DIR/tests/cli/lib.sh"
HEAD='{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, '
ok init

# A uid under "sources" (typed) and under "nodes" (untyped), depending on another source.
cat >"$TMP/manifest.json" <<JSON
$HEAD "sources": {"source.p.raw.orders": {"resource_type": "source", "schema": "raw", "name": "orders"},
                  "source.p.raw.items": {"resource_type": "source", "schema": "raw", "name": "items"}},
      "nodes": {"source.p.raw.orders": {"depends_on": {"nodes": ["source.p.raw.items"]}}}}
JSON
ok scan --type dbt "$TMP/manifest.json" --json
json 'assert d["assets"]["created"] == 3 and d["edges"]["found"] == 0, d'

# A backslash before a two-byte character: the parse error quotes its first byte alone.
printf '%s"nodes": {"a": "\\\xc3\xa9"}}' "$HEAD" >"$TMP/cut.json"
ok scan --type dbt "$TMP/cut.json" --json
json '
assert d["batch_id"] == 0 and d["diagnostics_total"] == 1, d
assert "not valid JSON" in d["diagnostics"][0]["message"], d
'
printf '%s\n%s\n' '{"eventType": "COMPLETE", "run": {"runId": "r"}, "job": {"namespace": "n", "name": "j"}, "inputs": [{"namespace": "pg://h", "name": "a"}], "outputs": [{"namespace": "pg://h", "name": "b"}]}' \
  "$(printf '{"x": "\\\xc3\xa9"}')" >"$TMP/events.jsonl"
ok scan --type openlineage "$TMP/events.jsonl" --json
json 'assert d["batch_id"] > 0 and d["edges"]["created"] == 1 and d["diagnostics_total"] == 1, d'
ok edge list b --json
json 'assert len(d["edges"]) == 1, d'

# The same again: nothing changed, no batch.
ok scan --type openlineage "$TMP/events.jsonl"
contains "Nothing changed: no batch was recorded."
echo "$checks passed, 0 failed"
