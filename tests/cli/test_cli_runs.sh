#!/usr/bin/env bash
# `lineage ingest` of OpenLineage events (JSON Lines, out of order, one bad line) and
# `lineage runs`: the job's state and run history in the table and in JSON.
source "$(dirname "$0")/lib.sh"
ok init

ev() { # TYPE TIME RUN
  printf '{"eventType":"%s","eventTime":"%s","producer":"https://example.com/t","run":{"runId":"%s"},"job":{"namespace":"airflow","name":"etl.load"},"inputs":[{"namespace":"postgres://db:5432","name":"app.public.orders"}],"outputs":[{"namespace":"postgres://db:5432","name":"wh.raw.orders"}]}\n' "$1" "$2" "$3"
}
{
  ev COMPLETE 2026-12-05T10:02:03Z r1   # before its START: event time wins
  ev START 2026-12-05T10:00:00Z r1
  echo '{"eventType":"START","eventTime":"2026-12-05T11:00:00Z","job":{"namespace":"airflow","name":"etl.load"}}'
  ev START 2026-12-05T11:00:00Z r2
  ev FAIL 2026-12-05T11:00:30.500Z r2
} >"$TMP/events.jsonl"

rc=0
l ingest "$TMP/events.jsonl" >"$TMP/out" 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] || fail "ingest with a refused event: exit $rc, expected 1"
grep -q "events.jsonl:3: event refused: run is missing" "$TMP/err" || fail "no per-line message: $(cat "$TMP/err")"
grep -q "4 events recorded, 1 refused" "$TMP/out" || fail "ingest summary: $(cat "$TMP/out")"

ok runs airflow/etl.load
contains "airflow/etl.load: failed"
contains "r2"
contains "30.5s"
contains "2m03s"
ok runs airflow/etl.load --json
json 'assert d["status"] == "failed", d
assert [r["run_id"] for r in d["runs"]] == ["r2", "r1"], d
assert d["runs"][1]["state"] == "completed" and d["runs"][1]["duration_ms"] == 123000, d'
ok runs airflow/etl.load --json --limit 1
json 'assert len(d["runs"]) == 1'
ok upstream wh.raw.orders --json
contains "app.public.orders"

# The same file again changes nothing.
ok changes --json
before=$(json 'print(len(d["changes"]))' ; true)
l ingest "$TMP/events.jsonl" >/dev/null 2>&1 || true
ok changes --json
after=$out
[ "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["changes"]))' "$after")" = "$before" ] || fail "a second ingest wrote changes"

fails 3 "does not exist" runs airflow/nope
fails 2 "usage: lineage runs JOB" runs
fails 1 "is a table, not a job" runs wh.raw.orders
fails 1 "cannot read" ingest "$TMP/missing.jsonl"
echo "ok: $checks checks"
