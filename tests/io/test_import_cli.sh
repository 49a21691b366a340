# `lineage import` end to end: exit statuses, the report (text and JSON), rejects, dry run,
# standard input, bad inputs (each a clear error, database unchanged) and bounded memory on a
# gigabyte-long line. Env from ctest: LINEAGE_CLI, LINEAGE_SOURCE_DIR.
set -euo pipefail
CLI=${LINEAGE_CLI:?LINEAGE_CLI is not set}
DATA=${LINEAGE_SOURCE_DIR:?}/tests/data/import
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lineage-import-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1
unset LINEAGE_DB LINEAGE_ACTOR
DB=$TMP/t.db
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

fail() { echo "FAIL: $*" >&2; exit 1; }
l() { "$CLI" --db "$DB" "$@"; }
# run STATUS CMD...: exits with STATUS; stdout in $out, stderr in $err.
run() {
  local want=$1 rc=0
  shift
  out=$(l "$@" 2>"$TMP/err") || rc=$?
  err=$(cat "$TMP/err")
  [ "$rc" = "$want" ] || fail "lineage $*: exit $rc, expected $want; out: $out; err: $err"
}
has() { grep -qF -- "$1" <<<"$2" || fail "'$1' not in: $2"; }
state() { "$PY" - "$DB" <<'PYEOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select count(*) from assets").fetchone()[0], c.execute("select count(*) from edges").fetchone()[0], c.execute("select coalesce(max(seq),0) from changes").fetchone()[0])
PYEOF
}

run 0 init
run 0 import "$DATA/warehouse/assets.csv"
has "Import: 6 rows, 6 valid, 0 invalid (csv)" "$out"
has "Committed as batch" "$out"
before=$(state)

# A file with mistakes: exit 2, every mistake named, nothing written.
run 2 import "$DATA/mistakes/lineage.csv"
has 'Row 3, column "confidence": "high" is not a number. Use a number from 0 to 1, such as 0.8.' "$out"
has 'Row 4, column "target": there is no asset "mart.nowhere"' "$out"
has 'Row 5: the flow edge from "raw.orders" to "stg.orders" is also on row 2, with different values' "$out"
has 'Row 6, column "lineage_source": "sure" is not a lineage source' "$out"
has "Nothing was written" "$out"
[ "$(state)" = "$before" ] || fail "atomic import with errors changed the database"

# The same as JSON.
run 2 import "$DATA/mistakes/lineage.csv" --json
"$PY" -c "
import json, sys
d = json.loads(sys.argv[1])
assert d['rows'] == 5 and d['valid'] == 1 and d['invalid'] == 4, d
assert d['committed'] is False and d['dry_run'] is False
assert [e['row'] for e in d['errors']] == [3, 4, 5, 6], d['errors']
assert d['errors'][0]['column'] == 'confidence' and d['errors'][0]['value'] == 'high'
for k in ('created', 'updated', 'unchanged'):
    assert set(d[k]) == {'assets', 'edges'}
" "$out" || fail "bad JSON report: $out"

# Dry run: the preview, nothing written.
run 0 import "$DATA/warehouse/lineage.csv" --dry-run
has "Dry run: 4 rows, 4 valid, 0 invalid" "$out"
has "create   edge  raw.orders -> stg.orders (flow)  [row 2]" "$out"
has "Nothing was written (dry run)." "$out"
[ "$(state)" = "$before" ] || fail "a dry run changed the database"

# Skip errors: the valid rows are written, the others go to a rejects file, which imports
# once fixed.
run 2 import "$DATA/mistakes/lineage.csv" --mode skip-errors --rejects "$TMP/rejects.csv"
has "the invalid rows were skipped" "$out"
head -1 "$TMP/rejects.csv" | grep -q '^source,target,confidence,lineage_source,error' || fail "rejects header: $(head -1 "$TMP/rejects.csv")"
[ "$(wc -l <"$TMP/rejects.csv")" = 5 ] || fail "rejects: $(cat "$TMP/rejects.csv")"
sed -e 's/,high,/,0.7,/' -e 's/mart\.nowhere/dash.sales/' -e 's/,sure,/,manual,/' -e '/stg.orders,0.1/d' "$TMP/rejects.csv" >"$TMP/fixed.csv"
run 0 import "$TMP/fixed.csv"
has "3 rows, 3 valid, 0 invalid" "$out"

# Standard input, JSON Lines, and the whole truth of a scope.
printf '{"source": "stg.orders", "target": "mart.sales", "kind": "copy"}\n' |
  { out=$(l import - --format jsonl --replace team-a) || fail "import from stdin: $out"; }
# (a lineage CSV is read once: the pipe is not copied)
printf 'source,target,kind\nraw.orders,mart.sales,copy\n' |
  { out=$(l import -) || fail "lineage CSV from stdin: $out"; has "1 rows, 1 valid, 0 invalid" "$out"; }
run 0 import "$DATA/warehouse/lineage.csv" --replace team-a --json
"$PY" -c "import json,sys; d=json.loads(sys.argv[1]); assert d['retired']['edges'] == 1, d" "$out" || fail "replace: $out"

# GraphML and JSON round out the formats.
run 0 import "$DATA/warehouse/graph.graphml" --dry-run
has "(graphml)" "$out"
run 0 import "$DATA/warehouse/lineage.json" --dry-run
has "(json)" "$out"

# Bad inputs: a clear error each, exit 1, the database unchanged.
before=$(state)
printf '' >"$TMP/empty.csv"
printf 'source,target\n' >"$TMP/header.csv"
printf 'source,target,source\na,b,c\n' >"$TMP/duphead.csv"
printf 'source,target\nraw.orders,"stg\n' >"$TMP/quote.csv"
printf '[{"source": "a", "target": "b"}]' >"$TMP/notcsv.json"
"$PY" -c "import sys; open(sys.argv[1],'w').write('['*100000 + ']'*100000)" "$TMP/deep.json"
check_bad() { # FILE PATTERN [ARGS...]
  local f=$1 p=$2
  shift 2
  run 1 import "$f" "$@"
  grep -Eq -- "$p" <<<"$out" || fail "import $f: '$p' not in: $out"
  [ "$(state)" = "$before" ] || fail "import $f changed the database"
}
check_bad "$TMP/empty.csv" "The file is empty"
check_bad "$TMP/header.csv" "no rows to import \(only a header\)"
check_bad "$TMP/duphead.csv" 'the column "source" appears twice'
check_bad "$TMP/quote.csv" "never closed"
check_bad "$TMP/notcsv.json" "looks like JSON.*import it as json" --format csv
check_bad "$TMP/deep.json" "nested more than 64 levels deep"
check_bad "$DATA/bad/dtd.graphml" "GraphML with a DTD is not accepted"
# Bytes its declared encoding cannot convert: an error in the report, and libxml2 prints
# nothing of its own (a library never writes to stderr).
printf '<?xml version="1.0" encoding="ISO-2022-JP"?>\n<graphml><node id="\033$B\377"/></graphml>' >"$TMP/badenc.graphml"
check_bad "$TMP/badenc.graphml" "malformed"
[ -z "$err" ] || fail "libxml2 wrote to stderr: $err"
run 2 import "$DATA/bad/invalid_utf8.csv"
has "Row 2, column \"target\": the key is not valid UTF-8" "$out"
[ "$(state)" = "$before" ] || fail "invalid UTF-8 changed the database"
run 1 import "$TMP/missing.csv"
has "cannot open" "$err"

# A gigabyte-long line from a pipe: an error after the 16 MiB field limit, memory bounded.
rss=$( { { printf 'source,target\n'; head -c 1073741824 /dev/zero | tr '\0' x; } |
  /usr/bin/time -f '%M' "$CLI" --db "$DB" import - --format csv >"$TMP/out" 2>"$TMP/time"; } 2>&1; tail -1 "$TMP/time")
grep -q "longer than 16777216 bytes" "$TMP/out" || fail "1 GB line: $(cat "$TMP/out")"
[ "$rss" -lt 200000 ] || fail "1 GB line used ${rss} KB"
[ "$(state)" = "$before" ] || fail "the 1 GB line changed the database"
echo "import CLI: all checks passed (peak RSS on a 1 GB line: ${rss} KB)"
