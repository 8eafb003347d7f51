"""Why a span was not extracted: the resolver's losers in doc.spans, and `rejected` on request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import spacy
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.extraction.components import add_summit_components
from summit_extract.extraction.components.candidates import PRIORITY, Candidate, candidates_of, register_extensions
from summit_extract.extraction.components.resolver import REJECTED_KEY, SpanResolver, rejected_of
from summit_extract.output.schema import extraction_schema
from summit_extract.records import LABELS, ArticleRecord, RecordError

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"

# (component, pattern, priority) of the proposers the cases below stand in for.
COUNTRY = ("country_ruler", "common", PRIORITY["country"])
ORG_TABLE = ("org_ruler", "table-name", PRIORITY["org_table"])
ORG_HEAD = ("org_ruler", "head-word", PRIORITY["org_pattern"])
TITLE = ("document_ruler", "title-with-type-word", PRIORITY["document"])
NER_ORG = ("ner", "ORG", PRIORITY["ner"])
NER_PERSON = ("ner", "PERSON", PRIORITY["ner"])


def resolved(text: str, proposals: list[tuple[int, int, str, tuple[str, str, int]]]):
    """Run the resolver alone on a blank doc holding hand-made candidates (token offsets)."""
    register_extensions()
    doc = spacy.blank("en")(text)
    for start, end, label, provenance in proposals:
        candidates_of(doc).append(Candidate(start, end, label, "id", doc[start:end].text, *provenance))
    doc = SpanResolver()(doc)
    return [e.text for e in doc.ents], [(span.text, span.id_, reason) for span, reason in rejected_of(doc)]


@pytest.mark.parametrize(
    ("text", "proposals", "entities", "rejected"),
    [
        (
            "the Central Bank of Russia said",
            [(4, 5, "COUNTRY", COUNTRY), (1, 5, "ORG", ORG_HEAD)],
            ["Central Bank of Russia"],
            [("Russia", "country_ruler:common", "overlaps a longer span from org_ruler:head-word")],
        ),
        (
            "the SCO met",
            [(1, 2, "ORG", NER_ORG), (1, 2, "ORG", ORG_TABLE)],
            ["SCO"],
            [("SCO", "ner:ORG", "same span as org_ruler:table-name, which ranks higher")],
        ),
        (
            "the Georgia Group met",
            [(1, 3, "ORG", ORG_TABLE), (1, 3, "DOCUMENT", TITLE)],
            ["Georgia Group"],
            [
                (
                    "Georgia Group",
                    "document_ruler:title-with-type-word",
                    "same tokens as the ORG span from org_ruler:table-name, which ranks higher",
                )
            ],
        ),
        (
            "Astana Charter Council met",
            [(0, 2, "DOCUMENT", TITLE), (1, 3, "ORG", ORG_HEAD)],
            ["Astana Charter"],
            [
                (
                    "Charter Council",
                    "org_ruler:head-word",
                    "overlaps a span of the same length and higher priority from document_ruler:title-with-type-word",
                )
            ],
        ),
        (
            "Astana Kazan Ufa met",
            [(0, 2, "ORG", ORG_HEAD), (1, 3, "ORG", ORG_HEAD)],
            ["Astana Kazan"],
            [
                (
                    "Kazan Ufa",
                    "org_ruler:head-word",
                    "overlaps an earlier span of the same length from org_ruler:head-word",
                )
            ],
        ),
        (
            "the SCO Secretariat of Belarus, Bolivia, Cuba and others",
            [(3, 9, "ORG", NER_ORG), (4, 5, "COUNTRY", COUNTRY), (8, 9, "COUNTRY", COUNTRY)],
            ["Belarus", "Cuba"],
            [("of Belarus, Bolivia, Cuba", "ner:ORG", "model ORG span around a country from country_ruler:common")],
        ),
        (
            "Michael Jordan spoke",
            [(0, 2, "PERSON", NER_PERSON), (1, 2, "COUNTRY", COUNTRY)],
            [],
            [("Jordan", "country_ruler:common", "inside a longer PERSON span from ner:PERSON")],
        ),
        (
            "the Astana\nDeclaration and Kazakhstan",
            [(1, 4, "DOCUMENT", TITLE), (5, 6, "COUNTRY", COUNTRY)],
            ["Kazakhstan"],
            [("Astana\nDeclaration", "document_ruler:title-with-type-word", "crosses a line break")],
        ),
    ],
)
def test_every_loser_is_kept_with_its_reason(text, proposals, entities, rejected):
    assert resolved(text, proposals) == (entities, rejected)


def test_a_model_span_crossing_a_rule_span_loses_to_it():
    # "met the Astana" crosses the title "Astana Declaration": the model's boundary is the suspect one.
    assert resolved(
        "they met the Astana Declaration today",
        [(1, 4, "ORG", NER_ORG), (3, 5, "DOCUMENT", TITLE)],
    ) == (
        ["Astana Declaration"],
        [("met the Astana", "ner:ORG", "model span crossing a rule span from document_ruler:title-with-type-word")],
    )


def test_people_guard_but_are_never_listed_as_losers():
    entities, rejected = resolved("Michael Jordan spoke", [(0, 2, "PERSON", NER_PERSON)])
    assert (entities, rejected) == ([], [])


@pytest.mark.parametrize(
    ("text", "loser", "reason"),
    [
        ("Leaders of Papua New Guinea met.", ("Guinea", "country_ruler:common"), "overlaps a longer span from"),
        (
            "the Shanghai Cooperation Organisation (SCO) met",
            ("Shanghai Cooperation Organisation", "org_ruler:head-word"),
            "same span as org_ruler:table-name, which ranks higher",
        ),
    ],
)
def test_rule_components_on_a_blank_pipeline_keep_their_losers(text, loser, reason):
    doc = add_summit_components(spacy.blank("en"))(text)
    found = {(span.text, span.id_): why for span, why in rejected_of(doc)}
    assert reason in found[loser]
    assert all(span.label_ in LABELS for span in doc.spans[REJECTED_KEY])


def test_rejected_offsets_are_checked_when_a_record_is_read():
    data = {
        "doc_id": "a",
        "source": "a.txt",
        "text": "Papua New Guinea",
        "meta": {"title": None, "author": None, "published": None},
        "entities": [],
        "rejected": [
            {
                "label": "COUNTRY",
                "start": 0,
                "end": 5,
                "text": "Guinea",
                "source": "country_ruler:common",
                "reason": "x",
            }
        ],
        "pipeline": {"version": "0", "model": "m"},
    }
    with pytest.raises(
        RecordError, match=r"rejected\[0\]: text\[0:5\] is 'Papua', but the rejected span says 'Guinea'"
    ):
        ArticleRecord.from_dict(data)
    data["rejected"][0].update(start=10, end=16)
    assert ArticleRecord.from_dict(data).to_dict() == data  # read back, written the same


@pytest.mark.model
def test_explain_lists_the_losers_in_the_schema_and_changes_nothing_else(extractor, seed_raw):
    plain = extractor.extract(seed_raw, doc_id="seed")
    explained = extractor.extract(seed_raw, doc_id="seed", explain=True)
    assert "rejected" not in plain.to_dict()
    data = explained.to_dict()
    jsonschema.validate(data, extraction_schema())
    assert {k: v for k, v in data.items() if k != "rejected"} == plain.to_dict()
    assert data["rejected"], "the seed article has spans that lose to longer or stronger ones"
    winners = {(e.label, e.start, e.end, e.source) for e in plain.entities}
    for span in explained.rejected:
        assert explained.text[span.start : span.end] == span.text
        assert (span.label, span.start, span.end, span.source) not in winners
        assert span.reason


@pytest.mark.model
def test_run_explain_adds_rejected_and_resume_redoes_records_made_without_it(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(path, corpus / path.name)
    output = tmp_path / "out.jsonl"
    runner = CliRunner()
    plain = runner.invoke(app, ["run", str(corpus), "-o", str(output), "-j", "1", "--json"])
    assert plain.exit_code == 0, plain.output
    lines = output.read_text(encoding="utf-8").splitlines()
    assert all("rejected" not in json.loads(line) for line in lines)
    explained = runner.invoke(app, ["run", str(corpus), "-o", str(output), "-j", "1", "--json", "--explain"])
    assert explained.exit_code == 0, explained.output
    assert json.loads(explained.stdout)["extracted"] == 2  # not skipped: the records lacked `rejected`
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 and all(record["rejected"] for record in records)
    again = runner.invoke(app, ["run", str(corpus), "-o", str(output), "-j", "1", "--json", "--explain"])
    assert json.loads(again.stdout)["skipped"] == 2
