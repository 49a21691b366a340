"""The web page in headless Chromium (examples/fastapi/web/e2e.mjs, playwright-core)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import lineage

from served import free_port, wait_until_healthy

WEB = Path(__file__).resolve().parent.parent / "web"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("LINEAGE_E2E_REQUIRED") == "1"


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        return "run `npm ci` in examples/fastapi/web"
    if not (WEB / "static" / "vendor" / "cytoscape.min.js").is_file():
        return "run `npm run build` in examples/fastapi/web"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def needs_browser() -> None:
    """Skip without Chromium or the built page; fail instead when the test script requires them."""
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(missing)
        pytest.skip(missing)


def test_web_view_in_chromium(db_file: Path, tmp_path: Path) -> None:
    needs_browser()
    artifacts = Path(os.environ.get("LINEAGE_ARTIFACTS", tmp_path))
    screenshot = artifacts / "web.png"
    for old in artifacts.glob("web*.png"):
        old.unlink()
    # tokens in the database: every change from the page needs one (issue 15)
    with lineage.open(db_file) as graph:
        steward = graph.create_token("e2e-steward", "steward")[1]
        viewer = graph.create_token("e2e-viewer", "viewer")[1]
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning"],
        cwd=WEB.parent, env=dict(os.environ, LINEAGE_DB=str(db_file)))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(proc, base, time.monotonic() + 20)
        run = subprocess.run(["node", str(WEB / "e2e.mjs"), base, str(screenshot)],
                             capture_output=True, text=True, timeout=180,
                             env=dict(os.environ, LINEAGE_E2E_STEWARD_TOKEN=steward,
                                      LINEAGE_E2E_VIEWER_TOKEN=viewer))
        print(run.stdout, run.stderr)
        assert run.returncode == 0, run.stdout + run.stderr
        assert screenshot.is_file() and screenshot.stat().st_size > 10_000
        for part in ("hub", "columns", "review", "import", "path", "cose-bilkent", "live"):
            shot = artifacts / f"web-{part}.png"
            assert shot.is_file() and shot.stat().st_size > 10_000, shot
    finally:
        proc.terminate()
        proc.wait(10)
