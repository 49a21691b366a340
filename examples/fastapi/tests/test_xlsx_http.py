"""Excel workbooks written by a real spreadsheet library (openpyxl) through the import
routes over real HTTP: the dry-run report first, then the commit."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import openpyxl

from conftest import assert_error
from served import serve

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(path: Path, rows: list[list[object]],
             sheets: Optional[dict[str, list[list[object]]]] = None) -> Path:
    """A workbook whose first sheet holds `rows` (None: an empty cell), then `sheets`."""
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Lineage"
    for name, content in [(None, rows), *(sheets or {}).items()]:
        ws = first if name is None else wb.create_sheet(name)
        for r, row in enumerate(content, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def test_xlsx_dry_run_then_commit(db_file: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "edges.xlsx", [
        ["source", "target", "lineage_source", "confidence", "description"],
        ["pg.shop.orders", "xl.orders_copy", "inferred", 0.6, "nightly copy"],
        [None, None, None, None, None],  # a blank row, as people leave them
        ["xl.orders_copy", "xl.report", "manual", None, None],
    ]).read_bytes()
    with serve(db_file) as s:
        seq = s.http.get("/health").json()["last_seq"]
        files = {"file": ("edges.xlsx", book, XLSX)}
        v = s.http.post(f"{API}/import/validate", files=files, data={"create_missing": "true"})
        assert v.status_code == 200, v.text
        report = v.json()
        assert report["format"] == "xlsx" and report["dry_run"] is True
        assert report["committed"] is False and report["rows"] == 2 and report["invalid"] == 0
        assert report["created"]["edges"] == 2
        assert s.http.get("/health").json()["last_seq"] == seq  # nothing written
        assert_error(s.http.get(f"{API}/assets/xl.report"), 404, "not_found")

        x = s.http.post(f"{API}/import/execute", files=files, data={"create_missing": "true"})
        assert x.status_code == 200, x.text
        assert x.json()["committed"] is True and x.json()["created"]["edges"] == 2
        down = s.http.get(f"{API}/lineage/pg.shop.orders/downstream").json()
        keys = {n["key"] for n in down["nodes"]}
        assert {"xl.orders_copy", "xl.report"} <= keys
        pending = s.http.get(f"{API}/edges/pending", params={"limit": 1000}).json()["items"]
        assert any(e["target"] == "xl.orders_copy" and e["confidence"] == 0.6
                   for e in pending), pending


def test_xlsx_errors_name_the_spreadsheet_row_and_sheet(db_file: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "assets.xlsx", [["Read me: the assets are on the next sheet"]],
                    {"Assets": [["key", "kind", "owner"],
                                ["xl.one", "table", "ops"],
                                [None, None, None],
                                ["xl.two", "no-such-kind", "ops"]]}).read_bytes()
    with serve(db_file) as s:
        files = {"file": ("assets.xlsx", book, XLSX)}
        v = s.http.post(f"{API}/import/validate", files=files, data={"sheet": "Assets"})
        assert v.status_code == 200, v.text
        (error,) = v.json()["errors"]
        assert error["row"] == 4 and error["column"] == "kind", error
        x = s.http.post(f"{API}/import/execute", files=files, data={"sheet": "Assets"})
        err = assert_error(x, 422, "invalid_rows")
        assert err["details"]["report"]["committed"] is False
        assert_error(s.http.get(f"{API}/assets/xl.one"), 404, "not_found")  # atomic
        r = s.http.post(f"{API}/import/validate", files=files, data={"sheet": "Nope"})
        err = assert_error(r, 400, "parse_error")
        assert '"Lineage", "Assets"' in err["message"], err
        assert "sheet" in s.http.get("/openapi.json").text
