"""The service under uvicorn, spoken to over a real socket on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from served import free_port, wait_until_healthy

HERE = Path(__file__).resolve().parent


def test_uvicorn_over_a_socket(db_file: Path) -> None:
    port = free_port()
    env = dict(os.environ, LINEAGE_DB=str(db_file))
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning"],
        cwd=HERE.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(proc, base, time.monotonic() + 20)
        with httpx.Client(base_url=base, timeout=10) as http:
            assert http.get("/health").json()["database"] == str(db_file)
            down = http.get("/api/v1/lineage/stg.orders/downstream", params={"depth": 2})
            assert down.status_code == 200 and down.json()["root"] == "stg.orders"
            missing = http.get("/api/v1/assets/nope")
            assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"

            # A change made over HTTP reaches a listener of the event stream.
            seen: list[dict] = []

            def listen() -> None:
                with httpx.stream("GET", base + "/api/v1/events",
                                  params={"max_events": 1, "timeout": 10}, timeout=15) as r:
                    for line in r.iter_lines():
                        if line.startswith("data: "):
                            seen.append(json.loads(line[6:]))

            listener = threading.Thread(target=listen)
            listener.start()
            time.sleep(0.5)
            created = http.put("/api/v1/assets/socket.test", json={"kind": "table"})
            assert created.status_code == 201
            listener.join(15)
            assert seen and seen[0]["asset_key"] == "socket.test"
            assert "lineage_assets" in http.get("/metrics").text
            assert http.get("/").status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)
