"""API tokens and roles (``include/lineage/token.h``): the methods :class:`Graph` gains from
:class:`TokenMethods`. A token's text is returned once, by :meth:`create_token`; the
database keeps only its SHA-256 digest."""

from __future__ import annotations

import datetime as _dt
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from . import _convert as c
from ._errors import ValidationError, check
from ._lineage_cffi import ffi, lib

ROLES = ("viewer", "editor", "steward", "admin")
"""The roles, each allowed what the ones before it are."""


def role_rank(role: str) -> int:
    """1 viewer, 2 editor, 3 steward, 4 admin; 0 for anything else."""
    if not isinstance(role, str):
        return 0
    return int(lib.lineage_token_role_rank(role.encode("utf-8")))


def _iso(ms: int) -> Optional[str]:
    if not ms:
        return None
    t = _dt.datetime.fromtimestamp(ms / 1000, tz=_dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class Token:
    """A token as stored: never its text. Times are ISO 8601 UTC strings (None: unset)."""

    id: int
    user: str
    role: str
    created_by: Optional[str]
    created_at: str
    expires_at: Optional[str]
    revoked_at: Optional[str]
    last_used_at: Optional[str]
    state: str  # "active", "expired" or "revoked"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Token":
        return cls(d["id"], d["user"], d["role"], d.get("created_by"), d["created_at"],
                   d.get("expires_at"), d.get("revoked_at"), d.get("last_used_at"), d["state"])

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class TokenMethods:
    """Token methods of :class:`lineage.Graph` (which provides ``_lock`` and ``_live``)."""

    __slots__ = ()
    _lock: Any
    _live: Any

    @contextmanager
    def acting_as(self, actor: str, restore: Optional[str] = None) -> Iterator[Any]:
        """Record the changes made inside the block as ``actor``'s (a service's caller).

        The graph's lock is held for the block, so another thread sharing the graph cannot
        slip its changes in under this actor; ``restore`` is the actor afterwards (None:
        "system").
        """
        actor_b = c.text(actor, "actor")
        restore_b = c.opt_text(restore, "restore")
        with self._lock:
            check(lib.lineage_db_set_actor(self._live(), actor_b))
            try:
                yield self
            finally:
                lib.lineage_db_set_actor(self._live(), c.cstr(restore_b))

    def create_token(self, user: str, role: str, *,
                     expires_in_days: Optional[float] = None) -> tuple[int, str]:
        """Create a token for ``user`` with ``role`` (viewer, editor, steward or admin).

        Returns ``(id, token)``: the token's text can never be read again, only revoked by
        its id. ``expires_in_days`` (None: never) makes it stop working after that long.
        Recorded in the audit trail (without the token) with the graph's actor.
        """
        user_b = c.text(user, "user")
        if not isinstance(role, str) or not role_rank(role):
            raise ValidationError(f"role {role!r} is not a role: use one of {', '.join(ROLES)}")
        expires_ms = 0
        if expires_in_days is not None:
            if isinstance(expires_in_days, bool) or not isinstance(expires_in_days, (int, float)) \
                    or not expires_in_days > 0:
                raise ValidationError(
                    f"expires_in_days must be a positive number of days, not {expires_in_days!r}")
            now = _dt.datetime.now(tz=_dt.timezone.utc).timestamp()
            expires_ms = int((now + expires_in_days * 86400) * 1000)
        out = ffi.new("char **")
        out_id = ffi.new("int64_t *")
        with self._lock:
            check(lib.lineage_token_create(out, out_id, self._live(), user_b,
                                           role.encode("utf-8"), expires_ms))
        try:
            token = ffi.string(out[0]).decode("ascii")
        finally:
            lib.lineage_free(out[0])
        return int(out_id[0]), token

    def tokens(self) -> list[Token]:
        """Every token, oldest first (never their text or digest)."""
        out = ffi.new("char **")
        with self._lock:
            check(lib.lineage_token_list_json(out, self._live()))
        return [Token.from_dict(t) for t in c.take_json(out)["tokens"]]

    def token_count(self) -> int:
        """How many tokens the database holds, revoked and expired ones included."""
        out = ffi.new("int64_t *")
        with self._lock:
            check(lib.lineage_token_count(out, self._live()))
        return int(out[0])

    def revoke_token(self, token_id: int) -> None:
        """Revoke a token: it stops working at once. NotFoundError, ConflictError (already
        revoked)."""
        tid = c.integer(token_id, "token_id", 1, c.INT64_MAX)
        with self._lock:
            check(lib.lineage_token_revoke(self._live(), tid))

    def verify_token(self, token: str) -> Token:
        """The token whose text is ``token``, if it may be used now.

        Raises :class:`lineage.AuthError` saying whether it is malformed, unknown, expired or
        revoked (the message never repeats the token).
        """
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, not {type(token).__name__}")
        try:
            token_b = token.encode("ascii")
        except UnicodeEncodeError:
            token_b = b"?"  # not one of ours: the library calls it malformed
        if b"\0" in token_b:
            token_b = b"?"
        out = ffi.new("lineage_token **")
        with self._lock:
            check(lib.lineage_token_verify(out, self._live(), token_b))
        t = out[0]
        try:
            return Token(int(t.id), ffi.string(t.user).decode("utf-8"),
                         ffi.string(t.role).decode("utf-8"),
                         ffi.string(t.created_by).decode("utf-8") if t.created_by else None,
                         _iso(t.created_at_ms) or "", _iso(t.expires_at_ms),
                         _iso(t.revoked_at_ms), _iso(t.last_used_at_ms), "active")
        finally:
            lib.lineage_token_free(t)
