from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path
from typing import Iterator

import pytest

import lineage


# LINEAGE_TEST_BACKEND=postgres (scripts/test-python.sh, when LINEAGE_TEST_PG is set): the
# store-facing tests -- those on the `g` fixture -- run on a fresh store in PostgreSQL each;
# the others (files, backups, the binding's own checks) ran on the SQLite pass already.
ON_PG = os.environ.get("LINEAGE_TEST_BACKEND") == "postgres"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_PG:
        kept = [i for i in items if "g" in getattr(i, "fixturenames", ())]
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
def g() -> Iterator[lineage.Graph]:
    """A fresh in-memory graph (on the PostgreSQL pass, a fresh store in its own schema)."""
    if ON_PG:
        uri = os.environ["LINEAGE_TEST_PG"]
        with lineage.open(uri, actor="pytest", pg_schema="py_" + uuid.uuid4().hex[:20]) as graph:
            yield graph
        return
    with lineage.open(":memory:", actor="pytest") as graph:
        yield graph


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt during the test, as in a terminal.

    A shell starts a background job (`scripts/test.sh &`, nohup) with SIGINT ignored, and
    Python then keeps it ignored: a test that sends itself Ctrl-C sets the disposition it
    needs instead of inheriting it.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lineage.db"


@pytest.fixture
def warehouse(g: lineage.Graph) -> lineage.Graph:
    """A small warehouse: two sources, a staging table, a mart and a dashboard.

        raw.orders ──> stg.orders ──> mart.revenue ──> dash.revenue
        raw.customers ─┘ (inferred, 0.6)
    """
    g.add_asset("raw.orders", "table", owner="ingest")
    g.add_asset("raw.customers", "table", owner="ingest")
    g.add_asset("stg.orders", "table", owner="analytics")
    g.add_asset("mart.revenue", "table", owner="finance", description="Revenue per day",
                tags=["finance", "daily"])
    g.add_asset("dash.revenue", "dashboard", owner="finance")
    g.add_edge("raw.orders", "stg.orders")
    g.add_edge("raw.customers", "stg.orders", lineage_source="inferred", confidence=0.6)
    g.add_edge("stg.orders", "mart.revenue", transformation="select day, sum(amount)")
    g.add_edge("mart.revenue", "dash.revenue")
    return g
