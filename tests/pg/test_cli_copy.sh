#!/usr/bin/env bash
# `lineage copy` on a real PostgreSQL server ($LINEAGE_TEST_PG): a SQLite store to PostgreSQL
# and back gives the same export and history; a non-empty destination is refused in the
# CLI's words; a password in a URI is not echoed.
source "$(dirname "$0")/../cli/lib.sh"

if [ -z "${LINEAGE_TEST_PG:-}" ]; then
  if [ "${LINEAGE_TEST_REQUIRE_SERVERS:-}" = 1 ]; then
    echo "LINEAGE_TEST_PG is not set but LINEAGE_TEST_REQUIRE_SERVERS=1: start the servers with scripts/servers.sh" >&2
    exit 1
  fi
  echo "skipped: LINEAGE_TEST_PG is not set (source scripts/servers.sh; servers_start_postgres)"
  exit 0
fi
schema="cli_copy_$$_$(date +%s%N)"

ok init
ok edge add raw.orders stg.orders --create-missing --source inferred --description $'a\ttab'
ok edge add stg.orders mart.revenue --create-missing
ok copy "$DB" "$LINEAGE_TEST_PG" --dest-schema "$schema" --json
json 'assert d["source"].endswith("test.db") and d["dest"].startswith("postgresql://"), d'
ok copy "$LINEAGE_TEST_PG" "$TMP/back.db" --src-schema "$schema"
contains "copied"
for db in "$DB" "$TMP/back.db"; do
  "$CLI" --db "$db" export --format json >"$TMP/$(basename "$db").json"
  "$CLI" --db "$db" history stg.orders --json >"$TMP/$(basename "$db").history"
done
cmp "$TMP/test.db.json" "$TMP/back.db.json" || fail "the export differs after SQLite -> PostgreSQL -> SQLite"
cmp "$TMP/test.db.history" "$TMP/back.db.history" || fail "the history differs after the round trip"
checks=$((checks + 1))

fails 1 'not empty.*empty store' copy "$DB" "$TMP/back.db"
fails 1 'not empty' copy "$DB" "$LINEAGE_TEST_PG" --dest-schema "$schema"
fails 2 'copy' copy "$DB"
fails 3 'holds no lineage store' copy "$TMP/missing.db" "$TMP/never.db"
[ ! -e "$TMP/never.db" ] || fail "a failed copy left its destination file"
# a password given in the URI is not printed back
ok copy "$DB" "postgresql://postgres:s3cret@/lineage_test?host=${LINEAGE_TEST_PG_SOCKDIR}&port=${LINEAGE_TEST_PG_PORT}&password=s3cret" --dest-schema "${schema}_pw"
contains "copied"
grep -q s3cret <<<"$out" && fail "the password was printed: $out"
checks=$((checks + 1))
echo "ok: $checks checks"
