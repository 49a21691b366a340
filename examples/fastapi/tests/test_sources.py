"""Sources over real HTTP: definitions kept in the lineage database without passwords,
test-connection and sync jobs against a SQLite file and the PostgreSQL / MariaDB servers of
scripts/servers.sh (skipped when their variable is unset, failed then under
LINEAGE_TEST_REQUIRE_SERVERS=1)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from conftest import assert_error
from served import Served, serve

API = "/api/v1"
SECRET = "pw-" + uuid.uuid4().hex  # must never reach the store nor an answer


def server(var: str) -> str:
    uri = os.environ.get(var, "")
    if not uri:
        if os.environ.get("LINEAGE_TEST_REQUIRE_SERVERS") == "1":
            pytest.fail(f"{var} is not set (start the servers: scripts/servers.sh)")
        pytest.skip(f"{var} is not set: start the servers with scripts/servers.sh")
    return uri


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, status TEXT);
        CREATE VIEW paid (order_id, paid_amount) AS
          SELECT id, amount FROM orders WHERE status = 'paid';
    """)
    con.close()
    return path


@pytest.fixture
def svc(db_file: Path, tmp_path: Path) -> Iterator[Served]:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "pg_password").write_text(SECRET + "\n")
    with serve(db_file, LINEAGE_SECRET_SHOP=SECRET, LINEAGE_SECRETS_DIR=str(secrets)) as s:
        yield s


def assert_no_secret(s: Served, db_file: Path, *texts: str) -> None:
    for text in texts:
        assert SECRET not in text
    assert SECRET.encode() not in db_file.read_bytes()
    for extra in db_file.parent.glob(db_file.name + "-*"):  # WAL and journal files too
        assert SECRET.encode() not in extra.read_bytes()


def test_sqlite_source_lifecycle_and_sync(svc: Served, shop: Path, db_file: Path) -> None:
    r = svc.http.post(f"{API}/sources", json={"name": "shop", "type": "sqlite",
                                              "uri": str(shop), "description": "the shop"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "shop" and r.json()["type"] == "sqlite"
    assert_error(svc.http.post(f"{API}/sources", json={"name": "shop", "type": "sqlite",
                                                      "uri": str(shop)}), 409, "conflict")
    listed = svc.http.get(f"{API}/sources").json()
    assert listed["total"] == 1 and listed["items"][0]["uri"] == str(shop)
    assert set(listed) == {"items", "total", "limit", "offset"}

    test = svc.http.post(f"{API}/sources/test-connection", json={"name": "shop"}).json()
    assert test["success"] is True and test["latency_ms"] >= 0, test
    assert_error(svc.http.get(f"{API}/assets/shop.main.orders"), 404, "not_found")  # nothing written

    r = svc.http.post(f"{API}/sources/shop/sync")
    assert r.status_code == 202
    job = svc.wait_job(r.json()["job_id"])
    assert job["state"] == "succeeded" and job["kind"] == "sync", job
    assert job["progress"]["total"] > 0
    assert svc.http.get(f"{API}/assets/shop.main.paid").json()["kind"] == "view"
    up = svc.http.get(f"{API}/lineage/shop.main.paid/upstream").json()
    assert "shop.main.orders" in {n["key"] for n in up["nodes"]}
    # The definition survives the collector writing the same system asset.
    assert svc.http.get(f"{API}/sources/shop").json()["description"] == "the shop"
    fields = svc.http.get(f"{API}/tables/shop.main.orders/fields").json()
    assert [f["name"] for f in fields["items"]] == ["id", "amount", "status"]

    moved = shop.parent / "moved.sqlite"
    shop.rename(moved)
    r = svc.http.put(f"{API}/sources/shop", json={"uri": str(moved)})
    assert r.status_code == 200 and r.json()["uri"] == str(moved)
    assert r.json()["description"] == "the shop"

    assert svc.http.delete(f"{API}/sources/shop").status_code == 204
    assert_error(svc.http.get(f"{API}/sources/shop"), 404, "not_found")
    assert svc.http.get(f"{API}/assets/shop.main.orders").status_code == 200  # kept
    assert_error(svc.http.post(f"{API}/sources/shop/sync"), 404, "not_found")


def test_passwords_are_refused_in_uris_and_never_echoed(svc: Served, db_file: Path) -> None:
    for uri in (f"postgresql://reader:{SECRET}@db.internal/shop",
                f"postgresql://reader@db.internal/shop?password={SECRET}",
                f"mysql://root:{SECRET}@localhost/shop"):
        kind = "mysql" if uri.startswith("mysql") else "postgres"
        r = svc.http.post(f"{API}/sources", json={"name": "s", "type": kind, "uri": uri})
        err = assert_error(r, 400, "password_in_uri")
        assert "password_env" in err["message"] and err["details"]["field"] == "uri"
        assert_no_secret(svc, db_file, r.text)
    bad = [({"name": "a.b", "type": "sqlite", "uri": "x.db"}, "name"),
           ({"name": "s", "type": "postgres", "uri": "mysql://h/db"}, "uri"),
           ({"name": "s", "type": "postgres", "uri": "postgresql://h:99999/db"}, "uri"),
           ({"name": "s", "type": "postgres", "uri": "postgresql://u@h/db",
             "password_env": "HOME"}, "password_env"),
           ({"name": "s", "type": "postgres", "uri": "postgresql://u@h/db",
             "password_file": "../etc/shadow"}, "password_file")]
    for body, field in bad:
        err = assert_error(svc.http.post(f"{API}/sources", json=body), 400, "invalid")
        assert err["details"]["field"] == field, err
    assert_error(svc.http.post(f"{API}/sources", json={"name": "s", "type": "oracle",
                                                      "uri": "x"}), 422, "validation_error")
    assert svc.http.get(f"{API}/sources").json()["total"] == 0

    # A secret that is not there is refused when it is needed, naming the parameter.
    r = svc.http.post(f"{API}/sources", json={"name": "nosecret", "type": "postgres",
                                              "uri": "postgresql://u@127.0.0.1:1/db",
                                              "password_env": "LINEAGE_SECRET_UNSET"})
    assert r.status_code == 201
    err = assert_error(svc.http.post(f"{API}/sources/nosecret/sync"), 400, "missing_secret")
    assert "LINEAGE_SECRET_UNSET" in err["message"]
    # An unreachable server: success false with the reason, in time.
    test = svc.http.post(f"{API}/sources/test-connection",
                         json={"type": "postgres", "uri": "postgresql://u@127.0.0.1:1/db",
                               "password_env": "LINEAGE_SECRET_SHOP"}).json()
    assert test["success"] is False and "connect" in test["message"], test
    assert_no_secret(svc, db_file, str(test))


def test_postgres_source_with_password_from_env_and_file(svc: Served, db_file: Path) -> None:
    uri = server("LINEAGE_TEST_PG")
    schema = "svc_" + uuid.uuid4().hex[:8]
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", uri, "-c",
                    f"CREATE SCHEMA {schema}; CREATE TABLE {schema}.orders (id int, amount "
                    f"numeric); CREATE VIEW {schema}.big AS SELECT id, amount FROM "
                    f"{schema}.orders WHERE amount > 100"], check=True)
    try:
        for name, secret in (("pgenv", {"password_env": "LINEAGE_SECRET_SHOP"}),
                             ("pgfile", {"password_file": "pg_password"})):
            r = svc.http.post(f"{API}/sources", json={"name": name, "type": "postgres",
                                                      "uri": uri, "schemas": [schema],
                                                      **secret})
            assert r.status_code == 201, r.text
            test = svc.http.post(f"{API}/sources/test-connection", json={"name": name})
            assert test.json()["success"] is True, test.text
            job = svc.wait_job(svc.http.post(f"{API}/sources/{name}/sync").json()["job_id"])
            assert job["state"] == "succeeded", job
            up = svc.http.get(f"{API}/lineage/{name}.{schema}.big/upstream").json()
            assert f"{name}.{schema}.orders" in {n["key"] for n in up["nodes"]}
            shown = svc.http.get(f"{API}/sources/{name}")
            assert_no_secret(svc, db_file, shown.text, test.text, str(job))
    finally:
        subprocess.run(["psql", "-q", uri, "-c", f"DROP SCHEMA {schema} CASCADE"], check=True)


def test_mariadb_source_sync(svc: Served, db_file: Path) -> None:
    uri = server("LINEAGE_TEST_MYSQL")
    socket = os.environ["LINEAGE_TEST_MYSQL_SOCKET"]
    db = "svc_" + uuid.uuid4().hex[:8]
    sql = (f"CREATE DATABASE {db}; CREATE TABLE {db}.orders (id INT, amount DECIMAL(10,2)); "
           f"CREATE VIEW {db}.big AS SELECT id, amount FROM {db}.orders WHERE amount > 100;")
    subprocess.run(["mariadb", "--no-defaults", "-S", socket, "-u", "root", "-e", sql],
                   check=True)
    try:
        src = uri.replace("/lineage_test?", f"/{db}?")
        r = svc.http.post(f"{API}/sources", json={"name": "maria", "type": "mysql",
                                                  "uri": src})
        assert r.status_code == 201, r.text
        job = svc.wait_job(svc.http.post(f"{API}/sources/maria/sync").json()["job_id"])
        assert job["state"] == "succeeded", job
        up = svc.http.get(f"{API}/lineage/maria.{db}.big/upstream").json()
        assert f"maria.{db}.orders" in {n["key"] for n in up["nodes"]}
        # A wrong socket: test-connection says why, the sync job fails with the envelope.
        assert svc.http.put(f"{API}/sources/maria",
                            json={"uri": "mysql://root@localhost/x?socket=/nonexistent"}
                            ).status_code == 200
        test = svc.http.post(f"{API}/sources/test-connection", json={"name": "maria"}).json()
        assert test["success"] is False and test["message"]
        job = svc.wait_job(svc.http.post(f"{API}/sources/maria/sync").json()["job_id"])
        assert job["state"] == "failed" and job["error"]["message"], job
    finally:
        subprocess.run(["mariadb", "--no-defaults", "-S", socket, "-u", "root", "-e",
                        f"DROP DATABASE {db}"], check=True)
