"""The evaluate job: pairing predictions with gold, missing and extra articles, alignment, baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span

from summit_extract.evaluation.baseline import Baseline, baseline_id, country_id
from summit_extract.evaluation.evaluate import (
    BASELINE_NAME,
    SYSTEM_NAME,
    Prediction,
    evaluate_predictions,
    run_evaluation,
)
from summit_extract.evaluation.gold import GoldError, GoldMismatchError, load_gold_set
from summit_extract.output.jsonl import JsonlError, write_jsonl
from summit_extract.records import ArticleMeta, ArticleRecord, Entity, PipelineInfo

TEXT_A = "Kazakhstan hosted the SCO summit with China."
TEXT_B = "The Astana Declaration was adopted by India."


def gold_line(doc_id: str, text: str, spans: list[tuple[str, str, str]], source: str = "") -> dict:
    """spans as (label, text, id); offsets found in `text`."""
    rows = []
    for label, span_text, span_id in spans:
        start = text.index(span_text)
        rows.append({"start": start, "end": start + len(span_text), "label": label, "text": span_text, "id": span_id})
    return {
        "text": text,
        "meta": {"doc_id": doc_id, "source": source or f"{doc_id}.txt"},
        "spans": rows,
        "answer": "accept",
    }


def entity(text: str, label: str, span_text: str, span_id: str) -> Entity:
    start = text.index(span_text)
    return Entity(
        label=label,
        start=start,
        end=start + len(span_text),
        text=span_text,
        id=span_id,
        norm=span_text,
        source="test:hand",
    )


def article(doc_id: str, text: str, entities: list[Entity]) -> ArticleRecord:
    return ArticleRecord(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        text=text,
        meta=ArticleMeta(),
        entities=tuple(entities),
        pipeline=PipelineInfo(version="0.1.0", model="hand-made"),
    )


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    write_jsonl(
        folder / "gold.jsonl",
        [
            gold_line(
                "a", TEXT_A, [("COUNTRY", "Kazakhstan", "KAZ"), ("ORG", "SCO", "SCO"), ("COUNTRY", "China", "CHN")]
            ),
            gold_line(
                "b", TEXT_B, [("DOCUMENT", "Astana Declaration", "astana-declaration"), ("COUNTRY", "India", "IND")]
            ),
        ],
    )
    return folder


def perfect_a() -> ArticleRecord:
    return article(
        "a",
        TEXT_A,
        [
            entity(TEXT_A, "COUNTRY", "Kazakhstan", "KAZ"),
            entity(TEXT_A, "ORG", "SCO", "SCO"),
            entity(TEXT_A, "COUNTRY", "China", "CHN"),
        ],
    )


def test_perfect_predictions_score_one(gold_dir):
    b = article(
        "b",
        TEXT_B,
        [
            entity(TEXT_B, "DOCUMENT", "Astana Declaration", "astana-declaration"),
            entity(TEXT_B, "COUNTRY", "India", "IND"),
        ],
    )
    report = evaluate_predictions(
        load_gold_set(gold_dir), [Prediction.from_record(perfect_a()), Prediction.from_record(b)]
    )
    ours = report.ours
    assert ours.strict_micro_f1 == 1.0
    assert ours.documents.micro.f1 == 1.0
    assert ours.errors == []
    assert report.missing_predictions == {}


def test_gold_article_without_prediction_counts_as_all_missed(gold_dir):
    extra = article("zzz", "Nothing here.", [])
    report = evaluate_predictions(
        load_gold_set(gold_dir), [Prediction.from_record(perfect_a()), Prediction.from_record(extra)]
    )
    strict = report.ours.mentions.schemes["strict"].micro
    assert (strict.correct, strict.missed, strict.spurious) == (3, 2, 0)
    assert strict.recall == pytest.approx(3 / 5)
    assert report.missing_predictions == {"b": "no prediction for this article"}
    assert report.unmatched_predictions == ["zzz"]
    assert [e.kind for e in report.ours.errors if e.doc_id == "b"] == ["missed", "missed"]
    by_id = {a.doc_id: a for a in report.ours.articles}
    assert (by_id["a"].f1, by_id["b"].f1, by_id["b"].has_prediction) == (1.0, 0.0, False)


def test_prediction_text_with_other_whitespace_is_aligned(gold_dir):
    text = "Kazakhstan  hosted the\nSCO summit\n\nwith China."
    record = article(
        "a",
        text,
        [
            entity(text, "COUNTRY", "Kazakhstan", "KAZ"),
            entity(text, "ORG", "SCO", "SCO"),
            entity(text, "COUNTRY", "China", "CHN"),
        ],
    )
    report = evaluate_predictions(load_gold_set(gold_dir), [Prediction.from_record(record)])
    assert report.ours.mentions.schemes["strict"].micro.correct == 3


def test_content_mismatch_names_every_article(gold_dir):
    records = [article("a", TEXT_A.replace("China", "Chile"), []), article("b", TEXT_B.replace("India", "Japan"), [])]
    with pytest.raises(GoldMismatchError) as caught:
        evaluate_predictions(load_gold_set(gold_dir), [Prediction.from_record(r) for r in records])
    assert "article 'a'" in str(caught.value) and "article 'b'" in str(caught.value)


def test_errors_and_summary_in_the_report(gold_dir):
    record = article(
        "a",
        TEXT_A,
        [entity(TEXT_A, "ORG", "Kazakhstan", "kazakhstan"), entity(TEXT_A, "ORG", "SCO summit", "sco-summit")],
    )
    report = evaluate_predictions(load_gold_set(gold_dir), [Prediction.from_record(record)])
    summary = report.ours.error_summary()
    assert summary["wrong label"] == {"COUNTRY": 1}
    assert summary["boundary"] == {"ORG": 1}
    assert summary["missed"] == {"COUNTRY": 2, "DOCUMENT": 1}
    data = json.loads(json.dumps(report.to_dict()))
    assert data["systems"][SYSTEM_NAME]["errors"][0]["kind"] == "wrong label"
    assert "[Kazakhstan] hosted the SCO" in data["systems"][SYSTEM_NAME]["errors"][0]["context"]


def test_run_evaluation_reads_a_predictions_file(gold_dir, tmp_path):
    predictions = tmp_path / "pred.jsonl"
    write_jsonl(predictions, [perfect_a().to_dict()])
    report = run_evaluation(gold_dir, predictions_path=predictions)
    assert report.ours.mentions.schemes["strict"].micro.correct == 3
    assert report.gold_sha256 == load_gold_set(gold_dir).sha256


def test_a_record_breaking_the_contract_is_skipped_and_named(gold_dir, tmp_path):
    predictions = tmp_path / "pred.jsonl"
    bad = perfect_a().to_dict()
    bad["doc_id"] = "b"
    bad["entities"][0]["end"] = 5
    write_jsonl(predictions, [perfect_a().to_dict(), bad])
    report = run_evaluation(gold_dir, predictions_path=predictions)
    assert len(report.input_errors) == 1
    assert "pred.jsonl, line 2 (doc_id 'b') entities[0]: text[0:5] is 'Kazak'" in report.input_errors[0]
    assert report.missing_predictions["b"] == report.input_errors[0]
    assert report.ours.mentions.schemes["strict"].micro.correct == 3


def test_broken_json_in_predictions_stops_with_file_and_line(gold_dir, tmp_path):
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps(perfect_a().to_dict()) + "\n{broken\n")
    with pytest.raises(JsonlError, match=r"pred\.jsonl, line 2: not valid JSON"):
        run_evaluation(gold_dir, predictions_path=predictions)


def test_only_rejected_gold_is_an_error(tmp_path):
    line = gold_line("a", TEXT_A, [])
    line["answer"] = "reject"
    write_jsonl(tmp_path / "g.jsonl", [line])
    with pytest.raises(GoldError, match="no accepted gold articles"):
        run_evaluation(tmp_path / "g.jsonl", predictions_path=tmp_path / "g.jsonl")


# --- baseline -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label,text,expected",
    [
        ("COUNTRY", "Kazakhstan", "KAZ"),
        ("COUNTRY", "Russia", "RUS"),  # not an exact pycountry name: found by its fuzzy search
        ("COUNTRY", "Astana", "astana"),  # a city: no ISO code, so it cannot match a country id
        ("ORG", "SCO", "SCO"),
        ("ORG", "the Shanghai Cooperation Organisation", "shanghai-cooperation-organization"),
        ("DOCUMENT", "the Astana Declaration", "astana-declaration"),
    ],
)
def test_baseline_ids(label, text, expected):
    assert baseline_id(label, text) == expected


def test_country_id_is_cached():
    country_id("Kazakhstan")
    assert country_id.cache_info().hits + country_id.cache_info().misses > 0


def test_baseline_maps_stock_labels(blank_nlp):
    words = ["Kazakhstan", "and", "the", "SCO", "signed", "the", "Charter", ",", "said", "Tokayev", "."]
    doc = Doc(blank_nlp.vocab, words=words)
    doc.ents = [
        Span(doc, 0, 1, label="GPE"),
        Span(doc, 3, 4, label="ORG"),
        Span(doc, 6, 7, label="LAW"),
        Span(doc, 9, 10, label="PERSON"),
    ]
    spans = Baseline(nlp=blank_nlp).spans_of(doc)
    assert [(s.label, s.text, s.id) for s in spans] == [
        ("COUNTRY", "Kazakhstan", "KAZ"),
        ("ORG", "SCO", "SCO"),
        ("DOCUMENT", "Charter", "charter"),
    ]


@pytest.mark.model
def test_baseline_side_by_side_with_the_real_model(gold_dir):
    report = run_evaluation(gold_dir, predictions_path=None, baseline=True, extractor=_NoExtraction())
    baseline = report.systems[BASELINE_NAME]
    # Stock en_core_web_sm finds the plain country names of these two sentences as GPE.
    assert baseline.documents.labels["COUNTRY"].tp >= 2
    assert report.missing_predictions.keys() == {"a", "b"}  # sources do not exist: all missed for ours


class _NoExtraction:
    """Stands in for the extractor only where no source file exists, so nothing is extracted."""

    def extract_many(self, items):
        assert list(items) == []
        return iter(())


@pytest.mark.model
def test_run_extracts_the_gold_sources(tmp_path, extractor):
    raw = (
        "Leaders of Kazakhstan and China met at the summit of the\nShanghai Cooperation Organisation (SCO) in Astana.\n"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "s1.txt").write_text(raw, encoding="utf-8")
    record = extractor.extract(raw, doc_id="s1")
    gold = {
        "text": record.text,
        "meta": {"doc_id": "s1", "source": "articles/s1.txt"},
        "spans": [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "id": e.id} for e in record.entities
        ],
    }
    (tmp_path / "gold").mkdir()
    write_jsonl(tmp_path / "gold" / "g.jsonl", [gold])
    report = run_evaluation(tmp_path / "gold", extractor=extractor)
    assert report.missing_predictions == {}
    assert report.ours.strict_micro_f1 == 1.0
    assert {e.id for e in record.entities} >= {"KAZ", "CHN", "SCO"}


@pytest.mark.model
@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty file"),
        (b"\x00\x01\x02binary", "binary file (NUL byte at offset 0)"),
        (None, "source file 'articles/bad.txt' not found"),
    ],
)
def test_run_names_an_unreadable_source_and_scores_the_rest(tmp_path, extractor, content, reason):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "good.txt").write_text("Kazakhstan and China met.\n", encoding="utf-8")
    if content is not None:
        (tmp_path / "articles" / "bad.txt").write_bytes(content)
    good_text = extractor.extract("Kazakhstan and China met.\n").text
    (tmp_path / "gold").mkdir()
    write_jsonl(
        tmp_path / "gold" / "g.jsonl",
        [
            gold_line(
                "good", good_text, [("COUNTRY", "Kazakhstan", "KAZ"), ("COUNTRY", "China", "CHN")], "articles/good.txt"
            ),
            gold_line("bad", "Some text.", [], "articles/bad.txt"),
        ],
    )
    report = run_evaluation(tmp_path / "gold", extractor=extractor)
    assert reason in report.missing_predictions["bad"]
    assert report.input_errors == [report.missing_predictions["bad"]]
    assert {a.doc_id: a.f1 for a in report.ours.articles}["good"] == 1.0
