"""Saved views (``include/lineage/view.h``): the methods :class:`Graph` gains from
:class:`ViewMethods`. A view is a dict (root, direction, depth, min_confidence, kinds,
layout, positions, and whatever else a page keeps) stored under a name."""

from __future__ import annotations

from typing import Any

from . import _convert as c
from ._errors import ValidationError, check
from ._lineage_cffi import ffi, lib

_MODES = {"upsert": lib.LINEAGE_VIEW_UPSERT, "create": lib.LINEAGE_VIEW_CREATE,
          "replace": lib.LINEAGE_VIEW_REPLACE}


class ViewMethods:
    """Saved-view methods of :class:`lineage.Graph` (which provides ``_lock`` and ``_live``)."""

    __slots__ = ()
    _lock: Any
    _live: Any

    def save_view(self, name: str, view: dict[str, Any], *, mode: str = "upsert") -> None:
        """Save ``view`` under ``name``.

        ``mode``: "upsert" (create, or overwrite the view of that name), "create"
        (ConflictError when the name is taken) or "replace" (NotFoundError when there is
        none). Known members are checked: root (an asset key), direction ("upstream",
        "downstream" or "both"), depth (0 to 1000), min_confidence (0 to 1), kinds (a list
        of str), layout (str), positions ({node key: {"x": number, "y": number}}).
        ValidationError names what is wrong; LimitError when the view is too large.
        """
        name_b = c.text(name, "name")
        if mode not in _MODES:
            raise ValidationError(f"mode {mode!r} is not one: use 'upsert', 'create' or 'replace'")
        body = c.json_object(view, "view")
        if body is None:
            raise TypeError("view must be a dict, not None")
        with self._lock:
            check(lib.lineage_view_save(self._live(), name_b, body, _MODES[mode]))

    def view(self, name: str) -> dict[str, Any]:
        """View ``name``: {"name", "root", "view": the saved dict, "created_by", "created_at",
        "updated_by", "updated_at"}. NotFoundError when there is none."""
        name_b = c.text(name, "name")
        out = ffi.new("char **")
        with self._lock:
            check(lib.lineage_view_get(out, self._live(), name_b))
        return c.take_json(out)  # type: ignore[no-any-return]

    def views(self, *, offset: int = 0, limit: int = 0) -> dict[str, Any]:
        """Views by name (without their bodies), ``limit`` (0: all) from ``offset``:
        {"views": [{"name", "root", "created_by", ...}], "total": every view's count}."""
        off = c.integer(offset, "offset", 0, c.INT64_MAX)
        lim = c.integer(limit, "limit", 0, c.INT64_MAX)
        out = ffi.new("char **")
        with self._lock:
            check(lib.lineage_view_list(out, self._live(), off, lim))
        return c.take_json(out)  # type: ignore[no-any-return]

    def rename_view(self, name: str, new_name: str) -> None:
        """Rename a view (NotFoundError; ConflictError when ``new_name`` is taken)."""
        name_b, new_b = c.text(name, "name"), c.text(new_name, "new_name")
        with self._lock:
            check(lib.lineage_view_rename(self._live(), name_b, new_b))

    def delete_view(self, name: str) -> None:
        """Delete a view (NotFoundError when there is none)."""
        name_b = c.text(name, "name")
        with self._lock:
            check(lib.lineage_view_delete(self._live(), name_b))
