#!/usr/bin/env bash
# Set up, build, load the example warehouse into a fresh database and take a short tour of
# the `lineage` command-line tool. Works from a clean clone on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/setup.sh
echo "== building liblineage and the lineage tool (build/)"
BUILD_DIR=build bash scripts/build.sh >/dev/null
cli=$root/build/bin/lineage

work=$(mktemp -d "${TMPDIR:-/tmp}/lineage-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LINEAGE_DB=$work/warehouse.db

echo "== loading the example warehouse (examples/warehouse/) into $LINEAGE_DB"
LINEAGE_CLI=$cli bash examples/warehouse/load.sh "$LINEAGE_DB"

bold=$(tput bold 2>/dev/null || true)
plain=$(tput sgr0 2>/dev/null || true)
[ -t 1 ] && [ -z "${NO_COLOR:-}" ] || { bold=; plain=; }

# Narrate a step, show the command, run it.
step() {
  local title=$1
  shift
  printf '\n%s== %s%s\n' "$bold" "$title" "$plain"
  local shown=() a
  for a in "$@"; do
    [[ $a == *[[:space:]]* ]] && a="\"$a\""
    shown+=("$a")
  done
  printf '$ lineage %s\n' "${shown[*]}"
  "$cli" "$@"
}

step "Where does the CFO's revenue dashboard get its data? (tables only)" \
  upstream looker.revenue_daily --columns exclude

step "The same at column level, as far as two hops" \
  upstream wh.marts.fct_revenue.net_revenue --depth 2

step "The app team wants to drop orders.amount_cents: what breaks?" \
  impact app.public.orders.amount_cents

step "How does a Stripe refund reach the dashboard?" \
  path stripe.refunds looker.revenue_daily --all

step "Edges a scanner inferred, waiting for review (least confident first)" \
  pending --limit 6

# Pick two edges by their ends from the JSON list of pending edges.
edge_id() {
  "$cli" pending --json | python3 -c '
import json, sys
src, dst = sys.argv[1], sys.argv[2]
print(next(e["id"] for e in json.load(sys.stdin)["edges"]
           if e["source"] == src and e["target"] == dst))' "$1" "$2"
}
good=$(edge_id wh.raw.stripe_refunds wh.staging.stg_payments)
bad=$(edge_id wh.marts.fct_revenue looker.sales_pipeline)

step "Alice checked the stg_payments model: the refunds join is right" \
  approve "$good" --by alice --comment "checked models/staging/stg_payments.sql"

step "Bob knows the pipeline report does not read fct_revenue" \
  reject "$bad" --by bob --comment "the report reads Salesforce only"

step "The history of stg_payments: what changed, who, when" \
  history wh.staging.stg_payments --limit 8

step "A new lineage sheet from the analytics team, checked before anything is written" \
  import examples/warehouse/new_flows.csv --dry-run || true

step "Scan an ETL project (SQL, dbt, Airflow): what would be inferred?" \
  scan examples/etl --dialect snowflake --dry-run

step "Store it: the scanners' lineage waits for review as inferred edges" \
  scan examples/etl --dialect snowflake

seg=$(edge_id wh.marts.customer_ltv wh.marts.customer_segments)
step "The growth team confirms the dbt model they wrote" \
  approve "$seg" --by carol --comment "models/customer_segments.sql reads customer_ltv"

step "Where does the new segments table come from? (tables only)" \
  upstream wh.marts.customer_segments --columns exclude

step "Search for revenue tables" \
  search revenue --kind table

step "What is in the database" \
  stats

printf '\n%sDone.%s The demo database was temporary. To explore on your own:\n' "$bold" "$plain"
printf '  bash examples/warehouse/load.sh warehouse.db\n'
printf '  build/bin/lineage --db warehouse.db --help\n'
printf '  build/bin/lineage --db warehouse.db downstream app.public.orders --format dot | dot -Tsvg > orders.svg\n'
