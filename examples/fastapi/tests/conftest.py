from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import app as service_module  # noqa: E402
import demo  # noqa: E402
import lineage  # noqa: E402


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    with lineage.open(path) as graph:
        demo.load(graph)
    return path


@pytest.fixture
def client(db_file: Path) -> Iterator[TestClient]:
    with TestClient(service_module.create_app(str(db_file))) as c:
        yield c


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]
