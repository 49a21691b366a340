from __future__ import annotations

import signal
from pathlib import Path
from typing import Iterator

import pytest

import lineage


@pytest.fixture
def g() -> Iterator[lineage.Graph]:
    """A fresh in-memory graph."""
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
