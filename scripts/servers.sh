#!/usr/bin/env bash
# Private PostgreSQL 15 and MariaDB servers for a test run: data, Unix sockets and logs in one
# temporary folder, no TCP port, stopped (and the folder removed) when the sourcing shell exits.
#
#   source scripts/servers.sh
#   servers_start            # both; or servers_start_postgres / servers_start_mariadb
#   psql "$LINEAGE_TEST_PG"   # a URI of the database "lineage_test" (created empty)
#
# Exports:
#   LINEAGE_TEST_PG        postgresql:///lineage_test?host=SOCKDIR&port=PORT&user=postgres
#   LINEAGE_TEST_PG_ADMIN  the same server's "postgres" database (to create more databases)
#   LINEAGE_TEST_MYSQL     mysql://root@localhost/lineage_test?socket=SOCK
#   LINEAGE_TEST_MYSQL_SOCKET, LINEAGE_TEST_PG_SOCKDIR, LINEAGE_TEST_PG_PORT
# Debian's packages (postgresql-15, mariadb-server) are installed by scripts/setup.sh.
# Set LINEAGE_TEST_SERVERS=0 to skip starting them (the tests that need them then skip).

_servers_dir=""
_servers_pg=""
_servers_my_pid=""

_servers_cleanup() {
  if [ -n "$_servers_pg" ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$_servers_pg/data" -m immediate \
      stop >/dev/null 2>&1 || true
  fi
  if [ -n "$_servers_my_pid" ]; then
    # The server's own pid (runuser's child), from its pid file; then runuser ends too.
    local pid
    pid=$(cat "$_servers_dir/my/pid" 2>/dev/null || echo "$_servers_my_pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" "$_servers_my_pid" 2>/dev/null || true
  fi
  [ -n "$_servers_dir" ] && rm -rf "$_servers_dir"
  _servers_dir=""; _servers_pg=""; _servers_my_pid=""
}

_servers_as() {  # run as a system user (we are root in CI), or as ourselves otherwise
  local user=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

_servers_root() {
  if [ -z "$_servers_dir" ]; then
    _servers_dir=$(mktemp -d /tmp/lineage-servers.XXXXXX)
    chmod 755 "$_servers_dir"
    trap _servers_cleanup EXIT
  fi
}

servers_start_postgres() {
  local bin=/usr/lib/postgresql/15/bin
  [ -x "$bin/initdb" ] || { echo "servers: PostgreSQL 15 is not installed (scripts/setup.sh)" >&2; return 1; }
  _servers_root
  _servers_pg=$_servers_dir/pg
  mkdir -p "$_servers_pg/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$_servers_pg"
  # A port number is still needed for the socket's name; pick one from the pid.
  local port=$((20000 + $$ % 20000))
  _servers_as postgres "$bin/initdb" -D "$_servers_pg/data" -A trust -U postgres >"$_servers_pg/initdb.log" 2>&1 ||
    { cat "$_servers_pg/initdb.log" >&2; return 1; }
  # The collector tests read pg_stat_statements; fsync off: a test server's data is throwaway.
  _servers_as postgres "$bin/pg_ctl" -D "$_servers_pg/data" -l "$_servers_pg/log" -w -t 60 -o \
    "-k $_servers_pg/sock -p $port -c listen_addresses='' -c fsync=off -c max_connections=200 -c shared_preload_libraries=pg_stat_statements" \
    start >/dev/null || { cat "$_servers_pg/log" >&2; return 1; }
  export LINEAGE_TEST_PG_SOCKDIR=$_servers_pg/sock LINEAGE_TEST_PG_PORT=$port
  export LINEAGE_TEST_PG_ADMIN="postgresql:///postgres?host=$_servers_pg/sock&port=$port&user=postgres"
  export LINEAGE_TEST_PG="postgresql:///lineage_test?host=$_servers_pg/sock&port=$port&user=postgres"
  psql -q "$LINEAGE_TEST_PG_ADMIN" -c "CREATE DATABASE lineage_test" >/dev/null
  echo "servers: PostgreSQL 15 on $LINEAGE_TEST_PG"
}

servers_start_mariadb() {
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] ||
    { echo "servers: MariaDB is not installed (scripts/setup.sh)" >&2; return 1; }
  _servers_root
  local d=$_servers_dir/my
  mkdir -p "$d"
  [ "$(id -u)" = 0 ] && chown -R mysql: "$d"
  _servers_as mysql mariadb-install-db --user=mysql --datadir="$d/data" --auth-root-authentication-method=normal \
    --skip-test-db >"$d/install.log" 2>&1 || { cat "$d/install.log" >&2; return 1; }
  _servers_as mysql /usr/sbin/mariadbd --no-defaults --datadir="$d/data" --socket="$d/sock" --skip-networking \
    --pid-file="$d/pid" --log-error="$d/log" --innodb-flush-log-at-trx-commit=0 </dev/null >/dev/null 2>&1 &
  _servers_my_pid=$!
  local i
  for i in $(seq 300); do
    mariadb --no-defaults -S "$d/sock" -u root -e 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$_servers_my_pid" 2>/dev/null || { cat "$d/log" >&2; return 1; }
    sleep 0.1
  done
  mariadb --no-defaults -S "$d/sock" -u root -e 'CREATE DATABASE lineage_test' ||
    { cat "$d/log" >&2; return 1; }
  export LINEAGE_TEST_MYSQL_SOCKET=$d/sock
  export LINEAGE_TEST_MYSQL="mysql://root@localhost/lineage_test?socket=$d/sock"
  echo "servers: MariaDB on $LINEAGE_TEST_MYSQL"
}

servers_start() {
  [ "${LINEAGE_TEST_SERVERS:-1}" = 0 ] && { echo "servers: not started (LINEAGE_TEST_SERVERS=0)"; return 0; }
  servers_start_postgres && servers_start_mariadb
}
