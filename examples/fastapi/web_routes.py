"""Read routes for the web view on large graphs: a hub's neighbours by page (the members
of a grouped "+680 tables" node) and a table's columns with their column-level edges."""

from __future__ import annotations

from typing import Any, Callable, Literal, Optional

import lineage
from fastapi import FastAPI, Query


def install(app: FastAPI, g: Callable[[], lineage.Graph], api: str) -> None:
    @app.get(api + "/view/neighbours/{key:path}", tags=["graph"])
    def neighbours(key: str, direction: Literal["in", "out"] = "out",
                   kind: Optional[str] = Query(None, description="only neighbours of this kind"),
                   filter: str = Query("", max_length=200,
                                       description="only keys containing this text"),
                   limit: int = Query(20, ge=1, le=500),
                   offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """An asset's direct upstream (``in``) or downstream (``out``) neighbours, sorted by
        key, filtered and paged, with the count of each kind (before the kind filter)."""
        graph = g()
        graph.get_asset(key)  # 404 for an unknown asset
        seen: dict[str, dict[str, Any]] = {}
        for edge in graph.edges(key, direction):
            other = edge.source if direction == "in" else edge.target
            if other != key and other not in seen:
                asset = graph.get_asset(other)
                seen[other] = {"key": other, "kind": asset.kind, "name": asset.name,
                               "edge_id": edge.id, "lineage_source": edge.lineage_source}
        by_kind: dict[str, int] = {}
        for item in seen.values():
            by_kind[item["kind"]] = by_kind.get(item["kind"], 0) + 1
        text = filter.casefold()
        items = sorted((i for i in seen.values()
                        if (kind is None or i["kind"] == kind) and text in i["key"].casefold()),
                       key=lambda i: i["key"])
        return {"key": key, "direction": direction, "by_kind": by_kind, "total": len(items),
                "limit": limit, "offset": offset, "items": items[offset:offset + limit]}

    @app.get(api + "/view/columns/{key:path}", tags=["graph"])
    def columns(key: str) -> dict[str, Any]:
        """The columns an asset contains and the column-level edges touching them (to
        columns of this asset or of others)."""
        graph = g()
        graph.get_asset(key)  # 404 for an unknown asset
        cols = [a for a in graph.children(key) if a.kind == "column"]
        edges: dict[int, dict[str, Any]] = {}
        for col in cols:
            for edge in graph.edges(col.key, "both"):
                edges[edge.id] = edge.to_dict()
        return {"key": key,
                "items": [{"key": c.key, "name": c.name, "parent": key} for c in cols],
                "edges": sorted(edges.values(), key=lambda e: e["id"])}
