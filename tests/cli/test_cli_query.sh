#!/usr/bin/env bash
# The lineage tool's lineage questions on a small graph: upstream, downstream, impact, path
# and the whole-graph commands, with the JSON shapes other tools rely on (docs/cli.md).
source "$(dirname "$0")/lib.sh"
fixture

# ---- help, usage errors (exit 2), unknown assets (exit 3)
ok --help
contains "upstream"
for cmd in upstream downstream path impact roots leaves orphans cycles topo; do
  ok $cmd --help
  [[ $out == "usage: lineage $cmd"* ]] || fail "$cmd --help: $out"
  contains "--json"
done
fails 2 "did you mean --depth" upstream x --dpeth 2
fails 2 "usage: lineage upstream KEY" upstream
fails 2 "unexpected argument 'b'" upstream a b
fails 2 "needs a value" upstream a --depth
fails 2 "--depth expects a whole number.*'x'" upstream a --depth x
fails 2 "--depth expects a whole number.*'-1'" downstream a --depth -1
fails 2 "--depth expects a whole number.*'2x'" impact a --depth 2x
fails 2 "--limit" upstream a --limit 0
fails 2 "--min-source" upstream a --min-source trusted
fails 2 "--min-confidence" upstream a --min-confidence 2
fails 2 "--columns expects include, rollup or exclude" upstream a --columns some
fails 2 "--format" upstream a --format svg
fails 2 "--layout" upstream a --format cytoscape --layout spiral
fails 2 "--change" impact a --change explode
fails 2 "usage: lineage path FROM TO" path a
fails 2 "--max-length" path a b --all --max-length 0
fails 2 "--min-source" roots --min-source x
fails 3 "nosuch" upstream nosuch
fails 3 "nosuch" downstream nosuch --depth 2
fails 3 "nosuch" impact nosuch
fails 3 "nosuch" path src.orders nosuch

# ---- upstream / downstream
NODE='assert {"key", "kind", "distance"} <= set(n), n'
EDGE='assert {"source", "target", "kind", "lineage_source", "confidence"} <= set(e), e'
ok upstream dash.finance --json
json "
assert d['root'] == 'dash.finance' and d['direction'] == 'upstream'
for n in d['nodes']: $NODE
for e in d['edges']: $EDGE
dist = {n['key']: n['distance'] for n in d['nodes']}
assert dist == {'dash.finance': 0, 'mart.revenue': 1, 'src.orders': 2, 'stg.orders': 2}, dist
assert [n['key'] for n in d['nodes'] if n['distance'] == 0] == ['dash.finance']
srcs = {(e['source'], e['target']): e['lineage_source'] for e in d['edges']}
assert srcs[('mart.revenue', 'dash.finance')] == 'approved'
assert srcs[('src.orders', 'mart.revenue')] == 'inferred'"
ok upstream dash.finance --depth 1 --json
json 'assert sorted(n["key"] for n in d["nodes"]) == ["dash.finance", "mart.revenue"]'
ok upstream dash.finance --min-source manual --json
json 'assert {n["key"]: n["distance"] for n in d["nodes"]}["src.orders"] == 3'
ok upstream dash.finance --edge-kind flow --edge-kind other --json
json 'assert len(d["nodes"]) == 4'
ok upstream dash.finance --edge-kind other --json
json 'assert [n["key"] for n in d["nodes"]] == ["dash.finance"]'
ok upstream dash.finance --kind table --json
json 'assert {n["kind"] for n in d["nodes"] if n["distance"] > 0} == {"table"}'
ok upstream dash.finance --min-confidence 0.7 --columns exclude --json
json 'assert ("src.orders", "mart.revenue") not in [(e["source"], e["target"]) for e in d["edges"]]'
ok downstream src.orders.amount --json
json '
assert d["root"] == "src.orders.amount" and d["direction"] == "downstream"
assert {n["key"]: n["distance"] for n in d["nodes"]} == {
    "src.orders.amount": 0, "stg.orders.amount": 1, "mart.revenue.total": 2}'
ok downstream src.orders --columns rollup --json
json 'assert "dash.finance" in [n["key"] for n in d["nodes"]]'
ok downstream src.orders --format cytoscape --layout layered
json 'assert "nodes" in d["elements"] and "edges" in d["elements"]'
ok upstream dash.finance --format dot
[[ $out == digraph* ]] || fail "dot output: $out"
contains '"mart.revenue" -> "dash.finance"'
ok upstream dash.finance
contains "dash.finance (dashboard)"
contains "mart.revenue (table)  [approved]"
contains "src.orders (table)  [inferred 0.60]"
contains "3 assets upstream"
ok downstream src.orders --limit 2 --json
json 'assert len(d["nodes"]) <= 2'

# ---- impact
ok impact src.orders.amount --json
json '
assert d["root"] == "src.orders.amount" and d["change"] == "drop"
for a in d["affected"]:
    assert {"key", "kind", "distance", "confidence"} <= set(a), a
keys = [a["key"] for a in d["affected"]]
assert "src.orders.amount" not in keys
assert "stg.orders.amount" in keys and "mart.revenue.total" in keys, keys
assert isinstance(d["summary"], dict)'
ok impact src.orders --change rename --json
json '
assert d["change"] == "rename" and "src.orders" not in [a["key"] for a in d["affected"]]
assert "dash.finance" in [a["key"] for a in d["affected"]]'
ok impact src.orders
contains "Impact of dropping src.orders"
contains "dash.finance"

# ---- path
ok path src.orders dash.finance --json
json 'assert d["paths"] == [["src.orders", "mart.revenue", "dash.finance"]], d'
ok path src.orders dash.finance --all --json
json '
p = d["paths"]
assert len(p) == 2 and p[0] == ["src.orders", "mart.revenue", "dash.finance"], p
assert p[1] == ["src.orders", "stg.orders", "mart.revenue", "dash.finance"], p
assert [len(x) for x in p] == sorted(len(x) for x in p)'
ok path src.orders dash.finance --all --max-length 2 --json
json 'assert len(d["paths"]) == 1'
ok path dash.finance src.orders --json
json 'assert d["paths"] == []'
ok path dash.finance src.orders
contains "no path"
ok path src.orders dash.finance --all
contains "src.orders -> stg.orders -> mart.revenue -> dash.finance"

# ---- structure
ok roots --json
json 'assert "src.orders" in [n["key"] for n in d["nodes"]]'
ok leaves --json
json 'assert "dash.finance" in [n["key"] for n in d["nodes"]]'
ok orphans --json
json 'k = [n["key"] for n in d["nodes"]]; assert "lonely" in k and "dash.finance" not in k'
ok orphans
contains "lonely"
ok topo --columns exclude --json
json '
layer = {n["key"]: n["distance"] for n in d["nodes"]}
assert layer["src.orders"] < layer["stg.orders"] < layer["mart.revenue"] < layer["dash.finance"]'
ok cycles --json
json 'assert d["nodes"] == []'
ok cycles
contains "no cycles"

# ---- colour only on a terminal, and never with NO_COLOR or --no-color
"$PY" - "$CLI" "$DB" <<'PY' || fail "colour on a terminal"
import os, pty, sys
cli, db = sys.argv[1:]

def run(env_no_color, *extra):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.pop("NO_COLOR", None)
        if env_no_color:
            os.environ["NO_COLOR"] = "1"
        os.environ["TERM"] = "xterm"
        os.execv(cli, [cli, "--db", db, *extra, "upstream", "dash.finance"])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    assert b"dash.finance" in out, out
    return out

assert b"\033[" in run(False), "no colour on a terminal"
assert b"\033[" not in run(True), "colour despite NO_COLOR"
assert b"\033[" not in run(False, "--no-color"), "colour despite --no-color"
PY

# ---- queries follow reviews
ok reject "$e_short" --by bob
ok upstream dash.finance --json
json 'assert {n["key"]: n["distance"] for n in d["nodes"]}["src.orders"] == 3'
ok approve "$e_short" --by alice
ok upstream dash.finance --json
json 'assert {n["key"]: n["distance"] for n in d["nodes"]}["src.orders"] == 2'

# ---- cycles on a database of their own
DB=$TMP/cycles.db
ok init
ok edge add cyc.a cyc.b --create-missing
ok edge add cyc.b cyc.a
ok cycles --json
json 'assert sorted(n["key"] for n in d["nodes"]) == ["cyc.a", "cyc.b"]'
ok cycles
contains "cycle 1:"
fails 1 '.' topo

echo "test_cli_query: $checks checks passed"
