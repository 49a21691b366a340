"""API tokens from Python: created once, listed without secrets, verified, revoked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import lineage


def test_create_verify_list_revoke(db_path: Path) -> None:
    with lineage.open(str(db_path), actor="root") as g:
        assert g.token_count() == 0
        tid, token = g.create_token("ada", "editor", expires_in_days=7)
        assert token.startswith("lin_") and len(token) == 47
        assert g.token_count() == 1
        t = g.verify_token(token)
        assert (t.id, t.user, t.role, t.created_by, t.state) == (tid, "ada", "editor", "root", "active")
        assert t.expires_at is not None and t.last_used_at is not None
        [listed] = g.tokens()
        assert listed.to_dict()["user"] == "ada" and listed.state == "active"
        assert token not in repr(g.tokens()) and token[4:] not in repr(g.tokens())
        g.revoke_token(tid)
        assert g.tokens()[0].state == "revoked"
        with pytest.raises(lineage.AuthError, match="revoked") as e:
            g.verify_token(token)
        assert token[4:] not in str(e.value) and e.value.code_name == "EAUTH"
        with pytest.raises(lineage.ConflictError, match="already revoked"):
            g.revoke_token(tid)
        with pytest.raises(lineage.NotFoundError):
            g.revoke_token(99)
        changes = [c for c in g.changes_since(0) if c.entity == "token"]
        assert [c.action for c in changes] == ["create", "revoke"]
        assert all(c.actor == "root" for c in changes)
    # nothing but the digest reached the file
    data = db_path.read_bytes()
    assert token[4:].encode() not in data
    con = sqlite3.connect(str(db_path))
    assert con.execute("SELECT count(*) FROM tokens").fetchone()[0] == 1
    con.close()


def test_forged_and_bad_tokens(g: lineage.Graph) -> None:
    _, token = g.create_token("bob", "admin")
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(lineage.AuthError, match="not known"):
        g.verify_token(forged)
    for bad in ("", "Bearer x", "lin_" + "é" * 43, token + "x", "lin_\0" + token[5:]):
        with pytest.raises(lineage.AuthError, match="malformed"):
            g.verify_token(bad)
    with pytest.raises(TypeError):
        g.verify_token(None)  # type: ignore[arg-type]


def test_bad_arguments_in_python_words(g: lineage.Graph) -> None:
    with pytest.raises(lineage.ValidationError, match="role 'root' is not a role"):
        g.create_token("ada", "root")
    with pytest.raises(lineage.ValidationError, match="expires_in_days must be a positive"):
        g.create_token("ada", "viewer", expires_in_days=0)
    with pytest.raises(lineage.ValidationError):
        g.create_token("", "viewer")
    assert g.token_count() == 0
    assert [lineage.role_rank(r) for r in lineage.ROLES] == [1, 2, 3, 4]
    assert lineage.role_rank("root") == 0


def test_acting_as_records_the_actor_and_restores(g: lineage.Graph) -> None:
    with g.acting_as("ada", restore="pytest"):
        g.add_asset("a", "table")
    g.add_asset("b", "table")
    assert [(c.asset_key, c.actor) for c in g.changes_since(0)] == [("a", "ada"), ("b", "pytest")]
