"""The corpus and its gold stay in step: every article has gold, and the gold still fits the
article's cleaned text. A cleanup change that alters content fails here, naming the article;
whitespace-only drift is left to the evaluation's character alignment."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from summit_extract.cleanup.steps import clean_text
from summit_extract.evaluation.gold import load_gold_set
from summit_extract.reading.reader import read_article
from summit_extract.records import LABELS

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
ARTICLES = sorted((CORPUS / "articles").glob("*.txt"))
GOLD_FILES = sorted((CORPUS / "gold").glob("*.jsonl"))
ANNOTATION_LISTS = sorted((CORPUS / "annotations").glob("*.txt"))
_WHITESPACE = re.compile(r"\s+")


def _without_whitespace(text: str) -> str:
    return _WHITESPACE.sub("", text)


@pytest.fixture(scope="module")
def gold():
    return load_gold_set(CORPUS / "gold").docs


@pytest.fixture(scope="module")
def annotate_tool():
    path = CORPUS.parent / "tools" / "annotate.py"
    spec = importlib.util.spec_from_file_location("annotate_tool", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_corpus_has_the_seed_and_at_least_sixteen_more_articles():
    names = [path.name for path in ARTICLES]
    assert "000_f25956cb5b5f35ed.txt" in names
    assert len(names) >= 17, names


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.stem)
def test_article_has_a_gold_record(article, gold):
    assert article.stem in gold, f"{article.name}: no gold record with doc_id {article.stem!r} in corpus/gold"
    assert gold[article.stem].source == f"corpus/articles/{article.name}"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_gold_file_names_its_own_article(gold_file, gold):
    assert gold_file.stem in gold, f"{gold_file.name}: its record's doc_id differs from the file name"
    assert (CORPUS / "articles" / f"{gold_file.stem}.txt").is_file(), f"{gold_file.name}: no such article"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.stem)
def test_gold_text_is_the_cleaned_article_up_to_whitespace(article, gold):
    cleaned = clean_text(read_article(article).text)
    gold_text = gold[article.stem].text
    if _without_whitespace(gold_text) != _without_whitespace(cleaned):
        left, right = _without_whitespace(gold_text), _without_whitespace(cleaned)
        at = next(
            (i for i, (a, b) in enumerate(zip(left, right)) if a != b),
            min(len(left), len(right)),
        )
        pytest.fail(
            f"{article.name}: cleaned text no longer matches its gold (ignoring whitespace) at character "
            f"{at}: gold {left[max(0, at - 30) : at + 30]!r} vs cleaned {right[max(0, at - 30) : at + 30]!r}; "
            "re-annotate with tools/annotate.py"
        )


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.stem)
def test_gold_spans_are_in_range_labelled_matching_and_disjoint(article, gold):
    doc = gold[article.stem]
    assert doc.spans, f"{article.name}: gold has no spans"
    previous_end = 0
    for span in doc.spans:
        where = f"{article.name} span {span.text!r} ({span.start}, {span.end})"
        assert 0 <= span.start < span.end <= len(doc.text), f"{where}: out of range"
        assert doc.text[span.start : span.end] == span.text, f"{where}: offsets do not match the text"
        assert span.label in LABELS, f"{where}: unknown label {span.label!r}"
        assert span.start >= previous_end, f"{where}: overlaps the span before it"
        previous_end = span.end


@pytest.mark.parametrize("annotation_list", ANNOTATION_LISTS, ids=lambda path: path.stem)
def test_gold_has_exactly_the_mentions_of_its_annotation_list(annotation_list, gold, annotate_tool):
    rebuilt = annotate_tool.gold_record(annotation_list)
    expected = [(span["label"], span["text"], span["id"]) for span in rebuilt["spans"]]
    stored = [(span.label, span.text, span.id) for span in gold[annotation_list.stem].spans]
    assert stored == expected, f"{annotation_list.name}: gold is out of date; rebuild it with tools/annotate.py --write"


@pytest.mark.parametrize(
    ("doc_id", "label", "text", "span_id"),
    [
        ("000_f25956cb5b5f35ed", "ORG", "Shanghai Cooperation Organization", "SCO"),
        ("000_f25956cb5b5f35ed", "ORG", "PRCCSF", "PRCCSF"),
        (
            "000_f25956cb5b5f35ed",
            "DOCUMENT",
            "World Unity for Just Peace, Harmony, and Development",
            "world-unity-for-just-peace-harmony-and-development",
        ),
        (
            "000_f25956cb5b5f35ed",
            "DOCUMENT",
            "Cooperation Program to Counter Terrorism, Separatism, and Extremism for 25–2027",
            "cooperation-program-to-counter-terrorism-separatism-and-extremism-for-25-2027",
        ),
        (
            "005_ots-samarkand-2022",
            "COUNTRY",
            "Turkish Republic of Northern Cyprus",
            "TRNC",
        ),
        ("014_african-union-addis-2025", "COUNTRY", "Niger", "NER"),
        (
            "014_african-union-addis-2025",
            "COUNTRY",
            "Democratic Republic of the Congo",
            "COD",
        ),
        ("016_sco-new-delhi-2023", "DOCUMENT", "CCIT", "CCIT"),
        (
            "018_sco-astana-2024-outcomes",
            "DOCUMENT",
            "On World Unity for a Just Peace, Harmony and Development",
            "on-world-unity-for-a-just-peace-harmony-and-development",
        ),
    ],
)
def test_gold_contains_guideline_cases(gold, doc_id, label, text, span_id):
    assert (label, text, span_id) in {(s.label, s.text, s.id) for s in gold[doc_id].spans}


@pytest.mark.parametrize(
    ("doc_id", "text"),
    [
        ("000_f25956cb5b5f35ed", "Astana"),
        ("000_f25956cb5b5f35ed", "Central Asia"),
        ("000_f25956cb5b5f35ed", "Kazakh"),
        ("000_f25956cb5b5f35ed", "SCO Summit 2024"),
        ("001_brics-kazan-2024", "Republic of Tatarstan"),
        ("017_un-summit-of-the-future-2024", "Summit of the Future"),
    ],
)
def test_gold_leaves_out_guideline_negatives(gold, doc_id, text):
    assert text not in {span.text for span in gold[doc_id].spans}


def test_seed_gold_names_all_seventeen_countries(gold):
    countries = {span.id for span in gold["000_f25956cb5b5f35ed"].spans if span.label == "COUNTRY"}
    assert countries == {
        "KAZ",
        "BLR",
        "CHN",
        "IND",
        "IRN",
        "KGZ",
        "PAK",
        "RUS",
        "TJK",
        "UZB",
        "AZE",
        "MNG",
        "QAT",
        "TUR",
        "TKM",
        "BGD",
        "LAO",
    }
