"""tools/annotate.py: hand-written mention lists become offset-checked gold."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "annotate.py"


@pytest.fixture(scope="module")
def annotate():
    spec = importlib.util.spec_from_file_location("annotate_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def entry(annotate, label, span_id, surface, selector):
    return annotate.Entry(label, span_id, surface, selector, "list.txt, line 1")


@pytest.mark.parametrize(
    ("text", "entries", "expected"),
    [
        # every whole-word occurrence, counted
        (
            "SCO met. The SCO's chair.",
            [("ORG", "SCO", "SCO", "*2")],
            [(0, 3, "SCO"), (13, 16, "SCO")],
        ),
        # the longer listed mention claims its words first: no SCO inside the strategy
        (
            "The SCO Development Strategy until 2035 and the SCO.",
            [
                ("ORG", "SCO", "SCO", "*1"),
                ("DOCUMENT", "d", "SCO Development Strategy until 2035", "*1"),
            ],
            [(4, 39, "SCO Development Strategy until 2035"), (48, 51, "SCO")],
        ),
        # whole words only: Niger is not found inside Nigeria
        (
            "Nigeria and Niger.",
            [("COUNTRY", "NER", "Niger", "*1")],
            [(12, 17, "Niger")],
        ),
        # single occurrences picked by number
        (
            "Iran, Iran and Iran.",
            [("COUNTRY", "IRN", "Iran", "1,3")],
            [(0, 4, "Iran"), (15, 19, "Iran")],
        ),
        # a name broken over a line still matches
        (
            "the Shanghai\nCooperation Organization",
            [("ORG", "SCO", "Shanghai Cooperation Organization", "*1")],
            [(4, 37, "Shanghai\nCooperation Organization")],
        ),
    ],
)
def test_place_finds_the_listed_mentions(annotate, text, entries, expected):
    spans = annotate.place(text, [entry(annotate, *item) for item in entries])
    assert [(span.start, span.end, span.text) for span in spans] == expected
    assert all(text[span.start : span.end] == span.text for span in spans)


@pytest.mark.parametrize(
    ("text", "item", "message"),
    [
        (
            "SCO and SCO",
            ("ORG", "SCO", "SCO", "*1"),
            "'SCO' occurs 2 times outside longer mentions, the list says 1",
        ),
        (
            "Iran",
            ("COUNTRY", "IRN", "Iran", "2"),
            "asks for occurrence(s) 2 of 'Iran', which occurs 1 times",
        ),
        ("Chad", ("COUNTRY", "TCD", "Mali", "*1"), "'Mali' occurs 0 times"),
    ],
)
def test_place_rejects_a_list_that_does_not_fit_the_text(annotate, text, item, message):
    with pytest.raises(annotate.AnnotationError, match="list.txt, line 1") as error:
        annotate.place(text, [entry(annotate, *item)])
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ORG | SCO | SCO", "expected 'LABEL | id | surface | selector'"),
        ("PLACE | x | Astana | *1", "unknown label 'PLACE'"),
        ("COUNTRY | - | Kazakhstan | *1", "a COUNTRY needs its ISO3 id"),
        ("ORG | SCO | SCO | all", "selector should be '*N' or '1,3'"),
        ("ORG |  | SCO | *1", "expected 'LABEL | id | surface | selector'"),
    ],
)
def test_parse_list_names_the_file_and_line_of_a_bad_entry(annotate, tmp_path, line, message):
    path = tmp_path / "001_x.txt"
    path.write_text(f"# comment\n\n{line}\n", encoding="utf-8")
    with pytest.raises(annotate.AnnotationError) as error:
        annotate.parse_list(path)
    assert f"{path}, line 3" in str(error.value)
    assert message in str(error.value)


def test_parse_list_slugs_a_dash_id_and_skips_comments(annotate, tmp_path):
    path = tmp_path / "001_x.txt"
    path.write_text(
        "# a comment\nDOCUMENT | - | the Astana Declaration | *1\nORG | SCO | SCO | 2\n",
        encoding="utf-8",
    )
    entries = annotate.parse_list(path)
    assert [(e.label, e.id, e.surface, e.selector) for e in entries] == [
        ("DOCUMENT", "astana-declaration", "the Astana Declaration", "*1"),
        ("ORG", "SCO", "SCO", "2"),
    ]


@pytest.fixture
def small_corpus(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "001_small.txt").write_bytes("Kazakhstan hosted the SCO summit.\r\n\r\nTürkiye attended.\r\n".encode())
    lists = tmp_path / "annotations"
    lists.mkdir()
    (lists / "001_small.txt").write_text(
        "COUNTRY | KAZ | Kazakhstan | *1\nORG | SCO | SCO | *1\nCOUNTRY | TUR | Türkiye | *1\n",
        encoding="utf-8",
    )
    return articles, lists / "001_small.txt"


def test_gold_record_is_prodigy_shaped_and_offset_checked(annotate, small_corpus):
    articles, list_path = small_corpus
    record = annotate.gold_record(list_path, articles)
    assert record["meta"]["doc_id"] == "001_small"
    assert record["answer"] == "accept"
    assert "\r" not in record["text"]
    assert [(s["label"], s["text"], s["id"]) for s in record["spans"]] == [
        ("COUNTRY", "Kazakhstan", "KAZ"),
        ("ORG", "SCO", "SCO"),
        ("COUNTRY", "Türkiye", "TUR"),
    ]
    for span in record["spans"]:
        assert record["text"][span["start"] : span["end"]] == span["text"]


def test_gold_record_names_a_list_without_an_article(annotate, tmp_path):
    path = tmp_path / "099_missing.txt"
    path.write_text("ORG | SCO | SCO | *1\n", encoding="utf-8")
    with pytest.raises(
        annotate.AnnotationError,
        match="no article .*099_missing.txt for doc id '099_missing'",
    ):
        annotate.gold_record(path, tmp_path / "articles")


def test_marked_text_and_loose_capitalised_words(annotate):
    record = {
        "text": "Kazakhstan and Astana hosted the SCO.",
        "spans": [
            {
                "start": 0,
                "end": 10,
                "label": "COUNTRY",
                "text": "Kazakhstan",
                "id": "KAZ",
            },
            {"start": 33, "end": 36, "label": "ORG", "text": "SCO", "id": "SCO"},
        ],
    }
    assert annotate.marked(record) == "[[Kazakhstan|COUNTRY|KAZ]] and Astana hosted the [[SCO|ORG|SCO]]."
    assert annotate.unmarked_capitalised(record) == {"Astana": 1}


def test_main_writes_one_gold_file_per_list_and_reports_bad_lists(
    annotate, tmp_path, small_corpus, monkeypatch, capsys
):
    articles, list_path = small_corpus
    monkeypatch.setattr(annotate, "ARTICLES", articles)
    bad = list_path.with_name("002_bad.txt")
    bad.write_text("ORG | SCO | SCO | *1\n", encoding="utf-8")
    out = tmp_path / "gold"
    assert annotate.main([str(list_path), str(bad), "--write", str(out)]) == 1
    written = [json.loads(line) for line in (out / "001_small.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(written) == 1 and len(written[0]["spans"]) == 3
    assert not (out / "002_bad.jsonl").exists()
    assert "002_bad" in capsys.readouterr().err
