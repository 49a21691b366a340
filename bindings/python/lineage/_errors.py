"""Exceptions, and the one place where a C return code becomes one of them."""

from __future__ import annotations

from typing import Any, Callable, NoReturn

from ._lineage_cffi import ffi, lib


class LineageError(Exception):
    """Base class of every error raised by liblineage.

    ``code`` is the library's negative return code (``lineage.LINEAGE_E*``), ``code_name``
    its constant name such as ``"ENOTFOUND"``, and ``message`` the library's explanation,
    its advice worded for Python. ``problem`` is that message without the advice, ``hint``
    which fix the advice names (``lineage.lib.LINEAGE_HINT_*``, 0 for none) and ``hint_arg``
    what it applies to (a kind, a key): a service can word the fix for its own users.
    """

    def __init__(self, message: str, code: int = -1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.problem = message
        self.hint = 0
        self.hint_arg = ""

    @property
    def code_name(self) -> str:
        return _code_name(self.code)

    def __str__(self) -> str:
        return self.message


class NotFoundError(LineageError, KeyError):
    """No asset, edge or change with that key or id (``ENOTFOUND``)."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return self.message


class ValidationError(LineageError, ValueError):
    """An argument or input value is not valid (``EINVALID``).

    ``errors`` lists what was wrong: for a single call, one entry with the message; for an
    import, one entry per rejected record.
    """

    def __init__(self, message: str, code: int = -5, errors: list[Any] | None = None,
                 report: Any = None) -> None:
        super().__init__(message, code)
        self.errors: list[Any] = errors if errors is not None else [{"message": message}]
        self.report = report  # the ImportReport, for an import


class ParseError(ValidationError):
    """Input could not be parsed (``EPARSE``)."""


class ConflictError(LineageError):
    """The request contradicts what is stored (``ECONFLICT``, ``EEXISTS``)."""


class CycleError(ConflictError):
    """The request needs an acyclic graph and found a cycle (``ECYCLE``)."""


class ReadOnlyError(LineageError):
    """The database or its folder cannot be written (``EREADONLY``)."""


class BusyError(LineageError):
    """Another connection held a lock too long (``EBUSY``)."""


class CancelledError(LineageError):
    """A progress callback asked to stop; the database is unchanged (``ECANCELLED``)."""


class LimitError(LineageError):
    """A size or count limit was exceeded (``ELIMIT``); ``report`` for an import."""

    def __init__(self, message: str, code: int = -17, report: Any = None) -> None:
        super().__init__(message, code)
        self.report = report


class UsageError(LineageError):
    """The API was used out of order, e.g. on a closed graph (``EUSAGE``)."""


class DatabaseError(LineageError):
    """The file is not a liblineage database, or a newer one (``ENOTDB``, ``EVERSION``)."""


class LineageIOError(LineageError, OSError):
    """A file could not be read or written (``EIO``, ``EFULL``)."""

    def __str__(self) -> str:
        return self.message


class LineageMemoryError(LineageError, MemoryError):
    """Out of memory (``ENOMEM``)."""


class AuthError(LineageError):
    """An API token is malformed, unknown, expired or revoked (``EAUTH``)."""


_BY_CODE: dict[int, type[LineageError]] = {
    lib.LINEAGE_ENOTFOUND: NotFoundError,
    lib.LINEAGE_EEXISTS: ConflictError,
    lib.LINEAGE_EINVALID: ValidationError,
    lib.LINEAGE_ECONFLICT: ConflictError,
    lib.LINEAGE_EVERSION: DatabaseError,
    lib.LINEAGE_ENOTDB: DatabaseError,
    lib.LINEAGE_EREADONLY: ReadOnlyError,
    lib.LINEAGE_EFULL: LineageIOError,
    lib.LINEAGE_ENOMEM: LineageMemoryError,
    lib.LINEAGE_EBUSY: BusyError,
    lib.LINEAGE_ECANCELLED: CancelledError,
    lib.LINEAGE_EPARSE: ParseError,
    lib.LINEAGE_EIO: LineageIOError,
    lib.LINEAGE_ECYCLE: CycleError,
    lib.LINEAGE_ELIMIT: LimitError,
    lib.LINEAGE_EUSAGE: UsageError,
    lib.LINEAGE_EAUTH: AuthError,
}


def _code_name(code: int) -> str:
    return ffi.string(lib.lineage_error_code_name(code)).decode("utf-8")


def _last_word(key: str) -> str:
    return key.rsplit(".", 1)[-1] or key


# The library's advice for each lineage_hint, in Python's words (the C message names C
# functions and constants). Keyed by hint; the argument is the error's hint_arg.
_ADVICE: dict[int, Callable[[str], str]] = {
    lib.LINEAGE_HINT_FIND_ASSET: lambda arg: (
        "check the spelling (keys are case-sensitive) or find it with "
        f"graph.search({_last_word(arg)!r})"),
    lib.LINEAGE_HINT_DECLARE_ASSET_KIND: lambda arg: (
        f"declare it first with graph.define_asset_kind({arg!r})"),
    lib.LINEAGE_HINT_DECLARE_EDGE_KIND: lambda arg: (
        f"use kind=\"update\", or declare the kind with graph.define_edge_kind({arg!r}, "
        "allows_self_loop=True)"),
    lib.LINEAGE_HINT_REMOVE_CASCADE: lambda arg: "remove them first, or pass cascade=True",
    lib.LINEAGE_HINT_OPEN_WRITABLE: lambda arg: "open it without readonly=True",
    lib.LINEAGE_HINT_OPEN_READONLY: lambda arg: (
        "make the file writable, or open it with readonly=True"),
    lib.LINEAGE_HINT_OPEN_CREATE: lambda arg: "check the path, or open it without create=False",
    lib.LINEAGE_HINT_BEGIN: lambda arg: "open one with 'with graph.transaction():'",
    lib.LINEAGE_HINT_BATCH_IDS: lambda arg: (
        "take batch ids from graph.changes_since() or graph.history()"),
    lib.LINEAGE_HINT_CREATE_MISSING: lambda arg: (
        "add it first with graph.add_asset(), or pass create_missing=True"),
}


def error_for(code: int, message: str | None = None) -> LineageError:
    """The exception for return code ``code``, with the thread's last error message."""
    problem, hint, hint_arg = message, 0, ""
    if message is None:
        err = lib.lineage_error_last()
        message = ffi.string(err.message).decode("utf-8", "replace")
        if err.code != code or not message or message == "no error":
            message = f"{_code_name(code)}: {message}" if message else _code_name(code)
        elif err.hint in _ADVICE:
            hint = int(err.hint)
            problem = ffi.string(err.problem).decode("utf-8", "replace")
            hint_arg = ffi.string(err.hint_arg).decode("utf-8", "replace")
            message = f"{problem}: {_ADVICE[hint](hint_arg)}"
    cls = _BY_CODE.get(code, LineageError)
    error = cls(message, code)
    error.problem, error.hint, error.hint_arg = problem or message, hint, hint_arg
    return error


def raise_error(code: int) -> NoReturn:
    raise error_for(code)


def check(rc: int) -> int:
    """Return ``rc`` when it is not an error (>= 0), else raise the matching exception."""
    if rc < 0:
        raise error_for(rc)
    return rc
