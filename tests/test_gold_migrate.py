"""`summit-extract gold migrate`: gold ids of an older convention become canonical ids, facts gold too."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.evaluation.gold import load_gold
from summit_extract.output.jsonl import write_jsonl

TEXT = (
    "The Council of Heads of State of the SCO adopted Agenda 2063: The Africa We Want. "
    "Agenda 2063 was praised by UNRWA."
)


def _span(text: str, label: str, span_id: str, occurrence: int = 0) -> dict[str, object]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return {"start": start, "end": start + len(text), "label": label, "text": text, "id": span_id}


def _gold(tmp_path):
    folder = tmp_path / "set" / "gold"
    folder.mkdir(parents=True)
    record = {
        "text": TEXT,
        "meta": {"doc_id": "a1", "source": "a1.txt"},
        "spans": [
            _span("Council of Heads of State of the SCO", "ORG", "council-of-heads-of-state-of-the-sco"),
            _span("Agenda 2063: The Africa We Want", "DOCUMENT", "agenda-2063-the-africa-we-want"),
            _span("Agenda 2063", "DOCUMENT", "agenda-2063", occurrence=1),
            _span("UNRWA", "ORG", "unrwa"),
        ],
        "answer": "accept",
    }
    write_jsonl(folder / "a1.jsonl", [record])
    facts = folder.parent / "facts"
    facts.mkdir()
    rows = [
        {
            "id": "agenda-2063-the-africa-we-want",
            "title": "Agenda 2063: The Africa We Want",
            "status": "adopted",
            "proposer": None,
        },
        {"id": "agenda-2063", "title": "Agenda 2063", "status": "adopted", "proposer": "unrwa"},
    ]
    (facts / "a1.json").write_text(
        json.dumps({"doc_id": "a1", "summit": None, "participants": [], "documents": rows}), encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Council of Heads of State of the SCO", "sco-heads-of-state-council"),
        ("Agenda 2063: The Africa We Want", "agenda-2063"),
        ("Agenda 2063", "agenda-2063"),
        ("UNRWA", "UNRWA"),
    ],
)
def test_migrate_rewrites_gold_ids_as_canonical_ids(tmp_path, text, expected):
    folder = _gold(tmp_path)
    result = CliRunner().invoke(app, ["gold", "migrate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{folder}: 3 ids renamed, 1 facts files updated"
    assert {span.text: span.id for span in load_gold(folder)["a1"].spans}[text] == expected


def test_migrate_merges_facts_rows_that_became_one_document_and_a_second_run_changes_nothing(tmp_path):
    folder = _gold(tmp_path)
    CliRunner().invoke(app, ["gold", "migrate", str(folder)])
    facts = json.loads((folder.parent / "facts" / "a1.json").read_text(encoding="utf-8"))
    assert [(row["id"], row["proposer"]) for row in facts["documents"]] == [("agenda-2063", "UNRWA")]
    again = CliRunner().invoke(app, ["gold", "migrate", str(folder)])
    assert again.output.strip() == f"{folder}: 0 ids renamed, 0 facts files updated"
