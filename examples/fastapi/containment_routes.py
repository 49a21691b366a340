"""The web view's containment view: where drawn assets sit (system › database › schema ›
table), from their parent links."""

from __future__ import annotations

from typing import Any, Callable

import lineage
from fastapi import FastAPI, Query

MAX_KEYS = 200  # a page asks in chunks of this many keys
MAX_DEPTH = 16  # containment deeper than this is cut (a parent loop cannot hang a request)


def install(app: FastAPI, g: Callable[[], lineage.Graph], api: str) -> None:
    @app.get(api + "/view/containment", tags=["graph"])
    def containment(key: list[str] = Query(..., description=(
            f"asset keys (at most {MAX_KEYS}; repeat the parameter)"))) -> dict[str, Any]:
        """The given assets and every asset containing them, each with its parent (``null``
        at the top), outermost first; unknown keys are listed in ``missing``."""
        if len(key) > MAX_KEYS:
            raise ValueError(f"key: {len(key)} keys asked, at most {MAX_KEYS} at a time: "
                             "ask again for the rest")
        graph = g()
        found: dict[str, dict[str, Any]] = {}
        missing: list[str] = []
        for start in dict.fromkeys(key):
            at, depth = start, 0
            while at is not None and at not in found and depth <= MAX_DEPTH:
                try:
                    asset = graph.get_asset(at)
                except lineage.NotFoundError:
                    if at == start:
                        missing.append(at)
                    break
                found[at] = {"key": at, "kind": asset.kind, "name": asset.name,
                             "parent": asset.parent}
                at, depth = asset.parent, depth + 1
        depth_of: dict[str, int] = {}

        def depth(k: str, seen: int = 0) -> int:
            if k not in depth_of:
                parent = found[k]["parent"]
                depth_of[k] = (0 if parent not in found or seen > MAX_DEPTH
                               else depth(parent, seen + 1) + 1)
            return depth_of[k]

        items = sorted(found.values(), key=lambda a: (depth(a["key"]), a["key"]))
        return {"items": items, "total": len(items), "missing": missing}
