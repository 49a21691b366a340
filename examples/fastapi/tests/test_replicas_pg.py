"""The service as several replicas on one PostgreSQL store: ``uvicorn --workers 4`` on a
database of its own on the test server ($LINEAGE_TEST_PG, from scripts/servers.sh). A write
answered by one worker is seen by the next query answered by another, and by the event
streams (SSE) that other workers serve. Each response names its worker (X-Served-By)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import demo  # noqa: E402
import lineage  # noqa: E402
from served import free_port  # noqa: E402

PG = os.environ.get("LINEAGE_TEST_PG")
ADMIN = os.environ.get("LINEAGE_TEST_PG_ADMIN")
if not PG or not ADMIN:
    if os.environ.get("LINEAGE_TEST_REQUIRE_SERVERS") == "1":
        raise RuntimeError("LINEAGE_TEST_PG is not set but LINEAGE_TEST_REQUIRE_SERVERS=1: "
                           "start the servers with scripts/servers.sh")
    pytest.skip("LINEAGE_TEST_PG is not set (source scripts/servers.sh; servers_start_postgres)",
                allow_module_level=True)


@pytest.fixture
def pg_store() -> str:
    """A new database on the test server, with the demo graph; dropped afterwards."""
    name = "replicas_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
    base, _, query = PG.partition("?")  # postgresql://[host]/DB?params: another DB
    uri = base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")
    with lineage.open(uri) as graph:
        demo.load(graph)
    yield uri
    subprocess.run(["psql", ADMIN, "-qc", f"DROP DATABASE {name} WITH (FORCE)"], check=True)


def start_workers(uri: str, workers: int, **env_vars: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, LINEAGE_DB=uri, **env_vars)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning"],
        cwd=HERE.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    pids: set[str] = set()
    while len(pids) < 2:  # up, and more than one worker answering
        try:
            r = httpx.get(base + "/health", timeout=2)
            if r.status_code == 200:
                pids.add(r.headers["X-Served-By"])
        except httpx.TransportError:
            pass
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        assert time.monotonic() < deadline, f"uvicorn's workers did not all answer ({pids})"
        time.sleep(0.05)
    return proc, base


def test_four_workers_see_each_others_writes(pg_store: str) -> None:
    proc, base = start_workers(pg_store, 4)
    try:
        # event streams, each on a connection of its own, until two workers serve them
        streams: list[dict] = []

        def listen(slot: dict) -> None:
            with httpx.stream("GET", base + "/api/v1/events",
                              params={"max_events": 1, "timeout": 30}, timeout=40) as r:
                slot["pid"] = r.headers["X-Served-By"]
                slot["opened"].set()
                for line in r.iter_lines():
                    if line.startswith("data: "):
                        slot["event"] = json.loads(line[6:])
                        slot["at"] = time.monotonic()

        threads = []
        while len({s.get("pid") for s in streams}) < 2 and len(streams) < 40:
            slot: dict = {"opened": threading.Event()}
            t = threading.Thread(target=listen, args=(slot,), daemon=True)
            t.start()
            assert slot["opened"].wait(20), "an event stream did not open"
            streams.append(slot)
            threads.append(t)
        assert len({s["pid"] for s in streams}) >= 2, "every stream landed on one worker"
        time.sleep(0.6)  # each stream has read the end of the feed

        key = "replica.test." + uuid.uuid4().hex[:8]
        put = httpx.put(base + f"/api/v1/assets/{key}", json={"kind": "table"}, timeout=10)
        assert put.status_code == 201, put.text
        writer = put.headers["X-Served-By"]
        written = time.monotonic()

        # the next query answered by another worker sees it
        other = None
        for _ in range(200):
            r = httpx.get(base + f"/api/v1/assets/{key}", timeout=10)
            assert r.status_code == 200, (r.headers["X-Served-By"], writer, r.text)
            if r.headers["X-Served-By"] != writer:
                other = r.headers["X-Served-By"]
                break
        assert other, "no other worker answered a query"

        # and every stream got the change, those of the other workers too
        for t in threads:
            t.join(30)
        assert all(s.get("event", {}).get("asset_key") == key for s in streams), streams
        assert any(s["pid"] != writer for s in streams)
        late = max(s["at"] for s in streams) - written
        assert late < 5, f"a stream saw the change {late:.2f} s after it was written"
    finally:
        proc.terminate()
        proc.wait(20)


def test_workers_with_a_staleness_bound_learn_of_commits_from_notifications(pg_store: str) -> None:
    """LINEAGE_MAX_STALENESS_MS: a worker's graph queries skip the per-query probe for a minute,
    yet the next lineage query answered by another worker shows a new edge within seconds
    (that worker's handle hears of the commit from its notification)."""
    proc, base = start_workers(pg_store, 2, LINEAGE_MAX_STALENESS_MS="60000")
    try:
        def consumers() -> tuple[set[str], str]:
            r = httpx.get(base + "/api/v1/lineage/stg.orders/downstream", params={"depth": 1},
                          timeout=10)
            assert r.status_code == 200, r.text
            return {n["key"] for n in r.json()["nodes"]}, r.headers["X-Served-By"]

        served = {consumers()[1] for _ in range(40)}  # both workers' engines are built
        assert len(served) == 2, served
        key = "mart.replica_" + uuid.uuid4().hex[:8]
        post = httpx.post(base + "/api/v1/lineage", timeout=10, json={
            "source": "stg.orders", "target": key, "create_missing": True})
        assert post.status_code == 201, post.text
        writer = post.headers["X-Served-By"]
        seen_by_other = False
        deadline = time.monotonic() + 5
        while not seen_by_other and time.monotonic() < deadline:
            keys, pid = consumers()
            seen_by_other = pid != writer and key in keys
        assert seen_by_other, "no other worker showed the new edge within 5 s"
    finally:
        proc.terminate()
        proc.wait(20)
