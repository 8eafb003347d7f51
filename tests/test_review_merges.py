"""Merges a reviewer decides in the review sheet ('same as ID', 'not the same as ID') and the alias file."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from summit_extract.batch import run
from summit_extract.cli import app
from summit_extract.extraction.organizations import canonicaliser
from summit_extract.output.jsonl import iter_jsonl
from summit_extract.reporting import review
from summit_extract.rules import load_rules


def _sheet(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(review.SHEET_COLUMNS)
        for row in rows:
            writer.writerow([row.get(column, "") for column in review.SHEET_COLUMNS])
    return path


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("same as SCO", review.Merge("Testing Body", "SCO", "same")),
        ("Same As sco-heads-of-state-council", review.Merge("Testing Body", "sco-heads-of-state-council", "same")),
        ("not the same as SCO", review.Merge("Testing Body", "SCO", "not-same")),
        ("not same as SCO", review.Merge("Testing Body", "SCO", "not-same")),
    ],
)
def test_a_merge_cell_reads_as_a_decision(tmp_path, cell, expected):
    sheet = _sheet(tmp_path / "s.csv", [{"doc_id": "a", "label": "ORG", "text": "Testing Body", "merge": cell}])
    assert review.sheet_merges(sheet) == [expected]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"text": "Testing Body", "merge": "alias of SCO"}, "row 2, column merge: 'alias of SCO': expected"),
        ({"text": "Testing Body", "merge": "same as S C O"}, "row 2, column merge: 'same as S C O': expected"),
        ({"text": "Testing Body", "merge": "same as Not_An_Id"}, "row 2, column merge: 'Not_An_Id' is not an id"),
        ({"text": "", "merge": "same as SCO"}, "row 2, column text: empty"),
    ],
)
def test_a_merge_cell_that_cannot_be_read_is_named(tmp_path, row, message):
    sheet = _sheet(tmp_path / "s.csv", [{"doc_id": "a", "label": "ORG", **row}])
    with pytest.raises(review.ReviewError, match=message):
        review.sheet_merges(sheet)


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        ([("Testing Body", "SCO", "same")], [("Testing Body", "SCO", "same")]),
        # A later word on a name replaces the earlier one.
        ([("Testing Body", "SCO", "same"), ("testing body", "CSTO", "same")], [("testing body", "CSTO", "same")]),
        ([("Testing Body", "SCO", "same"), ("Testing Body", "SCO", "not-same")], [("Testing Body", "SCO", "not-same")]),
        # A name can be apart from several things.
        (
            [("Testing Body", "SCO", "not-same"), ("Testing Body", "CSTO", "not-same")],
            [("Testing Body", "SCO", "not-same"), ("Testing Body", "CSTO", "not-same")],
        ),
    ],
)
def test_write_aliases_keeps_the_last_decision(tmp_path, decisions, expected):
    for name, entity_id, relation in decisions:  # one import per decision: the file is read back each time
        path = review.write_aliases(tmp_path, [review.Merge(name, entity_id, relation)])
    rows = [(row.data["name"], row.data["id"], row.data["relation"]) for row in load_rules(tmp_path).rows(path.name)]
    assert rows == expected


@pytest.mark.parametrize(
    ("relation", "text", "found", "expected"),
    [
        ("same", "Testing Body", "testing-body", "SCO"),
        ("not-same", "Council of the EU", "eu-council", "council-of-the-eu"),
    ],
)
def test_the_alias_file_changes_canonical_ids(tmp_path, relation, text, found, expected):
    target = "SCO" if relation == "same" else found
    review.write_aliases(tmp_path, [review.Merge(text, target, relation)])
    assert canonicaliser().canonical_id("ORG", found, text) == found
    assert canonicaliser(load_rules(tmp_path)).canonical_id("ORG", found, text) == expected


@pytest.mark.model
def test_a_sheet_with_a_same_as_row_changes_the_next_runs_ids(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "Leaders of the Collective Security Treaty Organization met the Eurasian Development Bank in Minsk.\n",
        encoding="utf-8",
    )
    first = tmp_path / "first.jsonl"
    run([str(article)], first)
    (record,) = [data for _, data in iter_jsonl(first)]
    orgs = [e for e in record["entities"] if e["label"] == "ORG"]
    assert len(orgs) >= 2, orgs
    merged, apart = orgs[0], orgs[1]
    rows = [
        {"doc_id": "a", "label": "ORG", "text": merged["text"], "id": merged["id"], "merge": "same as SCO"},
        {
            "doc_id": "a",
            "label": "ORG",
            "text": apart["text"],
            "id": apart["id"],
            "merge": f"not the same as {apart['id']}",
        },
    ]
    sheet = _sheet(tmp_path / "reviewed.csv", rows)
    patterns = tmp_path / "mine"
    result = CliRunner().invoke(
        app, ["review", "import", str(sheet), "--gold", str(tmp_path / "gold"), "--patterns", str(patterns)]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote 2 merges to {patterns / 'id_aliases.tsv'}" in result.output
    second = tmp_path / "second.jsonl"
    run([str(article)], second, patterns=patterns)
    (after,) = [data for _, data in iter_jsonl(second)]
    ids = {e["text"]: e["id"] for e in after["entities"] if e["label"] == "ORG"}
    assert ids[merged["text"]] == "SCO"
    assert ids[apart["text"]] != apart["id"]
