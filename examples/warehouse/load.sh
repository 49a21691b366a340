#!/usr/bin/env bash
# Load the example warehouse (assets.txt, edges.txt) into a lineage database with the
# `lineage` command-line tool, one `asset add` or `edge add` per line.
#
# usage: examples/warehouse/load.sh [DB]     DB defaults to $LINEAGE_DB, else ./lineage.db
# The tool is $LINEAGE_CLI, else build/bin/lineage in this checkout, else `lineage` on PATH.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli=${LINEAGE_CLI:-}
if [ -z "$cli" ]; then
  if [ -x "$root/build/bin/lineage" ]; then
    cli=$root/build/bin/lineage
  elif command -v lineage >/dev/null; then
    cli=lineage
  else
    echo "load.sh: no lineage tool: build it (bash scripts/build.sh) or set LINEAGE_CLI" >&2
    exit 1
  fi
fi
db=${1:-${LINEAGE_DB:-./lineage.db}}

lineage() { "$cli" --db "$db" --actor "${LINEAGE_ACTOR:-warehouse-loader}" "$@"; }

lineage init >/dev/null

assets=0
while IFS='|' read -r key kind parent owner tags desc props; do
  [[ -z $key || $key == \#* ]] && continue
  args=(asset add "$key" --kind "$kind")
  [ "$parent" = . ] && parent=${key%.*}
  [ -n "$parent" ] && args+=(--parent "$parent")
  [ -n "$owner" ] && args+=(--owner "$owner")
  [ -n "$desc" ] && args+=(--description "$desc")
  if [ -n "$tags" ]; then
    IFS=, read -r -a list <<<"$tags"
    for t in "${list[@]}"; do args+=(--tag "$t"); done
  fi
  if [ -n "$props" ]; then
    IFS=';' read -r -a list <<<"$props"
    for p in "${list[@]}"; do args+=(--property "$p"); done
  fi
  lineage "${args[@]}" >/dev/null
  assets=$((assets + 1))
done <"$here/assets.txt"

edges=0
while IFS='|' read -r src dst job source confidence ttype transformation; do
  [[ -z $src || $src == \#* ]] && continue
  args=(edge add "$src" "$dst" --source "$source")
  [ -n "$job" ] && args+=(--job "$job")
  [ -n "$confidence" ] && args+=(--confidence "$confidence")
  [ -n "$ttype" ] && args+=(--transformation-type "$ttype")
  [ -n "$transformation" ] && args+=(--transformation "$transformation")
  lineage "${args[@]}" >/dev/null
  edges=$((edges + 1))
done <"$here/edges.txt"

echo "loaded $assets assets and $edges edges into $db"
