#!/usr/bin/env bash
# The lineage tool's command line: help on every command, exit statuses, and one-line
# actionable error messages.
source "$(dirname "$0")/lib.sh"

# ---- help and version
ok --help
contains "usage: lineage"
ok help
contains "commands:"
ok --version
[[ $out =~ ^lineage\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version: $out"
for cmd in init pending approve reject history changes revert search stats backup \
  "asset add" "asset get" "asset list" "asset rm" "edge add" "edge get" "edge list" "edge rm"; do
  # shellcheck disable=SC2086 # split "asset add" into two words
  ok $cmd --help
  [[ $out == "usage: lineage $cmd"* ]] || fail "$cmd --help: $out"
  contains "--json"
  ok help $cmd
  [[ $out == "usage: lineage $cmd"* ]] || fail "help $cmd: $out"
done
ok asset --help
contains "add"
ok edge help
contains "rm"

# ---- usage errors: exit 2, one line with the usage hint
fails 2 'missing command'
fails 2 "unknown command 'frobnicate'" frobnicate
fails 2 "unknown command 'serach' \\(did you mean 'search'\\?\\)" serach
fails 2 "unknown command 'nope'" help nope
fails 2 "unknown global option" --frob
fails 2 "missing subcommand" asset
fails 2 "unknown subcommand 'asset frob'" asset frob
fails 2 "did you mean --limit" search x --limt 2
fails 2 "usage: lineage search TEXT" search
fails 2 "unexpected argument 'b'" asset get a b
fails 2 "needs a value" search x --limit
fails 2 "--confidence expects a number from 0 to 1, got '1.5'" edge add a b --confidence 1.5
fails 2 "--confidence expects a number.*'high'" edge add a b --confidence high
fails 2 "--confidence" edge add a b --confidence nan
fails 2 "--source" edge add a b --source guessed
fails 2 "edge ID" edge get x
fails 2 "edge ID" edge rm 0
fails 2 "edge ID" approve 1.5 --by me
fails 2 "edge ID" history --edge abc
fails 2 "missing KEY" history
fails 2 "either KEY or --edge" history a --edge 1
fails 2 "--since" changes --since -3
fails 2 "BATCH" revert x
fails 2 "NAME=VALUE" asset add a --kind table --property novalue
fails 2 "takes no value" asset rm a --cascade=yes
fails 2 "--limit" search x --limit 100000
# (without $USER, the login name is the reviewer: tests/cli/test_cli_surface.sh)

# ---- a database that does not exist is not created, except by init
fails 1 "no lineage database at .*nope\.db.*init" --db "$TMP/nope.db" stats
[ ! -e "$TMP/nope.db" ] || fail "a query created the database"
out=$(cd "$TMP" && "$CLI" stats 2>&1) && fail "stats without a database"
[[ $out == *"./lineage.db"* ]] || fail "default database path not ./lineage.db: $out"
fails 1 "no lineage database" --db "$TMP/nope.db" asset add a --kind table

# ---- library errors: one line, the right exit status
ok init
ok asset add t1 --kind table
ok asset add t2 --kind table
fails 3 "nosuch" asset get nosuch
fails 3 "nosuch" asset rm nosuch
fails 3 "ghost.*--create-missing" edge add t1 ghost
fails 3 "." edge get 999999
fails 3 "." edge rm 999999
fails 3 "." approve 999999 --by me
fails 3 "." reject 999999 --by me
fails 1 "." asset add t3
fails 1 "." asset add t1 --kind view
fails 1 "." asset add bad --kind table --property 'x={not json'
fails 1 "." edge add t1 t1
fails 1 "." --db "$TMP" stats
printf 'this is not a database, just text\n%.0s' {1..200} >"$TMP/junk.db"
fails 1 "." --db "$TMP/junk.db" stats

# ---- no colour when stdout is not a terminal; NO_COLOR honoured
ok edge add t1 t2 --source inferred --confidence 0.5
ok pending
if grep -q $'\033' <<<"$out"; then fail "colour codes in piped output"; fi

echo "test_cli_errors: $checks checks passed"
