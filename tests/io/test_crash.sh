# Crash safety of bulk import: an import killed with SIGKILL at several points (a lineage file,
# read once: early, middle, and at the last report before the commit; an assets file, read
# twice: validating, and early and late in writing) leaves a database, with all its indexes,
# that passes PRAGMA integrity_check and holds none of the batch; an import left to finish
# holds all of it.
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

# A lineage file that creates its assets (20,000 edges, 40,000 assets), and an assets file
# of 20,000 rows.
"$PY" - "$TMP" "$ROWS" <<'PYEOF'
import sys
folder, rows = sys.argv[1], int(sys.argv[2])
with open(f"{folder}/big.csv", "w") as f:
    f.write("source,target,source_kind,target_kind,confidence\n")
    f.writelines(f"wh.sales.t{i:06d},wh.mart.t{i+1:06d},table,table,0.9\n" for i in range(rows))
with open(f"{folder}/assets.csv", "w") as f:
    f.write("key,kind,owner\n")
    f.writelines(f"wh.raw.t{i:06d},table,team-{i % 7}\n" for i in range(rows))
PYEOF
"$CLI" --db "$TMP/base.db" init >/dev/null
printf 'key,kind\nseed.asset,table\n' >"$TMP/seed.csv"
"$CLI" --db "$TMP/base.db" import "$TMP/seed.csv" >/dev/null

counts() { # DB -> "integrity assets edges" (integrity: "ok" and the edges' two secondary indexes there)
  "$PY" - "$1" <<'PYEOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
indexes = c.execute("select count(*) from sqlite_master where name in ('edges_target', 'edges_job')").fetchone()[0]
if indexes != 2:
    ok = f"{indexes} of the edges' 2 secondary indexes"
print(ok, c.execute("select count(*) from assets").fetchone()[0], c.execute("select count(*) from edges").fetchone()[0])
PYEOF
}

# kill_at FILE STAGE N: import FILE, kill it once it reported STAGE at N (rows or bytes) or more.
kill_at() {
  local file=$1 stage=$2 at=$3 db=$TMP/kill-$1-$2-$3.db log=$TMP/log-$1-$2-$3
  cp "$TMP/base.db" "$db"
  : >"$log"
  LINEAGE_PROGRESS_LOG=$log LINEAGE_PROGRESS_PAUSE_MS=150 \
    "$CLI" --db "$db" import "$TMP/$file" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if awk -v s="$stage" -v n="$at" '$1 == s && $2 >= n { found = 1 } END { exit !found }' "$log"; then
      break
    fi
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || fail "the import of $file ($stage $at) ended before it could be killed"
  wait "$pid" 2>/dev/null || true
  pid=
  read -r ok assets edges <<<"$(counts "$db")"
  [ "$ok" = ok ] || fail "$file killed at $stage $at: integrity_check says $ok"
  [ "$assets" = 1 ] && [ "$edges" = 0 ] || fail "$file killed at $stage $at: $assets assets, $edges edges (expected 1 and 0: none of the batch)"
  echo "$file killed at $stage $at: integrity ok, none of the batch"
}

size=$(stat -c %s "$TMP/big.csv")
kill_at big.csv import 1
kill_at big.csv import $((size / 2))
kill_at big.csv import "$size" # the last report, just before the commit
kill_at assets.csv validate 1
kill_at assets.csv write 4096
kill_at assets.csv write "$ROWS" # the last report, just before the commit

# Left to finish: all of the batch.
cp "$TMP/base.db" "$TMP/full.db"
"$CLI" --db "$TMP/full.db" import "$TMP/big.csv" >/dev/null
read -r ok assets edges <<<"$(counts "$TMP/full.db")"
[ "$ok" = ok ] && [ "$assets" = $((2 * ROWS + 1)) ] && [ "$edges" = "$ROWS" ] ||
  fail "finished import: $ok $assets assets $edges edges"
# The batch is labelled with the counts, known only at the end of a file read once.
label=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select label from batches order by id desc limit 1").fetchone()[0])' "$TMP/full.db")
[ "$label" = "import big.csv (csv, atomic): $ROWS rows, 0 invalid" ] || fail "batch label: $label"
echo "crash test: all checks passed"
