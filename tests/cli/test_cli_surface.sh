#!/usr/bin/env bash
# Issue 11, defects 7, 9 and 10 on the command line: asset kinds are built in or declared
# (`lineage kind add`), errors give their fix as a command or option of this tool and never
# name a C function or constant, and the small ones (help --help, import --format, the actor
# without $USER, a search for punctuation only).
source "$(dirname "$0")/lib.sh"

C_NAME='lineage_[a-z_]+\(|(^|[^$A-Za-z_])LINEAGE_[A-Z_]+'  # $LINEAGE_DB is the tool's own

# fails_words STATUS PATTERN CMD...: as `fails`, and the message names no C symbol.
fails_words() {
  fails "$@"
  ! grep -Eq -- "$C_NAME" "$TMP/err" || fail "lineage ${*:3}: names a C symbol: $(cat "$TMP/err")"
}

ok init

# ---- asset kinds: a mistyped kind is refused with the closest one; others are declared once
fails_words 1 'asset kind "tabel" is not declared \(did you mean "table"\?\): declare it first with .lineage kind add tabel.' \
  asset add wh.orders --kind tabel
fails 3 "wh.orders" asset get wh.orders
fails_words 1 'did you mean "dashboard"' asset add bi.sales --kind dashbord
fails_words 1 'asset kind "metric" is not declared \(the built-in kinds are' asset add m.revenue --kind metric
ok kind add metric
contains "declared asset kind metric"
ok kind add metric --json
json 'assert d == {"kind": "metric", "of": "asset"}, d'
ok asset add m.revenue --kind metric
ok kind list
contains "metric"
grep -Eq '^table +built in$' <<<"$out" || fail "kind list: no built-in table: $out"
grep -Eq '^metric +declared$' <<<"$out" || fail "kind list: metric not declared: $out"
ok kind list --json
json 'names = [k["name"] for k in d]
assert names == sorted(names), names
assert {"name": "metric", "builtin": False} in d and {"name": "column", "builtin": True} in d'
# the kinds of assets an edge creates, and a search filter, are checked too
fails_words 1 'did you mean "metric"' edge add m.revenue m.margin --create-missing --target-kind metrc
fails_words 1 'did you mean "table"' search revenue --kind tabl
fails_words 1 'did you mean "metric"' downstream m.revenue --kind metrik
fails 2 "--self-loops and --no-cycles are rules of edge kinds" kind add x --self-loops

# an import row with an undeclared kind is an error of that row, with the suggestion
printf 'key,kind\nq.a,table\nq.b,tabel\n' >"$TMP/kinds.csv"
out=$(l import "$TMP/kinds.csv" 2>&1) && fail "import with an undeclared kind succeeded"
grep -q 'Row 3, column "kind": asset kind "tabel" is not declared (did you mean "table"?)' <<<"$out" ||
  fail "import row error: $out"
! grep -Eq -- "$C_NAME" <<<"$out" || fail "import names a C symbol: $out"
fails 3 "q.a" asset get q.a

# ---- every fix is worded for this tool
ok asset add wh --kind database
ok asset add wh.t --kind table --parent wh
fails_words 3 "no asset with key \"wh.tt\": check the spelling \(keys are case-sensitive\) or find it with 'lineage search tt'" \
  upstream wh.tt
fails_words 1 "contains 1 other asset\(s\).*add --cascade" asset rm wh
fails_words 1 "does not allow self-loops: use --kind update, or declare the kind with 'lineage kind add --edge --self-loops flow'" \
  edge add wh.t wh.t
ok kind add --edge --self-loops flow
ok edge add wh.t wh.t
fails_words 3 "target asset \"ghost\" does not exist: add it with 'lineage asset add ghost --kind K', or pass --create-missing" \
  edge add wh.t ghost
fails_words 3 "parent asset \"nowhere\" of \"wh.c\" does not exist: .*--create-missing" \
  asset add wh.c --kind column --parent nowhere
fails_words 3 "batch 987654 does not exist: take batch ids from 'lineage changes'" revert 987654
fails_words 1 "no lineage database at" --db "$TMP/none.db" stats

# ---- defect 9: help --help, import formats, the actor without $USER, punctuation searches
ok help --help
contains "usage: lineage"
ok help -h
contains "commands:"
fails 2 "--format dot cannot be imported: use csv, json, jsonl, graphml, xlsx or yaml" import "$TMP/kinds.csv" --format dot
fails 2 "--format xls cannot be imported: use csv, json, jsonl, graphml, xlsx or yaml" import "$TMP/kinds.csv" --format xls
! grep -q "cytoscape" "$TMP/err" || fail "import offers an export format: $(cat "$TMP/err")"

login=$(id -un)
env -u USER -u LINEAGE_ACTOR "$CLI" --db "$DB" asset add who.made.this --kind table >/dev/null ||
  fail "asset add without USER"
ok history who.made.this --json
json "assert d['changes'][0]['actor'] == '$login', d['changes'][0]['actor']"

ok search '"' --json
json 'assert d["total"] == 0 and d["results"] == [], d'
ok search '*** ...' --json
json 'assert d["total"] == 0, d'
ok asset add '"' --kind table
ok search '"' --json
json 'assert [a["key"] for a in d["results"]] == ["\""], d'

echo "test_cli_surface: $checks checks passed"
