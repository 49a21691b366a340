#!/usr/bin/env bash
# The lineage tool on a store in PostgreSQL ($LINEAGE_TEST_PG, from scripts/servers.sh): the
# same commands with a URI as --db, and a password in the URI never printed.
source "$(dirname "$0")/lib.sh"

if [ -z "${LINEAGE_TEST_PG:-}" ]; then
  if [ "${LINEAGE_TEST_REQUIRE_SERVERS:-0}" = 1 ]; then
    fail "LINEAGE_TEST_PG is not set but LINEAGE_TEST_REQUIRE_SERVERS=1: start the servers with scripts/servers.sh"
  fi
  echo "test_cli_pg: skipped (LINEAGE_TEST_PG is not set)"
  exit 0
fi
# A store of its own in a database of its own; the server trusts the socket, so the password
# is not checked: it is there to be hidden.
dbname="cli_$$_$RANDOM"
psql -q "$LINEAGE_TEST_PG_ADMIN" -c "CREATE DATABASE $dbname" >/dev/null
trap 'psql -q "$LINEAGE_TEST_PG_ADMIN" -c "DROP DATABASE IF EXISTS $dbname" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
DB="postgresql://postgres:s3cret-pw@/$dbname?host=$LINEAGE_TEST_PG_SOCKDIR&port=$LINEAGE_TEST_PG_PORT"

fails 1 "no lineage database at 'postgresql://postgres:\*\*\*@" stats
ok init
contains "(schema version"
[[ $out != *s3cret-pw* ]] || fail "init printed the password: $out"
ok asset add raw.orders --kind table
ok asset add stg.orders --kind table
ok edge add raw.orders stg.orders
ok downstream raw.orders
contains "stg.orders"
ok search orders
contains "raw.orders"
ok stats
[[ $out == "postgresql://postgres:***@/$dbname"* ]] || fail "stats header: $out"
ok backup "$TMP/copy.db"
[[ $out != *s3cret-pw* ]] || fail "backup printed the password: $out"
"$CLI" --db "$TMP/copy.db" downstream raw.orders | grep -q stg.orders || fail "the backup lacks the edge"
# the import's bulk path
{ echo "source,target,source_kind,target_kind"
  for i in $(seq 1 3000); do echo "wh.s.t$i,wh.m.t$((i + 1)),table,table"; done; } >"$TMP/edges.csv"
ok import "$TMP/edges.csv"
contains "created    6000 assets, 3000 edges"
ok downstream wh.s.t1
contains "wh.m.t2"
# a URI libpq refuses
DB="$DB&no_such_option=1"
fails 1 "the PostgreSQL URI is not valid .*no_such_option" stats

echo "test_cli_pg: $checks checks passed"
