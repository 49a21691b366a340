#!/usr/bin/env bash
# `lineage collect` against the real servers of scripts/servers.sh (PostgreSQL 15, MariaDB)
# and a SQLite file: the collected assets and column lineage, exactly; a second collect after
# a table is dropped; review decisions kept; bad input; passwords never stored nor printed.
# A server test skips when its LINEAGE_TEST_* variable is unset, and fails then under
# LINEAGE_TEST_REQUIRE_SERVERS=1.
source "$LINEAGE_SOURCE_DIR/tests/cli/lib.sh"
DATA=$LINEAGE_SOURCE_DIR/tests/data/collect
RUN=$$

need() {
  [ -n "${!1:-}" ] && return 0
  [ "${LINEAGE_TEST_REQUIRE_SERVERS:-0}" = 1 ] && fail "$1 is not set (start the servers: scripts/servers.sh)"
  echo "SKIP: $1 is not set: start the servers with scripts/servers.sh"
  return 1
}

# rows SQL: rows of a query on the lineage database, fields joined by '|'.
rows() {
  "$PY" -c "import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]): print('|'.join('' if v is None else str(v) for v in r))" "$DB" "$1"
}

# lineage PREFIX: the active edges from assets of PREFIX, without a job, sorted.
lineage() {
  rows "SELECT s.key || ' > ' || t.key || ' ' || e.kind || ' ' || e.transformation_type
        FROM edges e JOIN assets s ON s.id = e.source_id JOIN assets t ON t.id = e.target_id
        WHERE e.status = 0 AND e.job_id IS NULL AND s.key LIKE '$1.%' ORDER BY 1"
}

# expect NAME: stdin is what $got must be.
expect() {
  local want
  want=$(cat)
  [ "$got" = "$want" ] || fail "$1: got
$got
--- expected
$want"
  checks=$((checks + 1))
}

# The database's whole content, to show that a failed collect changed nothing.
snapshot() { l export --format json; l stats --json; l changes --json; }

secret_absent() {
  if grep -a -q -- "$1" "$DB" "$DB-wal" 2>/dev/null; then
    fail "the password '$1' is stored in the database"
  fi
  checks=$((checks + 1))
}

ok init

# ---- A SQLite file ----
"$PY" - "$TMP/shop.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id), amount REAL);
CREATE VIEW customer_totals (customer, total) AS
  SELECT c.name, sum(o.amount) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name;
CREATE VIEW broken AS SELECT id FROM orders /* a comment SQLite accepts unterminated""")
PY
ok collect "$TMP/shop.sqlite" --json
json '
assert d["assets"]["created"] == 14, d
errors = [x for x in d["diagnostics"] if x["severity"] == "error"]
assert len(errors) == 1 and errors[0]["file"] == "shop.main.broken", d["diagnostics"]
assert "unterminated comment" in errors[0]["message"], errors
'
got=$(lineage shop)
expect "sqlite lineage" <<'EOF'
shop.main.customers > shop.main.customer_totals flow view
shop.main.customers.id > shop.main.customer_totals indirect indirect
shop.main.customers.name > shop.main.customer_totals indirect indirect
shop.main.customers.name > shop.main.customer_totals.customer flow identity
shop.main.orders > shop.main.broken flow view
shop.main.orders > shop.main.customer_totals flow view
shop.main.orders.amount > shop.main.customer_totals.total flow aggregate
shop.main.orders.customer_id > shop.main.customer_totals indirect indirect
shop.main.orders.id > shop.main.broken.id flow identity
EOF
got=$(rows "SELECT a.key, a.kind, p.key, a.properties FROM assets a LEFT JOIN assets p ON p.id = a.parent_id
            WHERE a.key IN ('shop.main', 'shop.main.orders', 'shop.main.orders.amount') ORDER BY a.key")
expect "sqlite assets" <<'EOF'
shop.main|schema|shop|{}
shop.main.orders|table|shop.main|{"foreign_keys":[{"columns":["customer_id"],"name":"fk0","referenced_columns":["id"],"references":"shop.main.customers"}],"primary_key":["id"]}
shop.main.orders.amount|column|shop.main.orders|{"nullable":true,"position":3,"type":"REAL"}
EOF
got=$(rows "SELECT kind, json_extract(properties, '$.collector') FROM assets WHERE key = 'shop'")
expect "sqlite system" <<<"system|sqlite"
# --strict: exit 2 when a view could not be read (the rest is stored all the same).
rc=0
l collect "$TMP/shop.sqlite" --strict >"$TMP/out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "collect --strict with an unreadable view exited $rc: $(cat "$TMP/out")"
grep -q 'error shop.main.broken:1:45: unterminated comment' "$TMP/out" || fail "no diagnostic naming the view: $(cat "$TMP/out")"
checks=$((checks + 1))
# The same file by URI is the same source: nothing new.
ok collect "sqlite://$TMP/shop.sqlite" --json
json 'assert d["edges"]["created"] == 0 and d["edges"]["unchanged"] == 9 and d["assets"]["created"] == 0, d'

# ---- Bad input: a clear error, and the database exactly as it was ----
before=$(snapshot)
fails 1 'no collector reads "ftp://host/x"' collect ftp://host/x
fails 1 'nope \(sqlite:///nowhere/nope.db\): cannot open the file' collect sqlite:///nowhere/nope.db
fails 1 'the URI names no database: give the source a name \(--name\)' collect 'mysql://root@localhost'
fails 1 "cannot connect: .*nowhere" collect "postgresql://ann:Pa55-word@/shop?host=$TMP/nowhere"
grep -q 'ann:\*\*\*\*@' "$TMP/err" || fail "the password is not masked: $(cat "$TMP/err")"
! grep -q 'Pa55-word' "$TMP/err" || fail "the password is printed: $(cat "$TMP/err")"
fails 2 'takes a number of seconds' collect "$TMP/shop.sqlite" --timeout soon
[ "$before" = "$(snapshot)" ] || fail "a failed collect changed the database"

# ---- PostgreSQL ----
if need LINEAGE_TEST_PG; then
  PGDB=collect_$RUN
  PGURI=${LINEAGE_TEST_PG/\/lineage_test\?//$PGDB?}
  psql -q "$LINEAGE_TEST_PG_ADMIN" -c "CREATE DATABASE $PGDB" >/dev/null
  trap 'psql -q "$LINEAGE_TEST_PG_ADMIN" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
  psql() { command psql -q -v ON_ERROR_STOP=1 "$@"; }
  psql "$PGURI" -f "$DATA/postgres.sql" >/dev/null
  psql "$PGURI" >/dev/null <<'SQL'
CREATE EXTENSION pg_stat_statements;
INSERT INTO crm.customers VALUES (1, 'Ann', 'FR');
INSERT INTO sales.orders VALUES (10, 1, 25.50, 'paid');
INSERT INTO mart.order_log (order_id, customer, amount)
  SELECT o.id, c.name, o.amount FROM sales.orders o JOIN crm.customers c ON c.id = o.customer_id;
INSERT INTO mart.order_log (order_id, customer, amount)
  SELECT o.id, c.name, o.amount FROM sales.orders o JOIN crm.customers c ON c.id = o.customer_id;
SQL
  # A dry run writes nothing; the password given (trust authentication ignores it) is
  # neither stored nor shown.
  before=$(snapshot)
  PWURI=${PGURI/postgresql:\/\//postgresql://postgres:Secr3t-PW@}
  ok collect "$PWURI" --name pg --dry-run --json
  json 'assert d["dry_run"] and d["assets"]["created"] == 35 and d["edges"]["created"] == 27, d'
  [ "$before" = "$(snapshot)" ] || fail "a dry run changed the database"
  ok collect "$PWURI" --name pg --queries --json
  json '
assert d["assets"]["created"] >= 36 and d["edges"]["retired"] == 0 and d["diagnostics"] == [], d
assert "Secr3t-PW" not in str(d) and "postgres:****@" in d["inputs"][0]["path"], d["inputs"]
'
  secret_absent Secr3t-PW
  got=$(lineage pg)
  expect "postgres view lineage" <<'EOF'
pg.crm.customers > pg.mart.country_revenue flow materialized_view
pg.crm.customers > pg.mart.customer_revenue flow view
pg.crm.customers.country > pg.mart.country_revenue indirect indirect
pg.crm.customers.country > pg.mart.country_revenue.country flow identity
pg.crm.customers.id > pg.mart.country_revenue indirect indirect
pg.crm.customers.id > pg.mart.customer_revenue indirect indirect
pg.crm.customers.id > pg.mart.customer_revenue.customer_id flow identity
pg.crm.customers.name > pg.mart.customer_revenue indirect indirect
pg.crm.customers.name > pg.mart.customer_revenue.name flow identity
pg.mart.customer_revenue > pg.mart.country_revenue flow materialized_view
pg.mart.customer_revenue.customer_id > pg.mart.country_revenue indirect indirect
pg.mart.customer_revenue.revenue > pg.mart.country_revenue.revenue flow aggregate
pg.sales.orders > pg.sales.net_orders flow view
pg.sales.orders > pg.sales.paid_orders flow view
pg.sales.orders.amount > pg.sales.net_orders.net flow transform
pg.sales.orders.amount > pg.sales.paid_orders.paid_amount flow identity
pg.sales.orders.customer_id > pg.sales.paid_orders.customer_id flow identity
pg.sales.orders.id > pg.sales.net_orders indirect indirect
pg.sales.orders.id > pg.sales.net_orders.id flow identity
pg.sales.orders.id > pg.sales.paid_orders.id flow identity
pg.sales.orders.status > pg.sales.paid_orders indirect indirect
pg.sales.paid_orders > pg.mart.customer_revenue flow view
pg.sales.paid_orders.customer_id > pg.mart.customer_revenue indirect indirect
pg.sales.paid_orders.paid_amount > pg.mart.customer_revenue.revenue flow aggregate
pg.sales.refunds > pg.sales.net_orders flow view
pg.sales.refunds.amount > pg.sales.net_orders.net flow transform
pg.sales.refunds.order_id > pg.sales.net_orders indirect indirect
EOF
  got=$(rows "SELECT a.key, a.kind, p.key, ifnull(a.description, ''), a.properties FROM assets a
              JOIN assets p ON p.id = a.parent_id WHERE a.key IN ('pg.mart', 'pg.crm.customers',
              'pg.crm.customers.name', 'pg.sales.orders', 'pg.mart.country_revenue') ORDER BY a.key")
  expect "postgres assets" <<'EOF'
pg.crm.customers|table|pg.crm|People who buy|{"primary_key":["id"]}
pg.crm.customers.name|column|pg.crm.customers|Full name|{"nullable":false,"position":2,"type":"text"}
pg.mart|schema|pg|Reporting|{}
pg.mart.country_revenue|materialized_view|pg.mart||{}
pg.sales.orders|table|pg.sales||{"foreign_keys":[{"columns":["customer_id"],"name":"orders_customer_id_fkey","referenced_columns":["id"],"references":"pg.crm.customers"}],"primary_key":["id"]}
EOF
  # pg_stat_statements: the INSERT ... SELECT that ran twice, as a job with its call count.
  got=$(rows "SELECT s.key || ' > ' || t.key || ' ' || json_extract(e.properties, '$.calls')
              FROM edges e JOIN assets s ON s.id = e.source_id JOIN assets t ON t.id = e.target_id
              JOIN assets j ON j.id = e.job_id WHERE e.kind = 'flow' ORDER BY 1")
  expect "postgres query lineage" <<'EOF'
pg.crm.customers > pg.mart.order_log 2
pg.crm.customers.name > pg.mart.order_log.customer 2
pg.sales.orders > pg.mart.order_log 2
pg.sales.orders.amount > pg.mart.order_log.amount 2
pg.sales.orders.id > pg.mart.order_log.order_id 2
EOF
  got=$(rows "SELECT a.kind, p.key, json_extract(a.properties, '$.calls') FROM assets a JOIN assets p ON p.id = a.parent_id WHERE a.key LIKE 'pg:query:%'")
  expect "postgres query job" <<<"job|pg|2"

  # Review decisions on edges that the next collect will no longer find.
  id_of() { rows "SELECT e.id FROM edges e JOIN assets s ON s.id = e.source_id JOIN assets t ON t.id = e.target_id WHERE s.key = '$1' AND t.key = '$2' AND e.kind = 'flow'"; }
  approved=$(id_of pg.sales.orders.amount pg.sales.net_orders.net)
  rejected=$(id_of pg.sales.orders.id pg.sales.net_orders.id)
  ok approve "$approved"
  ok reject "$rejected"
  ok edge add pg.sales.refunds.amount pg.mart.order_log.amount
  psql "$PGURI" -c "DROP TABLE sales.refunds CASCADE" 2>/dev/null
  ok collect "$PGURI" --name pg --queries --json
  json '
assert d["assets"]["removed"] == 6 and d["assets"]["created"] == 0, d["assets"]
assert d["edges"]["retired"] == 5 and d["edges"]["created"] == 0, d["edges"]
'
  got=$(rows "SELECT key || ' ' || status FROM assets WHERE status IS NOT NULL ORDER BY key")
  expect "removed assets" <<'EOF'
pg.sales.net_orders removed
pg.sales.net_orders.id removed
pg.sales.net_orders.net removed
pg.sales.refunds removed
pg.sales.refunds.amount removed
pg.sales.refunds.order_id removed
EOF
  got=$(rows "SELECT e.status || ' ' || e.lineage_source FROM edges e JOIN assets s ON s.id = e.source_id
              JOIN assets t ON t.id = e.target_id WHERE s.key LIKE 'pg.sales.refunds%' OR t.key LIKE 'pg.sales.net_orders%'
              ORDER BY 1")
  # the manual and approved ones active, the rejected one rejected, the other five retired.
  expect "edges of the dropped table" <<'EOF'
0 2
0 3
1 1
2 1
2 1
2 1
2 1
2 1
EOF
  # Unchanged source: nothing changes; the table back: its status goes.
  ok collect "$PGURI" --name pg --queries --json
  json 'assert d["edges"]["created"] == 0 and d["edges"]["retired"] == 0 and d["assets"]["removed"] == 0 and d["assets"]["updated"] == 0, d'
  psql "$PGURI" -c "CREATE TABLE sales.refunds (order_id bigint, amount numeric(12, 2))"
  ok collect "$PGURI" --name pg --queries
  got=$(rows "SELECT key || ' ' || ifnull(status, '-') FROM assets WHERE key LIKE 'pg.sales.refunds%' ORDER BY key")
  expect "table back" <<'EOF'
pg.sales.refunds -
pg.sales.refunds.amount -
pg.sales.refunds.order_id -
EOF
  # Quoted names (spaces, capitals, a quote), a CTE, SELECT *, a view over a system catalog.
  psql "$PGURI" >/dev/null <<'SQL'
CREATE SCHEMA "Odd Names";
CREATE TABLE "Odd Names"."Orders" ("Order ID" int PRIMARY KEY, "Amount" numeric, "we""ird" text);
CREATE VIEW "Odd Names"."Big Orders" AS
  SELECT "Order ID", "Amount" * 2 AS "Double", "we""ird" FROM "Odd Names"."Orders" WHERE "Amount" > 100;
CREATE VIEW "Odd Names".totals AS
  WITH t AS (SELECT "Amount" FROM "Odd Names"."Orders") SELECT sum("Amount") AS total FROM t;
CREATE VIEW "Odd Names".everything AS SELECT * FROM "Odd Names"."Orders";
CREATE VIEW "Odd Names".relations AS SELECT c.relname FROM pg_class c;
SQL
  ok collect "$PGURI" --name odd --schema "Odd Names" --json
  json '
assert [(x["severity"], x["file"]) for x in d["diagnostics"]] == [("note", "odd.Odd Names.relations")], d
assert "pg_class, a system catalog" in d["diagnostics"][0]["message"]
'
  got=$(lineage odd)
  expect "quoted names" <<'EOF'
odd.Odd Names.Orders > odd.Odd Names.Big Orders flow view
odd.Odd Names.Orders > odd.Odd Names.everything flow view
odd.Odd Names.Orders > odd.Odd Names.totals flow view
odd.Odd Names.Orders.Amount > odd.Odd Names.Big Orders indirect indirect
odd.Odd Names.Orders.Amount > odd.Odd Names.Big Orders.Double flow transform
odd.Odd Names.Orders.Amount > odd.Odd Names.everything.Amount flow identity
odd.Odd Names.Orders.Amount > odd.Odd Names.totals.total flow aggregate
odd.Odd Names.Orders.Order ID > odd.Odd Names.Big Orders.Order ID flow identity
odd.Odd Names.Orders.Order ID > odd.Odd Names.everything.Order ID flow identity
odd.Odd Names.Orders.we"ird > odd.Odd Names.Big Orders.we"ird flow identity
odd.Odd Names.Orders.we"ird > odd.Odd Names.everything.we"ird flow identity
EOF
  # Only some schemas; a database that does not exist.
  ok collect "$PGURI" --name pgcrm --schema crm --json
  json 'assert d["assets"]["created"] == 6 and d["edges"]["found"] == 0, d'
  ok collect "$PGURI" --name pgcrm --schema crm --schema CRM --dry-run --json
  json 'assert len(d["diagnostics"]) == 1 and d["diagnostics"][0]["message"].startswith("no schema \"CRM\" in pgcrm"), d'
  before=$(snapshot)
  fails 1 'pg \(postgresql:///nope_db.*cannot connect: .*"nope_db" does not exist' collect "${PGURI/$PGDB/nope_db}" --name pg
  [ "$before" = "$(snapshot)" ] || fail "a failed collect changed the database"
fi

# ---- MariaDB ----
if need LINEAGE_TEST_MYSQL; then
  A=collect_a_$RUN B=collect_b_$RUN U=reader_$RUN
  my() { mariadb --no-defaults -S "$LINEAGE_TEST_MYSQL_SOCKET" -u root "$@"; }
  trap 'my -e "DROP DATABASE IF EXISTS $A; DROP DATABASE IF EXISTS $B; DROP USER IF EXISTS $U@localhost" 2>/dev/null; rm -rf "$TMP"' EXIT
  my -e "CREATE DATABASE $A; CREATE DATABASE $B"
  sed -e "s/@A@/$A/g" -e "s/@B@/$B/g" "$DATA/mysql.sql" | my
  MYURI=${LINEAGE_TEST_MYSQL/\/lineage_test\?//$A?}
  ok collect "$MYURI" --name my --schema "$A" --schema "$B" --json
  json 'assert d["assets"]["created"] == 26 and d["diagnostics"] == [], d'
  got=$(lineage my | sed -e "s/$A/A/g" -e "s/$B/B/g")
  expect "mariadb view lineage" <<'EOF'
my.A.orders > my.A.net_orders flow view
my.A.orders > my.A.paid_orders flow view
my.A.orders.amount > my.A.net_orders.net flow transform
my.A.orders.amount > my.A.paid_orders.paid_amount flow identity
my.A.orders.customer_id > my.A.paid_orders.customer_id flow identity
my.A.orders.id > my.A.net_orders indirect indirect
my.A.orders.id > my.A.net_orders.id flow identity
my.A.orders.id > my.A.paid_orders.id flow identity
my.A.orders.status > my.A.paid_orders indirect indirect
my.A.paid_orders > my.A.customer_revenue flow view
my.A.paid_orders.customer_id > my.A.customer_revenue indirect indirect
my.A.paid_orders.paid_amount > my.A.customer_revenue.revenue flow aggregate
my.A.refunds > my.A.net_orders flow view
my.A.refunds.amount > my.A.net_orders.net flow transform
my.A.refunds.order_id > my.A.net_orders indirect indirect
my.B.customers > my.A.customer_revenue flow view
my.B.customers.id > my.A.customer_revenue indirect indirect
my.B.customers.id > my.A.customer_revenue.customer_id flow identity
my.B.customers.name > my.A.customer_revenue indirect indirect
my.B.customers.name > my.A.customer_revenue.name flow identity
EOF
  got=$(rows "SELECT a.key, ifnull(a.description, ''), a.properties FROM assets a WHERE a.key IN ('my.$B.customers', 'my.$B.customers.name', 'my.$A.orders') ORDER BY a.key" | sed -e "s/$A/A/g" -e "s/$B/B/g")
  expect "mariadb assets" <<'EOF'
my.A.orders||{"foreign_keys":[{"columns":["customer_id"],"name":"orders_ibfk_1","referenced_columns":["id"],"references":"my.B.customers"}],"primary_key":["id"]}
my.B.customers|People who buy|{"primary_key":["id"]}
my.B.customers.name|Full name|{"nullable":false,"position":2,"type":"varchar(100)"}
EOF
  # A table dropped: removed, its edges retired, and the view that still reads it (MariaDB
  # keeps it, without columns) named in a warning.
  my -e "DROP TABLE $A.refunds"
  ok collect "$MYURI" --name my --schema "$A" --schema "$B" --json
  json '
assert d["assets"]["removed"] == 5, d["assets"]
assert d["edges"]["retired"] == 5, d["edges"]
w = [x for x in d["diagnostics"] if x["severity"] == "warning"]
assert any("net_orders" in x["file"] and "refunds" in x["message"] for x in w), d["diagnostics"]
'
  # Wrong credentials; a user who may not read the views' definitions.
  my -e "CREATE USER $U@localhost IDENTIFIED BY 'Right-Pw9'; GRANT SELECT ON $A.* TO $U@localhost"
  BASE=${MYURI#mysql://root@}
  before=$(snapshot)
  fails 1 "cannot connect: Access denied for user '$U'@'localhost'" collect "mysql://$U:Wrong-Pw7@$BASE"
  ! grep -q 'Wrong-Pw7' "$TMP/err" || fail "the password is printed: $(cat "$TMP/err")"
  [ "$before" = "$(snapshot)" ] || fail "a failed collect changed the database"
  ok collect "mysql://$U:Right-Pw9@$BASE" --name myro --json
  json '
errors = sorted(x["file"].split(".")[-1] for x in d["diagnostics"] if x["severity"] == "error")
assert errors == ["customer_revenue", "net_orders", "paid_orders"], d["diagnostics"]
assert all("SHOW VIEW" in x["message"] for x in d["diagnostics"] if x["severity"] == "error")
assert d["assets"]["created"] > 0 and "Right-Pw9" not in str(d), d
'
  secret_absent Right-Pw9
fi
echo "collect CLI: $checks checks passed"
