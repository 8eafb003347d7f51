"""`summit-extract train`: gold read as the pipeline sees it, learned spans as candidates, a tiny training run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.evaluation.gold import GoldDoc, GoldSpan, write_gold
from summit_extract.evaluation.standoff import read_standoff, with_fingerprint
from summit_extract.extraction.components.candidates import Candidate
from summit_extract.extraction.components.ner_filter import NerFilter
from summit_extract.extraction.components.resolver import resolve
from summit_extract.training.corpus import TrainingDataError, cleaned_spans, read_training_folder

runner = CliRunner()


@pytest.mark.parametrize(
    ("raw", "spans", "expected_text", "expected"),
    [
        # Windows line endings: every offset after the first line shifts.
        (
            "Summit\r\n\r\nKazakhstan hosted it.",
            [(10, 20, "COUNTRY")],
            "Summit\n\nKazakhstan hosted it.",
            ["Kazakhstan"],
        ),
        # Mojibake repaired: the span's bytes shrink.
        ("TÃ¼rkiye signed.", [(0, 9, "COUNTRY")], "Türkiye signed.", ["Türkiye"]),
        # A line-end hyphen joined.
        ("the Organi-\nzation of Turkic States met", [(4, 35, "ORG")], None, ["Organization of Turkic States"]),
        # Unchanged text: unchanged offsets.
        ("NATO met in Vilnius.", [(0, 4, "ORG")], "NATO met in Vilnius.", ["NATO"]),
    ],
)
def test_gold_spans_move_onto_the_cleaned_text(raw, spans, expected_text, expected):
    text, moved, lost = cleaned_spans(raw, spans)
    if expected_text is not None:
        assert text == expected_text
    assert [text[start:end] for start, end, _ in moved] == expected
    assert lost == []


ARTICLES = [
    ("a1", "Leaders of Kazakhstan and Russia signed the Astana Declaration at the SCO summit on Monday.",
     [("COUNTRY", "Kazakhstan"), ("COUNTRY", "Russia"), ("DOCUMENT", "Astana Declaration"), ("ORG", "SCO")]),
    ("a2", "China and India adopted the Delhi Charter of the BRICS group, President Xi Jinping said.",
     [("COUNTRY", "China"), ("COUNTRY", "India"), ("DOCUMENT", "Delhi Charter"), ("ORG", "BRICS")]),
    ("a3", "The Organization of Turkic States met in Baku; Azerbaijan proposed the Baku Accord.",
     [("ORG", "Organization of Turkic States"), ("COUNTRY", "Azerbaijan"), ("DOCUMENT", "Baku Accord")]),
    ("a4", "NATO leaders welcomed Finland and endorsed the Vilnius Communique in July 2023.",
     [("ORG", "NATO"), ("COUNTRY", "Finland"), ("DOCUMENT", "Vilnius Communique")]),
]  # fmt: skip


def gold_doc(doc_id: str, text: str, mentions: list[tuple[str, str]]) -> GoldDoc:
    spans = []
    for label, surface in mentions:
        start = text.index(surface)
        spans.append(GoldSpan(start, start + len(surface), label, surface, surface.upper()[:3] + "x"))
    spans.sort(key=lambda span: span.start)
    return GoldDoc(doc_id=doc_id, source=f"{doc_id}.txt", text=text, spans=tuple(spans))


@pytest.fixture
def gold_folder(tmp_path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    for doc_id, text, mentions in ARTICLES:
        # A country id must be a code of the tables; any id does for the others.
        doc = gold_doc(doc_id, text, mentions)
        ids = {"Kazakhstan": "KAZ", "Russia": "RUS", "China": "CHN", "India": "IND", "Azerbaijan": "AZE",
               "Finland": "FIN"}  # fmt: skip
        doc = GoldDoc(
            doc.doc_id,
            doc.source,
            doc.text,
            tuple(GoldSpan(s.start, s.end, s.label, s.text, ids.get(s.text, s.id)) for s in doc.spans),
        )
        write_gold([doc], folder / f"{doc_id}.jsonl")
    return folder


def write_standoff(folder: Path, doc_id: str, mentions: list[list[str]], annotated: str | None = None) -> None:
    """A stand-off gold file; with the `annotated` copy's text, its region fingerprint too."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.json"
    data = {"id": doc_id, "url": "https://example.org/a", "outlet": "Example", "mentions": mentions}
    path.write_text(json.dumps(data), encoding="utf-8")
    if annotated is not None:
        path.write_text(json.dumps(with_fingerprint(read_standoff(path), annotated)), encoding="utf-8")


def test_prodigy_gold_is_read_with_its_spans(gold_folder):
    texts, left_out = read_training_folder(gold_folder)
    assert left_out == {}
    first = next(t for t in texts if t.doc_id == "a1")
    assert [(first.text[s:e], label) for s, e, label in first.spans] == [
        ("Kazakhstan", "COUNTRY"),
        ("Russia", "COUNTRY"),
        ("Astana Declaration", "DOCUMENT"),
        ("SCO", "ORG"),
    ]


def test_standoff_gold_is_aligned_onto_the_copy_and_cut_to_its_region(tmp_path):
    mentions = [["COUNTRY", "Kazakhstan"], ["ORG", "SCO"]]
    write_standoff(tmp_path / "real", "r01-sco-2030-x", mentions, annotated="Kazakhstan chaired the SCO summit.")
    copies = tmp_path / "copies"
    copies.mkdir()
    (copies / "r01-sco-2030-x.txt").write_text(
        "Menu Home News\n\nKazakh-\nstan chaired the SCO summit.\n\nRelated: cookies", encoding="utf-8"
    )
    write_standoff(tmp_path / "real", "r02-sco-2030-y", [["COUNTRY", "Chad"]])  # no copy: left out, named
    texts, left_out = read_training_folder(tmp_path / "real", copies)
    assert [(t.text[s:e], label) for t in texts for s, e, label in t.spans] == [
        ("Kazakhstan", "COUNTRY"),
        ("SCO", "ORG"),
    ]
    assert texts[0].text == "Kazakhstan chaired the SCO summit"  # the page around the region is not gold
    assert "r02-sco-2030-y" in left_out


def test_standoff_gold_without_copies_names_the_folder_and_the_option(tmp_path):
    write_standoff(tmp_path / "real", "r01-sco-2030-x", [["COUNTRY", "Kazakhstan"]])
    with pytest.raises(TrainingDataError, match=r"real: stand-off gold .* --articles DIR"):
        read_training_folder(tmp_path / "real")


def learned_filter(labels: tuple[str, ...]) -> tuple[spacy.language.Language, NerFilter]:
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in labels:
        ner.add_label(label)
    return nlp, NerFilter(nlp)


@pytest.mark.parametrize(
    ("labels", "ents", "expected"),
    [
        # A learned model: its summit labels become learned candidates with their identities.
        (("COUNTRY", "ORG", "DOCUMENT", "PERSON"), [(2, 3, "COUNTRY"), (6, 8, "DOCUMENT")],
         [("COUNTRY", "Kazakhstan", "KAZ", "learned:COUNTRY"), ("DOCUMENT", "Astana Declaration",
                                                                   "astana-declaration", "learned:DOCUMENT")]),
        (("COUNTRY", "ORG", "DOCUMENT"), [(9, 10, "ORG")], [("ORG", "SCO", None, "learned:ORG")]),
        # Held to the stock spans' evidence: a COUNTRY span that names no country has no id, a word
        # with no organisation head, table entry or acronym is no ORG, a title needs a document type word.
        (("COUNTRY", "ORG", "DOCUMENT"), [(0, 1, "COUNTRY")], []),
        (("COUNTRY", "ORG", "DOCUMENT"), [(0, 1, "ORG")], []),
        (("COUNTRY", "ORG", "DOCUMENT"), [(6, 7, "DOCUMENT")], []),
        # The stock model (no COUNTRY label): its ORG spans go through the filter's evidence, as before.
        (("ORG", "PERSON", "GPE"), [(9, 10, "ORG")], [("ORG", "SCO", None, "ner:ORG")]),
        (("ORG", "PERSON", "GPE"), [(6, 8, "ORG")], []),
    ],
)  # fmt: skip
def test_learned_spans_are_candidates_with_typed_provenance(labels, ents, expected):
    nlp, ner_filter = learned_filter(labels)
    doc = nlp.make_doc("Leaders of Kazakhstan met ; the Astana Declaration of SCO was adopted .")
    doc.ents = [doc.char_span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), label) for s, e, label in ents]
    found = ner_filter(doc)._.summit_candidates
    got = [(c.label, doc[c.start : c.end].text, c.id if c.label != "ORG" else None, c.source) for c in found]
    assert got == expected


def candidate(start, end, label, component, pattern, priority) -> Candidate:
    return Candidate(start, end, label, f"{label}-{start}", "", component, pattern, priority)


@pytest.mark.parametrize(
    ("candidates", "kept", "reason"),
    [
        # The name grammar decides the extent: a learned span crossing a rule span loses.
        ([candidate(0, 3, "DOCUMENT", "document_ruler", "title", 35), candidate(2, 5, "DOCUMENT", "learned",
          "DOCUMENT", 20)], ["document_ruler:title"], "model span crossing a rule span from document_ruler:title"),
        # A learned span the rules do not propose is an entity.
        ([candidate(0, 2, "ORG", "learned", "ORG", 20)], ["learned:ORG"], None),
        # Same tokens: the rule ranks higher than the learned span, which ranks higher than the stock model's.
        ([candidate(0, 2, "ORG", "learned", "ORG", 20), candidate(0, 2, "ORG", "ner", "ORG", 10)],
         ["learned:ORG"], "same span as learned:ORG, which ranks higher"),
        ([candidate(0, 2, "ORG", "learned", "ORG", 20), candidate(0, 2, "ORG", "org_ruler", "table", 50)],
         ["org_ruler:table"], "same span as org_ruler:table, which ranks higher"),
    ],
)  # fmt: skip
def test_resolver_weighs_learned_spans_and_keeps_the_losers(candidates, kept, reason):
    accepted, rejected = resolve(candidates)
    assert [c.source for c in accepted] == kept
    assert [r.reason for r in rejected] == ([reason] if reason else [])


def test_train_writes_a_model_that_runs_and_extracts(gold_folder, tmp_path):
    from summit_extract.extraction.extract import Extractor

    output = tmp_path / "model"
    result = runner.invoke(
        app, ["train", str(gold_folder), "-o", str(output), "--max-steps", "3"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert f"run --model {output}" in result.output
    nlp = spacy.load(output)
    assert {"COUNTRY", "ORG", "DOCUMENT", "PERSON", "GPE", "DATE"} <= set(nlp.get_pipe("ner").labels)
    assert "parser" in nlp.pipe_names  # the facts rules read the structure from the same model
    extractor = Extractor(str(output), explain=True)
    assert extractor.pipeline_info.model.startswith("en_summit_learned-rules.")
    record = extractor.extract("Kazakhstan and Russia signed the Astana Declaration at the SCO summit.")
    assert ("COUNTRY", "Kazakhstan") in {(e.label, e.text) for e in record.entities}
    again = runner.invoke(app, ["train", str(gold_folder), "-o", str(output), "--max-steps", "1"])
    assert again.exit_code == 2 and "pass --force" in again.output


def test_train_refuses_standoff_gold_without_copies(tmp_path):
    write_standoff(tmp_path / "real", "r01-sco-2030-x", [["COUNTRY", "Kazakhstan"]])
    result = runner.invoke(app, ["train", str(tmp_path / "real"), "-o", str(tmp_path / "model")])
    assert result.exit_code != 0
    assert "--articles DIR" in result.output
    assert not (tmp_path / "model").exists()
