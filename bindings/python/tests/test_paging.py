"""Lists paged in the store: the review queue and an asset's history read only their page,
with the whole list's total (on SQLite, and on PostgreSQL in the LINEAGE_TEST_BACKEND pass)."""

from __future__ import annotations

import lineage


def _queue(g: lineage.Graph, n: int) -> None:
    with g.transaction("queue"):
        g.add_asset("hub", "table")
        for i in range(n):
            g.add_asset(f"t{i:03d}", "table")
            # confidences out of key order, two of each, so ties are broken by id
            g.add_edge(f"t{i:03d}", "hub", lineage_source="inferred",
                       confidence=round(0.05 + ((i * 37) % 50) / 100, 2))
        g.add_edge("hub", "t000", lineage_source="manual")  # not waiting for review


def test_pending_pages_are_slices_of_the_whole_queue(g: lineage.Graph) -> None:
    _queue(g, 100)
    whole = g.pending(1000)
    assert whole.total == 100 and len(whole) == 100
    order = [(e.confidence, e.id) for e in whole]
    assert order == sorted(order)
    for offset, limit in ((0, 10), (10, 10), (95, 10), (37, 1)):
        page = g.pending(limit, offset)
        assert page.total == 100
        assert [e.id for e in page] == [e.id for e in whole[offset:offset + limit]]
    past = g.pending(10, 500)
    assert list(past) == [] and past.total == 100
    g.approve(whole[0].id, by="ada")
    assert g.pending(5).total == 99 and g.pending(5)[0].id == whole[1].id


def test_history_pages_are_slices_of_the_whole_history(g: lineage.Graph) -> None:
    _queue(g, 30)
    for i in range(5):
        g.update_asset("hub", description=f"v{i}")
    whole = g.history("hub", 1000)
    # the hub's creation, 5 updates, 31 edges' creations
    assert whole.total == len(whole) == 37
    seqs = [c.seq for c in whole]
    assert seqs == sorted(seqs, reverse=True)
    for offset, limit in ((0, 7), (7, 7), (35, 7), (36, 1)):
        page = g.history("hub", limit, offset)
        assert page.total == 37
        assert [c.seq for c in page] == seqs[offset:offset + limit]
    assert g.history("hub", 3)[0].action == "update"
    gone = g.history("never.there", 10, 5)
    assert list(gone) == [] and gone.total == 0


def test_paging_arguments_are_checked(g: lineage.Graph) -> None:
    import pytest

    with pytest.raises(ValueError, match="offset"):
        g.pending(10, -1)
    with pytest.raises(ValueError, match="offset"):
        g.history("a", 10, -1)
