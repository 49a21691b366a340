"""Checks and conversions of Python arguments, done before any call into C.

Wrong types raise TypeError, wrong values ValueError, each naming the argument, so that no
bad value ever reaches the library (a ``str`` with a NUL would be silently cut in C).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from ._lineage_cffi import ffi, lib

Text = "str | bytes"


def text(value: Any, name: str) -> bytes:
    """A required string argument as UTF-8 bytes."""
    if isinstance(value, str):
        try:
            data = value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{name} is not valid Unicode (lone surrogate): {exc}") from None
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{name} must be UTF-8 text; these bytes are not: {exc}") from None
    else:
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    if b"\0" in data:
        raise ValueError(f"{name} must not contain a NUL character")
    return data


def opt_text(value: Any, name: str) -> Optional[bytes]:
    """An optional string argument: None stays None (NULL in C)."""
    return None if value is None else text(value, name)


def cstr(data: Optional[bytes]) -> Any:
    """bytes -> char* for the duration of a call; None -> NULL."""
    return ffi.NULL if data is None else data


def field_cstr(data: Optional[bytes], keep: list[Any]) -> Any:
    """bytes -> a char[] for a struct field (kept alive by ``keep``); None -> NULL."""
    if data is None:
        return ffi.NULL
    buf = ffi.new("char[]", data)
    keep.append(buf)
    return buf


def integer(value: Any, name: str, minimum: Optional[int] = None,
            maximum: Optional[int] = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


INT64_MAX = 2**63 - 1
INT_MAX = 2**31 - 1


def edge_id(value: Any, name: str = "edge_id") -> int:
    return integer(value, name, 1, INT64_MAX)


def depth(value: Any) -> int:
    """depth=None means unlimited (0 in C); else a positive int."""
    if value is None:
        return 0
    return integer(value, "depth", 1, INT_MAX)


def number(value: Any, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    value = float(value)
    if not (lo <= value <= hi):  # also refuses NaN
        raise ValueError(f"{name} must be between {lo:g} and {hi:g}, got {value!r}")
    return value


def lineage_source(value: Any, name: str = "lineage_source") -> int:
    """"inferred" | "manual" | "approved" | "any" (or None for any) -> lineage_source."""
    if value is None:
        return lib.LINEAGE_SOURCE_ANY
    data = text(value, name)
    out = ffi.new("lineage_source *")
    if lib.lineage_source_parse(out, data) != 0:
        raise ValueError(
            f"{name} must be one of 'inferred', 'manual', 'approved' or 'any', got {value!r}"
        )
    return int(out[0])


def change_type(value: Any) -> int:
    data = text(value, "change")
    out = ffi.new("lineage_change_type *")
    if lib.lineage_change_type_parse(out, data) != 0:
        raise ValueError(
            "change must be one of 'drop', 'rename', 'type_change', 'modify' or 'add', "
            f"got {value!r}"
        )
    return int(out[0])


_COLUMNS = {"include": 0, "rollup": 1, "exclude": 2}


def columns(value: Any) -> int:
    if value is None:
        return 0
    if not isinstance(value, str):
        raise TypeError(f"columns must be str, not {type(value).__name__}")
    try:
        return _COLUMNS[value]
    except KeyError:
        raise ValueError(
            f"columns must be one of 'include', 'rollup' or 'exclude', got {value!r}"
        ) from None


def text_list(value: Any, name: str) -> Optional[list[bytes]]:
    """None, one string, or an iterable of strings."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)):
        return [text(value, name)]
    try:
        items: Iterable[Any] = iter(value)
    except TypeError:
        raise TypeError(f"{name} must be a str or a list of str, not "
                        f"{type(value).__name__}") from None
    return [text(v, name) for v in items]


def json_object(value: Any, name: str) -> Optional[bytes]:
    """A dict (or None) as a JSON object for the library."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict, not {type(value).__name__}")
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} cannot be written as JSON: {exc}") from None


def json_value(value: Any, name: str) -> Optional[bytes]:
    if value is None:
        return None
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} cannot be written as JSON: {exc}") from None


def string(ptr: Any) -> Optional[str]:
    """char* -> str (None for NULL)."""
    if ptr == ffi.NULL:
        return None
    return ffi.string(ptr).decode("utf-8")


def take_json(out: Any) -> Any:
    """Parse a char* returned through ``char **out`` and release it."""
    ptr = out[0]
    try:
        return json.loads(ffi.string(ptr))
    finally:
        lib.lineage_free(ptr)
