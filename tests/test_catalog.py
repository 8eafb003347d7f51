"""The corpus catalogue: one row per organisation or document, with the variants a reviewer checks."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import make_record
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.output.jsonl import write_jsonl
from summit_extract.records import ArticleMeta
from summit_extract.reporting.tables import CATALOG_COLUMNS, build_view, catalog

RECORDS = [
    make_record(
        "a",
        "The SCO Heads of State Council met; the Shanghai Cooperation Organization and the SCO in Kazakhstan.",
        [
            ("SCO Heads of State Council", "ORG", "sco-heads-of-state-council"),
            ("Shanghai Cooperation Organization", "ORG", "SCO"),
            ("SCO", "ORG", "SCO"),
            ("Kazakhstan", "COUNTRY", "KAZ"),
        ],
        ArticleMeta(published="2024-07-04"),
    ),
    make_record(
        "b",
        "The Council of Heads of State of the SCO met at the SCO summit and adopted Agenda 2063.",
        [
            ("Council of Heads of State of the SCO", "ORG", "sco-heads-of-state-council"),
            ("SCO", "ORG", "SCO"),
            ("Agenda 2063", "DOCUMENT", "agenda-2063"),
        ],
        ArticleMeta(published="2023-09-01"),
    ),
    make_record("c", "No date here: the SCO.", [("SCO", "ORG", "SCO")], ArticleMeta()),
]


@pytest.fixture(scope="module")
def table():
    return catalog(RECORDS).set_index(["label", "id"])


@pytest.mark.parametrize(
    ("key", "column", "expected"),
    [
        (("ORG", "SCO"), "variants", "SCO (3); Shanghai Cooperation Organization (1)"),
        (("ORG", "SCO"), "articles", 3),
        (("ORG", "SCO"), "mentions", 4),
        (("ORG", "SCO"), "name", "SCO"),
        (("ORG", "SCO"), "first_published", "2023-09-01"),
        (("ORG", "SCO"), "last_published", "2024-07-04"),
        (("ORG", "SCO"), "doc_ids", "a, b, c"),
        (
            ("ORG", "sco-heads-of-state-council"),
            "variants",
            "Council of Heads of State of the SCO (1); SCO Heads of State Council (1)",
        ),
        (("DOCUMENT", "agenda-2063"), "doc_ids", "b"),
    ],
)
def test_catalog_row(table, key, column, expected):
    assert table.loc[key, column] == expected


def test_catalog_has_one_row_per_label_and_id_and_no_countries(table):
    assert list(catalog(RECORDS).columns) == CATALOG_COLUMNS
    assert sorted(table.index) == [("DOCUMENT", "agenda-2063"), ("ORG", "SCO"), ("ORG", "sco-heads-of-state-council")]


def test_catalog_of_no_records_is_empty_with_the_columns():
    assert list(catalog([]).columns) == CATALOG_COLUMNS and catalog([]).empty


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xlsx", "parquet"])
def test_catalog_command_and_table_view_write_the_same_rows(tmp_path, suffix):
    output = tmp_path / "out.jsonl"
    write_jsonl(output, [record.to_dict() for record in RECORDS])
    written = tmp_path / f"catalog.{suffix}"
    result = CliRunner().invoke(app, ["catalog", str(output), "-o", str(written)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote 3 rows of the catalog view to {written}"
    read = {
        "csv": pd.read_csv,
        "jsonl": lambda p: pd.read_json(p, lines=True),
        "xlsx": pd.read_excel,
        "parquet": pd.read_parquet,
    }[suffix]
    assert sorted(read(written)["id"]) == sorted(build_view(RECORDS, "catalog")["id"])
