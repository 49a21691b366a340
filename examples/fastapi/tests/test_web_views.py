"""Saved views and editing lineage in the web page, in headless Chromium
(examples/fastapi/web/e2e_views.mjs, playwright-core): real mouse drags and clicks against
the service under uvicorn; screenshots kept beside the main web test's."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import lineage
from served import serve
from test_web import WEB, needs_browser


def test_saved_views_and_editing_in_chromium(db_file: Path, tmp_path: Path) -> None:
    needs_browser()
    artifacts = Path(os.environ.get("LINEAGE_ARTIFACTS", tmp_path))
    names = ("views", "edit", "edit-refused")
    for name in (*names, "views-failure"):
        (artifacts / f"web-{name}.png").unlink(missing_ok=True)
    with lineage.open(db_file) as graph:
        editor = graph.create_token("e2e-editor", "editor")[1]
        viewer = graph.create_token("e2e-viewer", "viewer")[1]
    with serve(db_file) as served:
        run = subprocess.run(["node", str(WEB / "e2e_views.mjs"), served.base, str(artifacts)],
                             capture_output=True, text=True, timeout=180,
                             env=dict(os.environ, LINEAGE_E2E_EDITOR_TOKEN=editor,
                                      LINEAGE_E2E_VIEWER_TOKEN=viewer))
        print(run.stdout, run.stderr)
        assert run.returncode == 0, run.stdout + run.stderr
    for name in names:
        shot = artifacts / f"web-{name}.png"
        assert shot.is_file() and shot.stat().st_size > 10_000, shot
    # what the page did is in the database: the view deleted, the edge made then removed
    with lineage.open(db_file, readonly=True) as graph:
        assert graph.views()["total"] == 0
        made = [c for c in graph.changes_since(0) if c.entity == "edge" and c.actor == "e2e-editor"]
        assert [c.action for c in made] == ["create", "delete"]
