"""The web view's containment boxes, asset history, export and WebSocket-driven live
redraws in headless Chromium (examples/fastapi/web/e2e_draw.mjs, playwright-core)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import lineage

from served import serve
from test_web import WEB, needs_browser

SHOTS = ("containment", "containment-crowd", "history", "live-ws")


def _run(db_file: Path, artifacts: Path, *mode: str, **env: str) -> None:
    """e2e_draw.mjs against the service under uvicorn, as the steward."""
    needs_browser()
    with lineage.open(db_file) as graph:
        steward = graph.create_token("e2e-steward", "steward")[1]
    with serve(db_file, **env) as served:
        run = subprocess.run(["node", str(WEB / "e2e_draw.mjs"), served.base, str(artifacts),
                              *mode], capture_output=True, text=True, timeout=240,
                             env=dict(os.environ, LINEAGE_E2E_STEWARD_TOKEN=steward))
        print(run.stdout, run.stderr)
        assert run.returncode == 0, run.stdout + run.stderr


def _artifacts(tmp_path: Path) -> Path:
    artifacts = Path(os.environ.get("LINEAGE_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    return artifacts


def test_web_draw_in_chromium(db_file: Path, tmp_path: Path) -> None:
    artifacts = _artifacts(tmp_path)
    for old in artifacts.glob("draw-*"):
        if old.name != "draw-live-required.png":
            old.unlink()
    _run(db_file, artifacts)
    for part in SHOTS:
        shot = artifacts / f"draw-{part}.png"
        assert shot.is_file() and shot.stat().st_size > 10_000, shot
    # what the export buttons downloaded, checked again outside the browser
    png = (artifacts / "draw-export.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    exported = (artifacts / "draw-export.json").read_text()
    assert '"stg.orders"' in exported


def test_web_live_with_tokens_required(db_file: Path, tmp_path: Path) -> None:
    """LINEAGE_AUTH=required: the page follows /ws with its token (a ticket where the
    service asks for one) and redraws a change."""
    artifacts = _artifacts(tmp_path)
    shot = artifacts / "draw-live-required.png"
    shot.unlink(missing_ok=True)
    _run(db_file, artifacts, "required", LINEAGE_AUTH="required")
    assert shot.is_file() and shot.stat().st_size > 10_000
