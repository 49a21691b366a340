"""The review queue and an asset's history over real HTTP: pages read in the store, each a
slice of the whole list, and a total that follows every change (also another process's)."""

from __future__ import annotations

from pathlib import Path

import lineage
from served import serve

API = "/api/v1"


def test_pages_and_totals_follow_changes(db_file: Path) -> None:
    with lineage.open(db_file, actor="setup") as g, g.transaction("queue"):
        for i in range(60):
            g.add_edge(f"q.src{i:02d}", "q.hub", lineage_source="inferred",
                       confidence=round(0.01 + (i % 7) / 10, 2), create_missing=True)
    with serve(db_file) as s:
        whole = s.http.get(f"{API}/edges/pending", params={"limit": 1000}).json()
        total = whole["total"]
        assert total == len(whole["items"]) >= 60
        for offset in (0, 7, total - 3):
            page = s.http.get(f"{API}/edges/pending",
                              params={"limit": 5, "offset": offset}).json()
            assert page["total"] == total and page["offset"] == offset
            assert page["items"] == whole["items"][offset:offset + 5]
        # an approval here, then a new inferred edge from another process: the total follows
        first = whole["items"][0]["id"]
        assert s.http.post(f"{API}/lineage/{first}/approve", json={"by": "ada"}).status_code == 200
        page = s.http.get(f"{API}/edges/pending", params={"limit": 5}).json()
        assert page["total"] == total - 1 and page["items"][0]["id"] != first
        with lineage.open(db_file, actor="elsewhere") as other:
            other.add_edge("q.late", "q.hub", lineage_source="inferred", confidence=0.001,
                           create_missing=True)
        page = s.http.get(f"{API}/edges/pending", params={"limit": 5}).json()
        assert page["total"] == total and page["items"][0]["source"] == "q.late"

        hist = s.http.get(f"{API}/assets/q.hub/history", params={"limit": 1000}).json()
        assert hist["total"] == len(hist["items"]) == 63  # 61 edges, the approval, the hub
        tail = s.http.get(f"{API}/assets/q.hub/history",
                          params={"limit": 10, "offset": 60}).json()
        assert tail["total"] == 63 and tail["items"] == hist["items"][60:]
        r = s.http.put(f"{API}/assets/q.hub", json={"description": "the hub"})
        assert r.status_code == 200
        top = s.http.get(f"{API}/assets/q.hub/history", params={"limit": 1}).json()
        assert top["total"] == 64 and top["items"][0]["action"] == "update"
