#!/usr/bin/env bash
# A store read on a PostgreSQL hot standby (a streaming replica of $LINEAGE_TEST_PG's server,
# made here with pg_basebackup): it opens (no LISTEN there), its queries see what the primary
# committed once the standby replayed it (the seq probe), and a write is refused in the
# CLI's words.
source "$(dirname "$0")/../cli/lib.sh"

if [ -z "${LINEAGE_TEST_PG:-}" ] || [ -z "${LINEAGE_TEST_PG_ADMIN:-}" ] || [ -z "${LINEAGE_TEST_PG_SOCKDIR:-}" ]; then
  if [ "${LINEAGE_TEST_REQUIRE_SERVERS:-}" = 1 ]; then
    echo "LINEAGE_TEST_PG(_ADMIN, _SOCKDIR) not set but LINEAGE_TEST_REQUIRE_SERVERS=1: start the servers with scripts/servers.sh" >&2
    exit 1
  fi
  echo "skipped: LINEAGE_TEST_PG is not set (source scripts/servers.sh; servers_start_postgres)"
  exit 0
fi
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

db="lineage_standby_$$"
port=$LINEAGE_TEST_PG_PORT
primary="postgresql:///$db?host=$LINEAGE_TEST_PG_SOCKDIR&port=$port&user=postgres"
psql -q "$LINEAGE_TEST_PG_ADMIN" -c "CREATE DATABASE $db" >/dev/null
standby_dir=$(mktemp -d /tmp/lineage-standby.XXXXXX)
chmod 755 "$standby_dir"
mkdir -p "$standby_dir/sock"
[ "$(id -u)" = 0 ] && chown -R postgres: "$standby_dir"
cleanup() {
  as_pg "$bin/pg_ctl" -D "$standby_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$standby_dir"
  psql -q "$LINEAGE_TEST_PG_ADMIN" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

DB=$primary
ok init
ok edge add raw.orders stg.orders --create-missing

# The replica: a base backup of the primary's server, following it (-R: standby.signal).
as_pg "$bin/pg_basebackup" -D "$standby_dir/data" -h "$LINEAGE_TEST_PG_SOCKDIR" -p "$port" -U postgres -R -X stream -N -c fast \
  >"$standby_dir/basebackup.log" 2>&1 || fail "pg_basebackup: $(cat "$standby_dir/basebackup.log")"
# (a standby needs as many connections as its primary; fsync off: throwaway data)
conns=$(psql -Atq "$primary" -c 'SHOW max_connections')
as_pg "$bin/pg_ctl" -D "$standby_dir/data" -l "$standby_dir/log" -w -t 120 -o \
  "-k $standby_dir/sock -p $port -c listen_addresses='' -c hot_standby=on -c fsync=off -c max_connections=$conns" start >/dev/null ||
  fail "the standby did not start: $(cat "$standby_dir/log")"
standby="postgresql:///$db?host=$standby_dir/sock&port=$port&user=postgres"
[ "$(psql -Atq "$standby" -c 'SELECT pg_is_in_recovery()')" = t ] || fail "the replica is not in recovery"

# Opens and answers (it would fail with "cannot execute LISTEN during recovery").
DB=$standby
ok downstream raw.orders --json
json 'assert [n["key"] for n in d["nodes"]] == ["raw.orders", "stg.orders"], d'

# A commit on the primary, then the standby's next query once it replayed it.
DB=$primary
ok edge add stg.orders mart.revenue --create-missing
lsn=$(psql -Atq "$primary" -c 'SELECT pg_current_wal_lsn()')
for _ in $(seq 100); do
  [ "$(psql -Atq "$standby" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break
  sleep 0.1
done
DB=$standby
ok downstream raw.orders --json
json 'assert [n["key"] for n in d["nodes"]] == ["raw.orders", "stg.orders", "mart.revenue"], d'

# A write on the standby: refused, read-only, nothing half done.
fails 1 'read-only' edge add mart.revenue dash.board --create-missing
echo "ok: $checks checks"
