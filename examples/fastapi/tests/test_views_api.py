"""Saved views over real HTTP (uvicorn on 127.0.0.1): saved, listed in the paginated
envelope, reopened with their positions, overwritten, renamed and deleted; editors write,
viewers read; bad input answered with the envelope."""

from __future__ import annotations

from pathlib import Path

import pytest

import lineage
from conftest import assert_error
from test_auth import bearer, serve

API = "/api/v1"
VIEW = {"root": "pg.shop.orders", "direction": "both", "depth": 2, "min_confidence": 0.3,
        "layout": "dagre", "positions": {"pg.shop.orders": {"x": 321.5, "y": -12}}}


@pytest.fixture
def tokens(db_file: Path) -> dict[str, str]:
    with lineage.open(db_file, actor="setup") as g:
        return {role: g.create_token(role + "-user", role)[1] for role in ("viewer", "editor")}


def test_views_round_trip(db_file: Path, tokens: dict[str, str]) -> None:
    ed = bearer(tokens["editor"])
    with serve(db_file) as (http, _):
        empty = http.get(API + "/views").json()
        assert empty == {"items": [], "total": 0, "limit": 50, "offset": 0}
        r = http.post(API + "/views", json={"name": "orders map", "view": VIEW}, headers=ed)
        assert r.status_code == 201, r.text
        made = r.json()
        assert made["name"] == "orders map" and made["view"] == VIEW
        assert made["created_by"] == made["updated_by"] == "editor-user"
        assert_error(http.post(API + "/views", json={"name": "orders map", "view": {}},
                               headers=ed), 409, "conflict")
        for name in ("b", "a"):
            assert http.post(API + "/views", json={"name": name, "view": {}},
                             headers=ed).status_code == 201
        listed = http.get(API + "/views", params={"limit": 2, "offset": 1}).json()
        assert [v["name"] for v in listed["items"]] == ["b", "orders map"]
        assert (listed["total"], listed["limit"], listed["offset"]) == (3, 2, 1)
        assert "view" not in listed["items"][0]
        # reopened as saved
        got = http.get(API + "/views/orders%20map").json()
        assert got["view"]["positions"]["pg.shop.orders"] == {"x": 321.5, "y": -12}
        # overwritten and renamed in one PUT, then renamed alone
        moved = {**VIEW, "positions": {"pg.shop.orders": {"x": 1, "y": 2}}}
        r = http.put(API + "/views/orders%20map", json={"name": "orders", "view": moved},
                     headers=ed)
        assert r.status_code == 200, r.text
        assert r.json()["view"]["positions"]["pg.shop.orders"] == {"x": 1, "y": 2}
        assert r.json()["created_by"] == "editor-user"
        assert_error(http.get(API + "/views/orders%20map"), 404, "not_found")
        assert_error(http.put(API + "/views/orders", json={"name": "a"}, headers=ed),
                     409, "conflict")
        assert http.put(API + "/views/orders", json={"name": "sales"},
                        headers=ed).json()["view"] == moved
        assert_error(http.put(API + "/views/nothing", json={}, headers=ed), 404, "not_found")
        assert http.delete(API + "/views/sales", headers=ed).status_code == 204
        assert_error(http.delete(API + "/views/sales", headers=ed), 404, "not_found")
        assert http.get(API + "/views").json()["total"] == 2


def test_views_need_an_editor_and_valid_input(db_file: Path, tokens: dict[str, str]) -> None:
    ed, viewer = bearer(tokens["editor"]), bearer(tokens["viewer"])
    with serve(db_file) as (http, _):
        body = {"name": "v", "view": VIEW}
        assert_error(http.post(API + "/views", json=body), 401, "unauthorized")
        err = assert_error(http.post(API + "/views", json=body, headers=viewer),
                           403, "forbidden")
        assert "viewer-user's token has role viewer" in err["message"]
        assert http.post(API + "/views", json=body, headers=ed).status_code == 201
        assert_error(http.delete(API + "/views/v", headers=viewer), 403, "forbidden")
        assert_error(http.put(API + "/views/v", json={"view": {}}, headers=viewer),
                     403, "forbidden")
        assert http.get(API + "/views/v", headers=viewer).status_code == 200
        # bad bodies: the envelope names what is wrong, and nothing is stored
        err = assert_error(http.post(API + "/views", json={"name": "w", "view": {"depth": -2}},
                                     headers=ed), 400, "invalid")
        assert '"depth" must be a whole number' in err["message"]
        err = assert_error(http.post(API + "/views", json={"name": "a/b", "view": {}},
                                     headers=ed), 400, "invalid")
        assert "'/'" in err["message"]
        huge = {"name": "big", "view": {"positions": {f"n{i}": {"x": i, "y": i}
                                                       for i in range(6000)}}}
        assert_error(http.post(API + "/views", json=huge, headers=ed), 413, "limit")
        assert_error(http.post(API + "/views", json={"name": "w"}, headers=ed),
                     422, "validation_error")
        assert http.get(API + "/views").json()["total"] == 1
