"""Saved views (the designs' dashboards) at ``/api/v1/views``: what a lineage page shows —
a root asset, filters, a layout and the positions a user dragged nodes to — kept under a
name in the lineage database (``include/lineage/view.h``).

- ``GET /views``: the views by name, without bodies, in the paginated envelope.
- ``POST /views`` ``{"name", "view"}``: save a new one (409 when the name is taken).
- ``GET /views/{name}``: one view with its body.
- ``PUT /views/{name}`` ``{"view"?, "name"?}``: overwrite (or create) it, and rename it when
  ``name`` differs — both or neither.
- ``DELETE /views/{name}``.

Writes need an editor's token once tokens are in use, like every write.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from fastapi import Depends, FastAPI, Query, Response
from pydantic import BaseModel, Field

import lineage
from auth import Caller, acting, requires


class ViewIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="the view's name")
    view: dict[str, Any] = Field(description="root, direction, depth, min_confidence, kinds, "
                                 "layout, positions ({key: {x, y}}) and what else the page keeps")


class ViewUpdate(BaseModel):
    name: Optional[str] = Field(None, min_length=1, max_length=100,
                                description="a new name for the view")
    view: Optional[dict[str, Any]] = Field(None, description="the view's new body")


def install(app: FastAPI, g: Callable[[], lineage.Graph], api: str) -> None:
    editor = Depends(requires("editor"))

    @app.get(api + "/views", tags=["views"])
    def list_views(limit: int = Query(50, ge=1, le=1000),
                   offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """Saved views by name (without their bodies)."""
        found = g().views(offset=offset, limit=limit)
        return {"items": found["views"], "total": found["total"], "limit": limit,
                "offset": offset}

    @app.post(api + "/views", status_code=201, tags=["views"])
    def create_view(body: ViewIn, who: Optional[Caller] = editor) -> dict[str, Any]:
        """Save a new view; 409 when a view of that name exists (PUT overwrites)."""
        with acting(g(), who) as graph:
            graph.save_view(body.name, body.view, mode="create")
            return graph.view(body.name)

    @app.get(api + "/views/{name}", tags=["views"])
    def get_view(name: str) -> dict[str, Any]:
        """A saved view with its body (``view``)."""
        return g().view(name)

    @app.put(api + "/views/{name}", tags=["views"])
    def put_view(name: str, body: ViewUpdate, who: Optional[Caller] = editor) -> dict[str, Any]:
        """Overwrite a view (or create it) with ``view``, and rename it to ``name``."""
        new_name = body.name or name
        with acting(g(), who) as graph, graph.transaction("save view"):
            if new_name != name:
                graph.rename_view(name, new_name)
            if body.view is not None:
                graph.save_view(new_name, body.view, mode="upsert")
            elif new_name == name:
                graph.view(name)  # 404 for a view that is not there
            return graph.view(new_name)

    @app.delete(api + "/views/{name}", status_code=204, tags=["views"])
    def delete_view(name: str, who: Optional[Caller] = editor) -> Response:
        with acting(g(), who) as graph:
            graph.delete_view(name)
        return Response(status_code=204)
