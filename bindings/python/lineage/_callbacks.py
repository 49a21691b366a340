"""C -> Python callbacks (cffi ``extern "Python"``).

A C call that takes a progress callback gets ``_lineage_progress_trampoline`` with a handle
(``ffi.new_handle``) on a ``ProgressState`` that carries the Python callable. Any exception
raised while the trampoline runs, KeyboardInterrupt included, is stashed in the state and
the trampoline returns non-zero: the library cancels the operation (LINEAGE_ECANCELLED,
database unchanged), and ``run_with_progress`` re-raises the exception once C has returned.
The trampoline is installed even without a user callback so that Ctrl-C is noticed during
long operations (Python delivers signals only while it runs Python code).
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Optional

from ._errors import check
from ._lineage_cffi import ffi, lib

ProgressCallback = Callable[[str, int, int], Optional[bool]]
CommitCallback = Callable[[int, int], None]


class ProgressState:
    __slots__ = ("callback", "error")

    def __init__(self, callback: Optional[ProgressCallback]) -> None:
        self.callback = callback
        self.error: Optional[BaseException] = None


def _progress_onerror(exc_type: Any, exc_value: BaseException, tb: Any) -> int:
    # Reached only when an exception escapes the body below (e.g. a signal delivered
    # between two statements): find the payload in the failing frame and stash it.
    while tb is not None:
        payload = tb.tb_frame.f_locals.get("payload")
        if payload is not None:
            try:
                state = ffi.from_handle(payload)
                if state.error is None:
                    state.error = exc_value
            except Exception:  # pragma: no cover - not a handle of ours
                pass
            break
        tb = tb.tb_next
    return 1


@ffi.def_extern(onerror=_progress_onerror)
def _lineage_progress_trampoline(stage: Any, done: int, total: int, payload: Any) -> int:
    state: ProgressState = ffi.from_handle(payload)
    if state.error is not None:
        return 1
    try:
        if state.callback is None:
            return 0
        name = ffi.string(stage).decode("utf-8", "replace") if stage != ffi.NULL else ""
        return 1 if state.callback(name, int(done), int(total)) is False else 0
    except BaseException as exc:  # noqa: BLE001 - re-raised after the C call returns
        state.error = exc
        return 1


def run_with_progress(call: Callable[[Any, Any], int],
                      callback: Optional[ProgressCallback], check_rc: bool = True) -> int:
    """Run ``call(cb, payload)`` with the progress trampoline; re-raise a stashed error,
    then (with ``check_rc``) raise for an error code; return the code."""
    if callback is not None and not callable(callback):
        raise TypeError(f"progress must be callable or None, not {type(callback).__name__}")
    state = ProgressState(callback)
    handle = ffi.new_handle(state)
    rc = call(lib._lineage_progress_trampoline, handle)
    if state.error is not None:
        raise state.error
    return check(rc) if check_rc else rc


class CommitState:
    __slots__ = ("callback", "graph")

    def __init__(self, callback: CommitCallback, graph: Any) -> None:
        self.callback = callback
        self.graph = weakref.ref(graph)  # no cycle graph -> handle -> state -> graph


@ffi.def_extern()
def _lineage_commit_trampoline(db: Any, first_seq: int, last_seq: int, payload: Any) -> None:
    # An exception here cannot reach the committing caller (the commit already happened):
    # cffi reports it on stderr, as Python does for other unraisable errors.
    state: CommitState = ffi.from_handle(payload)
    graph = state.graph()
    if graph is None:
        return
    graph._in_callback = True
    try:
        state.callback(int(first_seq), int(last_seq))
    finally:
        graph._in_callback = False
