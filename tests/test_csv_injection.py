"""CSV cells that a spreadsheet would run as a formula are neutralised (OWASP), in every CSV written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import make_record

from summit_extract.reporting import review, tables

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-3+4", "@SUM(A1)", "\tlead", "\rcr", "'=already quoted"]

TEXT = "The SCO met. " + " ".join(f"[{value}]" for value in HOSTILE)
RECORD = make_record(
    '=HYPERLINK("evil")', TEXT, [("SCO", "ORG", "+SCO")] + [(value, "DOCUMENT", value) for value in HOSTILE]
)


def csv_cells(path: Path, encoding: str = "utf-8") -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+SCO", "'+SCO"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # a quote mark already there is kept, so reading back is exact
        ("'x", "'x"),
        ("SCO", "SCO"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),  # numbers are not text: a negative count stays a number
    ],
)
def test_csv_cell_and_back(value, cell):
    assert tables.csv_cell(value) == cell
    if isinstance(value, str):
        assert tables.read_csv_cell(cell) == value


@pytest.mark.parametrize("view", list(tables.VIEWS))
def test_no_table_cell_starts_a_formula(tmp_path, view):
    path = tables.write_table(tables.build_view([RECORD], view), tmp_path / f"{view}.csv", "csv")
    cells = csv_cells(path)
    assert cells, "the table has cells"
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


def test_the_countries_view_header_is_safe_too(tmp_path):
    record = make_record("@evil", "Kazakhstan hosted it.", [("Kazakhstan", "COUNTRY", "KAZ")])
    path = tables.write_table(tables.build_view([record], "countries"), tmp_path / "countries.csv", "csv")
    assert csv_cells(path)[:4] == ["id", "norm", "articles", "'@evil"]


def test_the_review_sheet_is_safe_and_reads_back_the_same(tmp_path):
    sheet = tmp_path / "review.csv"
    review.export_sheet([RECORD], sheet)
    cells = csv_cells(sheet, "utf-8-sig")
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    rows, blank = review.read_sheet(sheet)
    assert (rows, blank) == ([], len(HOSTILE) + 1)
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        data = [row for row in csv.DictReader(handle) if not row["doc_id"].startswith("#")]
    assert [tables.read_csv_cell(row["text"]) for row in data] == ["SCO", *HOSTILE]
    assert {tables.read_csv_cell(row["doc_id"]) for row in data} == {RECORD.doc_id}
