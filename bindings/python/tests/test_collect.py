"""Graph.collect(): a SQLite file, and the PostgreSQL and MariaDB servers of scripts/servers.sh
(skipped when their LINEAGE_TEST_* variable is unset, failed then under
LINEAGE_TEST_REQUIRE_SERVERS=1)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

import lineage

DATA = Path(os.environ.get("LINEAGE_SOURCE_DIR", Path(__file__).resolve().parents[3])) / "tests" / "data" / "collect"


def server(var: str) -> str:
    uri = os.environ.get(var, "")
    if not uri:
        if os.environ.get("LINEAGE_TEST_REQUIRE_SERVERS") == "1":
            pytest.fail(f"{var} is not set (start the servers: scripts/servers.sh)")
        pytest.skip(f"{var} is not set: start the servers with scripts/servers.sh")
    return uri


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, status TEXT);
        CREATE VIEW paid (order_id, paid_amount) AS
          SELECT id, amount FROM orders WHERE status = 'paid';
    """)
    con.close()
    return path


def flows(g: lineage.Graph, key: str) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in g.edges(key, direction="in")
            if e.kind == "flow"}


def test_collect_a_sqlite_file(g: lineage.Graph, shop: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    r = g.collect(shop, name="shop", progress=lambda s, d, t: seen.append((s, d, t)) or True)
    assert r.assets["created"] == 9 and r.edges["created"] == 4 and r.diagnostics == []
    assert seen[-1] == ("collect", 3, 3)
    assert g.get_asset("shop").kind == "system"
    view = g.get_asset("shop.main.paid")
    assert view.kind == "view" and view.parent == "shop.main"
    assert flows(g, "shop.main.paid.paid_amount") == {("shop.main.orders.amount",
                                                       "shop.main.paid.paid_amount")}
    # Again: nothing new; a dry run writes nothing.
    r = g.collect(f"sqlite://{shop}", name="shop", dry_run=True)
    assert r.dry_run and r.edges["created"] == 0 and r.edges["unchanged"] == 4


def test_collect_cancel_and_bad_input(g: lineage.Graph, shop: Path) -> None:
    with pytest.raises(lineage.CancelledError):
        g.collect(shop, progress=lambda s, d, t: False)
    assert g.stats()["assets"] == 0
    with pytest.raises(lineage.ValidationError, match="no collector reads"):
        g.collect("ftp://host/x")
    with pytest.raises(lineage.LineageIOError, match=r"ann:\*\*\*\*@.*cannot connect") as exc:
        g.collect("postgresql://ann:Hunter2-pw@/shop?host=/nonexistent")
    assert "Hunter2-pw" not in str(exc.value)
    with pytest.raises(TypeError):
        g.collect(shop, schemas=3)  # type: ignore[arg-type]
    assert g.stats()["assets"] == 0


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of its own, loaded with the collector tests' sample schema."""
    admin = server("LINEAGE_TEST_PG_ADMIN")
    name = f"collect_py_{os.getpid()}"
    subprocess.run(["psql", "-q", admin, "-c", f"CREATE DATABASE {name}"], check=True)
    uri = admin.replace("/postgres?", f"/{name}?")
    try:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", uri, "-f",
                        str(DATA / "postgres.sql")], check=True, capture_output=True)
        yield uri
    finally:
        subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       check=False, capture_output=True)


def test_collect_postgres(g: lineage.Graph, pg_database: str) -> None:
    r = g.collect(pg_database, name="pg", schemas=["sales", "crm", "mart"])
    assert r.assets["created"] == 34 and r.edges["created"] == 27, r.to_dict()
    assert g.get_asset("pg.mart.country_revenue").kind == "materialized_view"
    assert flows(g, "pg.mart.customer_revenue.revenue") == {
        ("pg.sales.paid_orders.paid_amount", "pg.mart.customer_revenue.revenue")}
    assert flows(g, "pg.sales.paid_orders.paid_amount") == {
        ("pg.sales.orders.amount", "pg.sales.paid_orders.paid_amount")}
    props: dict[str, Any] = g.get_asset("pg.sales.orders").properties
    assert props["primary_key"] == ["id"]
    assert props["foreign_keys"][0]["references"] == "pg.crm.customers"
    subprocess.run(["psql", "-q", pg_database, "-c", "DROP TABLE sales.refunds CASCADE"],
                   check=True, capture_output=True)
    r = g.collect(pg_database, name="pg", schemas=["sales", "crm", "mart"])
    assert r.assets["removed"] == 6 and r.edges["retired"] == 7, r.to_dict()
    assert g.get_asset("pg.sales.refunds").status == "removed"


def test_collect_mariadb_refuses_wrong_credentials(g: lineage.Graph) -> None:
    uri = server("LINEAGE_TEST_MYSQL")
    wrong = uri.replace("mysql://root@", "mysql://root:Wrong-Pw5@")
    with pytest.raises(lineage.LineageIOError, match="Access denied") as exc:
        g.collect(wrong)
    assert "Wrong-Pw5" not in str(exc.value)
    assert g.stats()["assets"] == 0
