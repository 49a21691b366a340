"""Spreadsheets written by a real spreadsheet library (openpyxl), and YAML, imported through
the binding: rows numbered as the spreadsheet shows them, errors in plain words, nothing
written on a bad file."""
from __future__ import annotations

from pathlib import Path

import pytest

import lineage

openpyxl = pytest.importorskip("openpyxl")


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=col, value=value)
    wb.save(path)
    return path


def test_xlsx_from_openpyxl(g: lineage.Graph, tmp_path: Path) -> None:
    path = workbook(tmp_path / "lineage.xlsx", {
        "Read me": [["This workbook lists our lineage"]],
        "Edges": [["source", "target", "confidence", "lineage_source"],
                  ["raw.orders", "stg.orders", 0.8, "inferred"],
                  [None, None, None, None],
                  ["stg.orders", "mart.revenue", None, None]],
    })
    report = g.import_file(path, sheet="Edges", create_missing=True)
    assert report.committed and report.format == "xlsx" and report.rows == 2
    e = g.find_edge("raw.orders", "stg.orders")
    assert e.lineage_source == "inferred" and e.confidence == pytest.approx(0.8)
    assert g.find_edge("stg.orders", "mart.revenue").lineage_source == "manual"


def test_xlsx_errors_name_the_row_the_spreadsheet_shows(g: lineage.Graph,
                                                          tmp_path: Path) -> None:
    path = workbook(tmp_path / "bad.xlsx", {
        "Sheet": [["source", "target", "confidence"],
                  ["a", "b", 0.5],
                  [None, None, None],
                  [None, None, None],
                  ["a", "c", "high"]],
    })
    with pytest.raises(lineage.ValidationError) as info:
        g.import_file(path, create_missing=True)
    (error,) = info.value.errors
    assert error["row"] == 5 and error["column"] == "confidence"
    assert '"high" is not a number' in error["message"]
    with pytest.raises(lineage.NotFoundError):
        g.find_edge("a", "b")  # atomic: nothing written


def test_xlsx_unknown_sheet_lists_the_sheets(g: lineage.Graph, tmp_path: Path) -> None:
    path = workbook(tmp_path / "two.xlsx", {"One": [["source", "target"]],
                                            "Two": [["source", "target"]]})
    with pytest.raises(lineage.ParseError, match='its sheets are "One", "Two"'):
        g.import_file(path, sheet="Three")
    with pytest.raises(TypeError):
        g.import_file(path, sheet=3)


def test_yaml_data(g: lineage.Graph) -> None:
    text = ("- key: shop.orders\n  kind: table\n  tags: [pii]\n"
            "- key: dw.orders\n  kind: table\n")
    assert g.import_data(text, format="yaml").created["assets"] == 2
    assert g.get_asset("shop.orders").tags == ("pii",)
    report = g.import_data("- {source: shop.orders, target: dw.orders}\n", format="yml")
    assert report.format == "yaml" and report.created["edges"] == 1
    with pytest.raises(lineage.ParseError, match="alias"):
        g.import_data("- &a {source: x, target: y}\n- *a\n", format="yaml")


def test_xlsx_assets_from_a_file_are_read_twice_whole(g: lineage.Graph, tmp_path: Path) -> None:
    """Assets are validated, then read again to be written: the second pass reads the whole
    workbook again (it once read only as many bytes as the sheet inflates to)."""
    path = workbook(tmp_path / "assets.xlsx", {
        "Assets": [["key", "kind", "owner"], ["x.one", "table", "ops"], ["x.two", "view", "ops"]],
    })
    assert g.import_file(path, dry_run=True).created["assets"] == 2
    report = g.import_file(path)
    assert report.committed and report.created["assets"] == 2
    assert g.get_asset("x.two").kind == "view"
