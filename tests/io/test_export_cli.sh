# `lineage export` end to end: round trip through CSV, JSON Lines and GraphML into a new
# database, GraphML read back by networkx (a third-party reader), DOT rendered by Graphviz,
# Cytoscape with positions, query results. Env from ctest: LINEAGE_CLI, LINEAGE_SOURCE_DIR.
set -euo pipefail
CLI=${LINEAGE_CLI:?LINEAGE_CLI is not set}
DATA=${LINEAGE_SOURCE_DIR:?}/tests/data/import
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lineage-export-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1
unset LINEAGE_DB LINEAGE_ACTOR
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
l() { local db=$1; shift; "$CLI" --db "$db" "$@"; }

A=$TMP/a.db
l "$A" init >/dev/null
l "$A" import "$DATA/warehouse/assets.csv" >/dev/null
l "$A" import "$DATA/warehouse/lineage.csv" >/dev/null
l "$A" export --format json >"$TMP/a.json"

# CSV: two files (one record type each) into an empty database: the same graph.
l "$A" export --type assets -o "$TMP/assets.csv"
l "$A" export -o "$TMP/lineage.csv"
head -1 "$TMP/lineage.csv" | grep -q '^source,target,source_kind,target_kind,kind,lineage_source,confidence' || fail "lineage CSV header"
B=$TMP/b.db
l "$B" init >/dev/null
l "$B" import "$TMP/assets.csv" >/dev/null
l "$B" import "$TMP/lineage.csv" >/dev/null
l "$B" export --format json >"$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" || fail "CSV round trip differs: $(diff "$TMP/a.json" "$TMP/b.json")"

# JSON Lines, and GraphML, the same way.
for fmt in jsonl graphml; do
  C=$TMP/c-$fmt.db
  l "$C" init >/dev/null
  if [ $fmt = jsonl ]; then
    l "$A" export --format jsonl --type assets -o "$TMP/x-assets.jsonl"
    l "$A" export --format jsonl -o "$TMP/x-lineage.jsonl"
    l "$C" import "$TMP/x-assets.jsonl" >/dev/null
    l "$C" import "$TMP/x-lineage.jsonl" >/dev/null
  else
    l "$A" export --format graphml -o "$TMP/x.graphml"
    l "$C" import "$TMP/x.graphml" >/dev/null
  fi
  l "$C" export --format json >"$TMP/c.json"
  cmp -s "$TMP/a.json" "$TMP/c.json" || fail "$fmt round trip differs: $(diff "$TMP/a.json" "$TMP/c.json")"
done

# GraphML read by networkx (from a private venv when the system has none).
NXPY=
for cand in "$PY" python3; do
  if [ -z "$NXPY" ] && "$cand" -c 'import networkx' 2>/dev/null; then NXPY=$cand; fi
done
if [ -n "$NXPY" ]; then
  :
elif "$PY" -m venv "$TMP/venv" >/dev/null 2>&1 && "$TMP/venv/bin/pip" install -q networkx >/dev/null 2>&1; then
  NXPY=$TMP/venv/bin/python
fi
if [ -n "$NXPY" ]; then
  "$NXPY" - "$TMP/x.graphml" <<'PYEOF' || fail "networkx could not read the GraphML"
import sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
assert g.is_directed()
assert g.number_of_nodes() == 6 and g.number_of_edges() == 4, (g.number_of_nodes(), g.number_of_edges())
assert g.nodes["raw.orders"]["kind"] == "table" and g.nodes["raw.orders"]["owner"] == "app-team"
e = g.edges["stg.orders", "mart.sales"]
assert e["lineage_source"] == "inferred" and abs(e["confidence"] - 0.8) < 1e-12, e
PYEOF
else
  echo "networkx unavailable (no module, no pip): GraphML third-party check skipped"
fi

# DOT rendered by Graphviz where installed.
l "$A" export --format dot -o "$TMP/g.dot"
grep -q '"stg.orders" -> "mart.sales" \[style=dashed, label="0.8"\];' "$TMP/g.dot" || fail "dot: $(cat "$TMP/g.dot")"
if command -v dot >/dev/null; then
  dot -Tsvg "$TMP/g.dot" >"$TMP/g.svg" || fail "Graphviz rejected the DOT"
  grep -q "<svg" "$TMP/g.svg" || fail "no SVG"
else
  echo "Graphviz dot unavailable: DOT rendering check skipped"
fi

# Cytoscape with a layout; query results.
l "$A" export --format cytoscape --layout >"$TMP/cy.json"
"$PY" -c "
import json, sys
d = json.load(open(sys.argv[1]))
nodes, edges = d['elements']['nodes'], d['elements']['edges']
assert len(nodes) == 6 and len(edges) == 4
assert all('position' in n and 'x' in n['position'] for n in nodes), nodes
assert {'id', 'source', 'target', 'kind', 'lineage_source', 'confidence'} <= set(edges[0]['data'])
" "$TMP/cy.json" || fail "cytoscape: $(cat "$TMP/cy.json")"
out=$(l "$A" export downstream stg.orders)
grep -q '^stg.orders,mart.sales,table,table,flow,inferred,0.8,' <<<"$out" || fail "downstream: $out"
grep -q '^raw.orders' <<<"$out" && fail "downstream export has upstream edges: $out"
out=$(l "$A" export upstream mart.sales --depth 1 --format jsonl)
[ "$(wc -l <<<"$out")" = 2 ] || fail "upstream --depth 1: $out"
out=$(l "$A" export impact raw.orders --format dot)
grep -q '"mart.sales" -> "dash.sales"' <<<"$out" || fail "impact: $out"

# Usage errors.
rc=0; l "$A" export --layout >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "--layout without cytoscape: exit $rc"
rc=0; l "$A" export sideways x >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "unknown query: exit $rc"
rc=0; l "$A" export downstream no.such.asset >/dev/null 2>&1 || rc=$?
[ $rc != 0 ] || fail "unknown asset: exit 0"
echo "export CLI: all checks passed"
