#!/usr/bin/env bash
# Import into PostgreSQL against SQLite, in one run: the assets file, a lineage file the
# first time and the same file again (every edge stored: the re-import), through the CLI.
# Prints one JSON line per phase and store, with rows/s and PostgreSQL / SQLite.
#
#   bash bench/bench_import_pg.sh [ROWS]   (default 20000; BUILD_DIR=build)
# The files come from bench_import (its warehouse, about 1% invalid rows: skip-errors).
# The PostgreSQL server is a private one (scripts/servers.sh), or $LINEAGE_BENCH_PG.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-20000}
build=${BUILD_DIR:-build}
dir=$(mktemp -d /tmp/lineage-bench-import-pg.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$build/bench/bench_import" --rows "$rows" --dir "$dir" --no-export >/dev/null 2>&1
if [ -z "${LINEAGE_BENCH_PG:-}" ]; then
  source scripts/servers.sh
  servers_start_postgres >/dev/null
  LINEAGE_BENCH_PG=$LINEAGE_TEST_PG
fi
lineage=$build/bin/lineage
declare -A secs
phase() { # store db name file
  local start end n
  start=$(date +%s%N)
  LINEAGE_DB="$2" "$lineage" import "$4" --mode skip-errors >/dev/null 2>&1 || [ $? -eq 2 ]
  end=$(date +%s%N)
  n=$(($(wc -l <"$4") - 1))
  secs[$1.$3]=$(((end - start) / 1000000))
  printf '{"benchmark":"import_pg","store":"%s","phase":"%s","rows":%d,"ms":%d,"rows_per_s":%d}\n' \
    "$1" "$3" "$n" "${secs[$1.$3]}" $((n * 1000 / (secs[$1.$3] > 0 ? secs[$1.$3] : 1)))
}
for store in sqlite postgres; do
  db=$dir/bench.db
  [ $store = postgres ] && db=$LINEAGE_BENCH_PG
  LINEAGE_DB="$db" "$lineage" init >/dev/null
  phase $store "$db" assets "$dir/assets.csv"
  phase $store "$db" lineage_first "$dir/lineage.csv"
  phase $store "$db" lineage_again "$dir/lineage.csv"
  phase $store "$db" assets_again "$dir/assets.csv"
done
for p in assets lineage_first lineage_again assets_again; do
  awk -v p="$p" -v s="${secs[sqlite.$p]}" -v g="${secs[postgres.$p]}" 'BEGIN {
    printf "{\"benchmark\":\"import_pg\",\"phase\":\"%s\",\"postgres_time_vs_sqlite\":%.2f}\n", p, g / (s > 0 ? s : 1) }'
done
