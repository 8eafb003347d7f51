"""The second pass of a corpus run: names learnt in one article name the same thing in the others."""

from __future__ import annotations

import pytest

from summit_extract.batch import run
from summit_extract.extraction.corpus_ids import corpus_aliases, renamed_facts, with_corpus_ids
from summit_extract.extraction.organizations import canonicaliser
from summit_extract.output.jsonl import iter_jsonl


def _record(*entities: tuple[str, str, str]) -> dict[str, object]:
    return {"entities": [{"label": label, "text": text, "id": entity_id} for label, text, entity_id in entities]}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        # A long name given an acronym id is learnt ...
        ([_record(("ORG", "Union of Testing Nations", "UTN"))], {"union of testing nations": "UTN"}),
        ([_record(("DOCUMENT", "Testing Accord", "TACC"))], {"testing accord": "TACC"}),
        # ... a bare acronym, a slug id or a country teaches nothing ...
        ([_record(("ORG", "UTN", "UTN"), ("ORG", "Testing Board", "testing-board"))], {}),
        ([_record(("COUNTRY", "Testland", "TST"))], {}),
        # ... and a name two articles gave two different acronyms is left alone.
        (
            [_record(("ORG", "Union of Testing Nations", "UTN")), _record(("ORG", "Union of Testing Nations", "UOTN"))],
            {},
        ),
    ],
)
def test_learnt_aliases(records, expected):
    assert corpus_aliases(records) == expected


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        (("ORG", "Union of Testing Nations", "union-of-testing-nations"), "UTN"),
        (("ORG", "Council of Heads of State of the Union of Testing Nations", "x"), "utn-heads-of-state-council"),
        (("ORG", "Testing Board", "testing-board"), "testing-board"),
    ],
)
def test_a_learnt_name_gives_its_id_in_another_record(entity, expected):
    rules = canonicaliser().with_aliases({"union of testing nations": "UTN"})
    label, text, entity_id = entity
    record = _record((label, text, entity_id if entity_id != "x" else text.lower().replace(" ", "-")))
    with_corpus_ids(record, rules)
    assert record["entities"][0]["id"] == expected


ARTICLES = {
    "a.txt": "The Union of Testing Nations (UTN) met in Astana on Monday with Kazakhstan.\n",
    "b.txt": "Leaders of the Union of Testing Nations met again in Bishkek with Kyrgyzstan.\n",
}


def _ids(path):
    return {
        record["doc_id"]: sorted(e["id"] for e in record["entities"] if e["label"] == "ORG")
        for _, record in iter_jsonl(path)
    }


@pytest.mark.model
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_gives_a_name_learnt_in_one_article_its_id_in_another(tmp_path, jobs):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    output = tmp_path / f"out{jobs}.jsonl"
    summary = run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], output, jobs=jobs, batch_size=1)
    assert _ids(output) == {"a": ["UTN", "UTN"], "b": ["UTN"]}
    assert summary.corpus_id_records == 1


@pytest.mark.model
def test_resume_keeps_the_learnt_ids(tmp_path):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    output = tmp_path / "out.jsonl"
    run([str(tmp_path / "b.txt")], output)
    assert _ids(output) == {"b": ["union-of-testing-nations"]}  # nothing learnt yet
    run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], output)  # b is kept, a added: b learns
    assert _ids(output) == {"a": ["UTN", "UTN"], "b": ["UTN"]}


def _facts(documents, organization="unrwa"):
    return {
        "summit": {"organization": organization, "evidence": []},
        "participants": [{"id": "KAZ", "roles": ["host"], "evidence": [[0, 3]]}],
        "documents": documents,
    }


@pytest.mark.parametrize(
    ("documents", "renamed", "expected"),
    [
        # The summit's organisation and a proposer follow their entities' new ids.
        (
            [{"id": "plan", "status": "adopted", "proposer": "unrwa", "evidence": [[5, 9]]}],
            {"unrwa": "UNRWA"},
            [{"id": "plan", "status": "adopted", "proposer": "UNRWA", "evidence": [[5, 9]]}],
        ),
        # Two rows that now name one document become one: the first row's status, the evidence of both.
        (
            [
                {"id": "astana-declaration", "status": "signed", "proposer": None, "evidence": [[5, 9]]},
                {"id": "astana-declaration-of-sco", "status": "adopted", "proposer": "KAZ", "evidence": [[20, 30]]},
            ],
            {"astana-declaration-of-sco": "astana-declaration", "unrwa": "UNRWA"},
            [{"id": "astana-declaration", "status": "signed", "proposer": "KAZ", "evidence": [[5, 9], [20, 30]]}],
        ),
    ],
)
def test_the_second_pass_renames_the_ids_inside_facts(documents, renamed, expected):
    facts = _facts(documents)
    renamed_facts(facts, renamed)
    assert facts["summit"]["organization"] == "UNRWA"
    assert facts["participants"] == [{"id": "KAZ", "roles": ["host"], "evidence": [[0, 3]]}]  # countries keep theirs
    assert facts["documents"] == expected
