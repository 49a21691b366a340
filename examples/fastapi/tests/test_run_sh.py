"""The README's example service: `bash examples/fastapi/run.sh` starts with a token printed
for the demo, and that token works (writes need it from then on)."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from served import free_port, wait_until_healthy

HERE = Path(__file__).resolve().parent
RUN = HERE.parent / "run.sh"


@pytest.mark.skipif(not os.environ.get("LINEAGE_BUILD_DIR"), reason="needs LINEAGE_BUILD_DIR "
                    "(a build with its python-venv, as scripts/test-python.sh sets it)")
def test_run_sh_prints_a_working_demo_token() -> None:
    port = free_port()
    proc = subprocess.Popen(["bash", str(RUN)], env=dict(os.environ, PORT=str(port)),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    out = b""
    try:
        deadline = time.monotonic() + 300  # the first start may load the example warehouse
        token = None
        while token is None:
            assert proc.poll() is None, out.decode(errors="replace")
            assert time.monotonic() < deadline, out.decode(errors="replace")
            if select.select([proc.stdout], [], [], 1)[0]:
                out += os.read(proc.stdout.fileno(), 65536)  # type: ignore[union-attr]
            found = re.search(rb"demo token \(admin, valid for a day; shown once\): (lin_\S+)",
                              out)
            token = found.group(1).decode() if found else None
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(proc, base, deadline)
        with httpx.Client(base_url=base, timeout=30) as http:
            key = f"/api/v1/assets/runsh.t{port}"
            refused = http.put(key, json={"kind": "table"})
            assert refused.status_code == 401, refused.text
            made = http.put(key, json={"kind": "table"},
                            headers={"Authorization": f"Bearer {token}"})
            assert made.status_code == 201, made.text
            assert http.get(key + "/history").json()["items"][0]["actor"] == "demo"
            assert http.delete(key, headers={"Authorization": f"Bearer {token}"}
                               ).status_code == 204
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
