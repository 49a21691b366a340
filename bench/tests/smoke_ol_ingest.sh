#!/usr/bin/env bash
# bench_ol_ingest at a tiny scale: it runs, prints one JSON line with its rates and ratios,
# and the last job's runs are all completed, newest first.
set -euo pipefail
B="$LINEAGE_BUILD_DIR/bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$B/bench_ol_ingest" --jobs 5 --runs 3 --batch 4 --dir "$tmp" >"$tmp/out.json"
python3 - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["bench"] == "ol_ingest" and d["events"] == 30, d
for k in ("scan_events_per_s", "ingest_events_per_s", "ingest_batched_events_per_s",
          "ratio_ingest_vs_scan", "ratio_batched_vs_scan"):
    assert d[k] > 0, (k, d)
runs = d["sample_runs"]
assert runs["status"] == "completed" and len(runs["runs"]) == 3, runs
assert [r["state"] for r in runs["runs"]] == ["completed"] * 3, runs
assert runs["runs"][0]["started_at"] > runs["runs"][1]["started_at"], runs
PY
"$B/bench_ol_ingest" --jobs 0 2>/dev/null && { echo "FAIL: --jobs 0 accepted" >&2; exit 1; }
echo "ok"
