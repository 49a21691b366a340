# Crash safety of bulk import: an import killed with SIGKILL at several points (validating,
# early, middle and late in writing) leaves a database that passes PRAGMA integrity_check and
# holds none of the batch; an import left to finish holds all of it.
# Env from ctest: LINEAGE_CLI.
set -euo pipefail
CLI=${LINEAGE_CLI:?LINEAGE_CLI is not set}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lineage-crash-test.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
ROWS=20000

# A lineage file that creates its assets: 20,000 edges, 40,000 assets.
"$PY" - "$TMP/big.csv" "$ROWS" <<'PYEOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("source,target,source_kind,target_kind,confidence\n")
    for i in range(int(sys.argv[2])):
        f.write(f"wh.sales.t{i:06d},wh.mart.t{i+1:06d},table,table,0.9\n")
PYEOF
"$CLI" --db "$TMP/base.db" init >/dev/null
printf 'key,kind\nseed.asset,table\n' >"$TMP/seed.csv"
"$CLI" --db "$TMP/base.db" import "$TMP/seed.csv" >/dev/null

counts() { # DB -> "integrity assets edges"
  "$PY" - "$1" <<'PYEOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
print(ok, c.execute("select count(*) from assets").fetchone()[0], c.execute("select count(*) from edges").fetchone()[0])
PYEOF
}

# kill_at STAGE N: run the import, kill it once it reported STAGE at N rows or more.
kill_at() {
  local stage=$1 at=$2 db=$TMP/kill-$1-$2.db log=$TMP/log-$1-$2
  cp "$TMP/base.db" "$db"
  : >"$log"
  LINEAGE_PROGRESS_LOG=$log LINEAGE_PROGRESS_PAUSE_MS=150 \
    "$CLI" --db "$db" import "$TMP/big.csv" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if awk -v s="$stage" -v n="$at" '$1 == s && $2 >= n { found = 1 } END { exit !found }' "$log"; then
      break
    fi
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || fail "the import of $stage $at ended before it could be killed"
  wait "$pid" 2>/dev/null || true
  pid=
  read -r ok assets edges <<<"$(counts "$db")"
  [ "$ok" = ok ] || fail "killed at $stage $at: integrity_check says $ok"
  [ "$assets" = 1 ] && [ "$edges" = 0 ] || fail "killed at $stage $at: $assets assets, $edges edges (expected 1 and 0: none of the batch)"
  echo "killed at $stage $at: integrity ok, none of the batch"
}

kill_at validate 4096
kill_at write 4096
kill_at write 8192
kill_at write 16384
kill_at write 20000 # the last report, just before the commit

# Left to finish: all of the batch.
cp "$TMP/base.db" "$TMP/full.db"
"$CLI" --db "$TMP/full.db" import "$TMP/big.csv" >/dev/null
read -r ok assets edges <<<"$(counts "$TMP/full.db")"
[ "$ok" = ok ] && [ "$assets" = $((2 * ROWS + 1)) ] && [ "$edges" = "$ROWS" ] ||
  fail "finished import: $ok $assets assets $edges edges"
echo "crash test: all checks passed"
