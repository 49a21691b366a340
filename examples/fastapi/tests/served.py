"""The service under uvicorn on a free port of 127.0.0.1, for tests over real sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import httpx

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_healthy(proc: subprocess.Popen[bytes], base: str, deadline: float) -> None:
    """Until GET /health answers 200; fails with the server's output when it exits first,
    and when `deadline` (time.monotonic()) passes."""
    while True:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        assert time.monotonic() < deadline, "the service did not answer /health in time"
        time.sleep(0.1)


class Served:
    def __init__(self, proc: subprocess.Popen[bytes], base: str) -> None:
        self.proc, self.base = proc, base
        self.ws = "ws" + base[4:] + "/ws"
        self.http = httpx.Client(base_url=base, timeout=30)

    def wait_job(self, job_id: str, timeout: float = 120) -> dict[str, Any]:
        """Poll a job until it has finished; its final view."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.http.get(f"/api/v1/jobs/{job_id}").json()
            if job["state"] in ("succeeded", "failed", "cancelled"):
                return job
            assert time.monotonic() < deadline, job
            time.sleep(0.05)


@contextmanager
def serve(db_file: Path, **env: str) -> Iterator[Served]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning"],
        cwd=HERE.parent, env=dict(os.environ, LINEAGE_DB=str(db_file), **env),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    served = Served(proc, f"http://127.0.0.1:{port}")
    try:
        wait_until_healthy(proc, served.base, time.monotonic() + 30)
        yield served
    finally:
        served.http.close()
        if proc.poll() is None:
            proc.terminate()
            proc.wait(20)
