# Helpers shared by the CLI tests (sourced, not run): a temporary database and assertions.
# Env from ctest: LINEAGE_CLI (the tool), LINEAGE_BUILD_DIR, LINEAGE_SOURCE_DIR.
set -euo pipefail

CLI=${LINEAGE_CLI:-}
if [ -z "$CLI" ] || [ ! -x "$CLI" ]; then
  echo "LINEAGE_CLI is not set to the lineage tool (got '${CLI}')" >&2
  exit 1
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lineage-cli-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/test.db
export NO_COLOR=1
unset LINEAGE_DB LINEAGE_ACTOR
export USER=tester
checks=0
# The system interpreter starts faster than a version manager's shim.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Run the tool on the test database.
l() { "$CLI" --db "$DB" "$@"; }

# ok CMD...: the command succeeds; its stdout is in $out.
ok() {
  out=$(l "$@" 2>"$TMP/err") || fail "lineage $* exited $? ($(cat "$TMP/err"))"
  checks=$((checks + 1))
}

# fails STATUS PATTERN CMD...: exits with STATUS, and stderr is one line
# "lineage: error: ..." matching the extended regular expression PATTERN.
fails() {
  local want=$1 pattern=$2 rc=0
  shift 2
  l "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  [ "$rc" = "$want" ] || fail "lineage $*: exit $rc, expected $want (stderr: $(cat "$TMP/err"))"
  [ "$(wc -l <"$TMP/err")" = 1 ] || fail "lineage $*: stderr is not one line: $(cat "$TMP/err")"
  grep -q '^lineage: error: ' "$TMP/err" || fail "lineage $*: no 'lineage: error:' prefix"
  grep -Eq -- "$pattern" "$TMP/err" || fail "lineage $*: stderr '$(cat "$TMP/err")' lacks /$pattern/"
  [ ! -s "$TMP/out" ] || fail "lineage $*: printed on stdout while failing: $(cat "$TMP/out")"
  checks=$((checks + 1))
}

# contains TEXT: $out contains TEXT.
contains() {
  grep -qF -- "$1" <<<"$out" || fail "output lacks '$1': $out"
}

# json PYTHON: run PYTHON with `d` the JSON document in $out (assert statements).
json() {
  "$PY" -c "import json, sys
d = json.loads(sys.argv[1])
$1" "$out" || fail "JSON check failed on: $out"
}

# The small graph most tests use, in $DB (created):
#   src.orders --manual, job etl--> stg.orders --manual--> mart.revenue --approved--> dash.finance
#   src.orders --inferred 0.6-------------------------->  mart.revenue
#   src.orders.amount --manual--> stg.orders.amount --inferred 0.8--> mart.revenue.total
# Sets e_copy, e_short and e_col to the ids of the first, the inferred table and the
# inferred column edges.
fixture() {
  ok init
  ok asset add src --kind system --owner platform
  ok asset add src.orders --kind table --parent src --owner app-team --tag pii --tag core \
    --description "Orders of the shop" --property rows=1200 --property engine=postgres
  ok asset add src.orders.id --kind column --parent src.orders --property 'type="bigint"'
  ok asset add src.orders.amount --kind column --parent src.orders
  ok asset add stg.orders --kind table --owner analytics
  ok asset add stg.orders.amount --kind column --parent stg.orders
  ok asset add mart.revenue --kind table --owner finance
  ok asset add mart.revenue.total --kind column --parent mart.revenue --owner finance
  ok asset add dash.finance --kind dashboard --owner finance --name "Finance dashboard"
  ok asset add job.etl --kind job
  ok asset add lonely --kind table
  ok edge add src.orders stg.orders --job job.etl --transformation-type copy
  e_copy=$out
  ok edge add stg.orders mart.revenue
  ok edge add mart.revenue dash.finance --source approved
  ok edge add src.orders mart.revenue --source inferred --confidence 0.6
  e_short=$out
  ok edge add src.orders.amount stg.orders.amount --transformation "amount / 100"
  ok edge add stg.orders.amount mart.revenue.total --source inferred --confidence 0.8
  e_col=$out
}
