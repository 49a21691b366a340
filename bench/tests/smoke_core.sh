#!/usr/bin/env bash
# bench_generate and bench_core at a tiny scale: the programs work, their JSON lines parse,
# and the engine agrees with the CSR and CTE baselines on every closure (exit status 0).
set -euo pipefail
B="$LINEAGE_BUILD_DIR/bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The generator writes a database and one JSON line; it refuses to overwrite.
"$B/bench_generate" --assets 3000 --out "$tmp/w.db" --quiet >"$tmp/gen.json"
grep -q '"benchmark":"generate"' "$tmp/gen.json" || fail "no JSON from bench_generate"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["assets"]>2500 and d["edges"]>5000, d' "$tmp/gen.json"
if "$B/bench_generate" --assets 3000 --out "$tmp/w.db" --quiet 2>"$tmp/err"; then
	fail "bench_generate overwrote an existing file"
fi
grep -q "already exists" "$tmp/err" || fail "no clear message for an existing file"
"$B/bench_generate" --out "$tmp/w.db" --bogus 2>/dev/null && fail "unknown flag accepted"
"$B/bench_generate" --help | grep -q -- "--assets" || fail "no --help"

# The core benchmark on that file; every closure must agree (exit 3 otherwise).
"$B/bench_core" --db "$tmp/w.db" --reuse --roots 60 --deep-roots 15 --impact-roots 10 \
	--writes 15 --cte-roots 15 --cte-depth3-roots 30 --quiet --json "$tmp/core.json" \
	>"$tmp/core.txt" || fail "bench_core failed: $(cat "$tmp/core.txt")"
grep -q "engine, CSR and CTE agree" "$tmp/core.txt" || fail "no agreement line"
tail -n 1 "$tmp/core.txt" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["benchmark"] == "core" and d["mismatches"] == 0, d
assert d["upstream_d3"]["n"] == 60 and d["downstream_all"]["n"] == 15, d
assert d["write_then_query"]["n"] > 0 and d["cte_unlimited_closures"] > 0 and d["downstream_large"]["n"] > 0, d
assert set(d["targets"]) >= {"closure_vs_csr", "cte_vs_closure", "depth3_p50",
    "write_then_query_p50", "open_to_first_query", "peak_rss"}, d
'
cmp -s <(tail -n 1 "$tmp/core.txt") "$tmp/core.json" || fail "--json file differs from stdout"

# An existing file is neither reused nor replaced unless asked.
if "$B/bench_core" --db "$tmp/w.db" --quiet 2>"$tmp/err" >/dev/null; then
	fail "bench_core used an existing file without --reuse"
fi
grep -q -- "--reuse" "$tmp/err" || fail "no hint about --reuse"

# Without a file, bench_core generates one itself (in a child process).
"$B/bench_core" --db "$tmp/g.db" --assets 1500 --roots 20 --deep-roots 5 --impact-roots 5 \
	--writes 5 --cte-roots 5 --cte-depth3-roots 5 --quiet >"$tmp/gen_core.txt" \
	|| fail "bench_core with generation failed: $(cat "$tmp/gen_core.txt")"
tail -n 1 "$tmp/gen_core.txt" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["load"] is not None and d["load"]["assets"] > 1000 and d["mismatches"] == 0, d
'
echo "ok"
