"""Gold files: validation messages, alignment onto cleaned text, ids of imported spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summit_extract.evaluation.gold import (
    GoldDoc,
    GoldError,
    GoldMismatchError,
    GoldSpan,
    align_gold,
    load_gold,
    load_gold_set,
)

TEXT = "Kazakhstan hosted the SCO summit in Astana with China."


def record(doc_id: str = "a1", text: str = TEXT, spans: list | None = None, **extra) -> dict:
    if spans is None:
        spans = [
            {"start": 0, "end": 10, "label": "COUNTRY", "text": "Kazakhstan", "id": "KAZ"},
            {"start": 22, "end": 25, "label": "ORG", "text": "SCO", "id": "SCO"},
            {"start": 48, "end": 53, "label": "COUNTRY", "text": "China", "id": "CHN"},
        ]
    data = {"text": text, "meta": {"doc_id": doc_id, "source": f"corpus/articles/{doc_id}.txt"}, "spans": spans}
    data.update(extra)
    return data


def write_lines(path: Path, lines: list) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def test_load_valid_gold(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [record("a1"), record("a2", answer="accept")])
    gold = load_gold(path)
    assert list(gold) == ["a1", "a2"]
    assert gold["a1"].spans[1] == GoldSpan(22, 25, "ORG", "SCO", "SCO")
    assert gold["a1"].source == "corpus/articles/a1.txt"


def test_load_folder_reads_every_file_in_name_order(tmp_path):
    write_lines(tmp_path / "b.jsonl", [record("b1")])
    write_lines(tmp_path / "a.jsonl", [record("a1")])
    (tmp_path / "notes.txt").write_text("not gold")
    assert list(load_gold(tmp_path)) == ["a1", "b1"]


@pytest.mark.parametrize("answer", ["reject", "ignore"])
def test_rejected_and_ignored_records_are_skipped_and_counted(tmp_path, answer):
    path = write_lines(tmp_path / "a.jsonl", [record("a1"), record("a2", answer=answer)])
    gold = load_gold_set(path)
    assert list(gold.docs) == ["a1"]
    assert gold.skipped == ["a2"]


def bad_span(**changes) -> list[dict]:
    spans = record()["spans"]
    spans[2] = {**spans[2], **changes}
    return spans


@pytest.mark.parametrize(
    "lines,message",
    [
        pytest.param(
            [record(spans=bad_span(start=48, end=52))],
            "a.jsonl, line 1, spans[2]: text[48:52] is 'Chin' but span text is 'China'",
            id="text-mismatch",
        ),
        pytest.param(
            [record(spans=bad_span(start=48, end=99))],
            "a.jsonl, line 1, spans[2]: offsets (48, 99) out of range; expected 0 <= start < end <= 54",
            id="offset-out-of-range",
        ),
        pytest.param(
            [record(spans=bad_span(start=53, end=48))],
            "spans[2]: offsets (53, 48) out of range",
            id="start-after-end",
        ),
        pytest.param(
            [record(spans=bad_span(label="GPE"))],
            "a.jsonl, line 1, spans[2], key 'label': expected one of COUNTRY, ORG, DOCUMENT, got 'GPE'",
            id="unknown-label",
        ),
        pytest.param(
            [record(spans=bad_span(id="CN"))],
            "spans[2], key 'id': expected an ISO 3166-1 alpha-3 code or an id of patterns/countries.tsv, got 'CN'",
            id="country-id-not-iso3",
        ),
        pytest.param(
            [record(spans=bad_span(start="49"))],
            "spans[2], key 'start': expected int, got '49'",
            id="offset-not-int",
        ),
        pytest.param(
            [record(spans=[{"start": 0, "end": 10, "label": "COUNTRY", "text": "Kazakhstan"}])],
            "a.jsonl, line 1, spans[0]: missing key 'id'",
            id="span-missing-id",
        ),
        pytest.param(
            [{"meta": {"doc_id": "a1", "source": "x"}, "spans": []}],
            "a.jsonl, line 1: missing key 'text'",
            id="missing-text",
        ),
        pytest.param(
            [{"text": TEXT, "meta": {"source": "x"}, "spans": []}],
            "a.jsonl, line 1: missing key 'meta.doc_id'",
            id="missing-doc-id",
        ),
        pytest.param(
            [
                record(
                    spans=[
                        {"start": 22, "end": 32, "label": "ORG", "text": "SCO summit", "id": "SCO"},
                        {"start": 26, "end": 32, "label": "ORG", "text": "summit", "id": "summit"},
                    ]
                )
            ],
            "a.jsonl, line 1, spans[1]: 'summit' (26, 32) overlaps spans[0] 'SCO summit' (22, 32)",
            id="overlapping-spans",
        ),
        pytest.param(
            [record("a1"), record("a2"), record("a1")],
            "a.jsonl, line 3, key 'meta.doc_id': duplicate doc id 'a1', first seen at",
            id="duplicate-doc-id",
        ),
        pytest.param(
            [record("a1"), '{"text": "broken'],
            "a.jsonl, line 2: not valid JSON",
            id="broken-json-line",
        ),
        pytest.param(
            [record(answer="accpet")],
            "a.jsonl, line 1, key 'answer': expected one of accept, reject, ignore, got 'accpet'",
            id="unknown-answer",
        ),
        pytest.param(["[1, 2]"], "a.jsonl, line 1: expected a JSON object, got list", id="not-an-object"),
    ],
)
def test_malformed_gold_names_file_line_and_key(tmp_path, lines, message):
    path = write_lines(tmp_path / "a.jsonl", lines)
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_duplicate_doc_id_across_files(tmp_path):
    write_lines(tmp_path / "a.jsonl", [record("a1")])
    write_lines(tmp_path / "b.jsonl", [record("a1")])
    with pytest.raises(
        GoldError, match=r"b\.jsonl, line 1, key 'meta.doc_id': duplicate doc id 'a1', first seen at .*a\.jsonl, line 1"
    ):
        load_gold(tmp_path)


@pytest.mark.parametrize(
    "path_name,message",
    [("missing.jsonl", "no such gold file or folder"), ("empty-folder", r"no \*\.jsonl gold files")],
)
def test_missing_gold_is_a_clear_error(tmp_path, path_name, message):
    (tmp_path / "empty-folder").mkdir()
    with pytest.raises(GoldError, match=message):
        load_gold(tmp_path / path_name)


def test_binary_gold_file_is_a_clear_error(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xff\xfe\x00binary\x00")
    with pytest.raises(GoldError, match="a.jsonl, line 1: not UTF-8"):
        load_gold(path)


def test_sha256_changes_with_content(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [record("a1")])
    before = load_gold_set(tmp_path).sha256
    assert before == load_gold_set(tmp_path).sha256
    write_lines(path, [record("a1", spans=[])])
    assert load_gold_set(tmp_path).sha256 != before


# --- alignment ----------------------------------------------------------------------------------

ALIGN_GOLD_TEXT = "The Shanghai Cooperation\nOrganisation met in Kazakh-\nstan and China."
ALIGN_GOLD = GoldDoc(
    doc_id="a1",
    source="a1.txt",
    text=ALIGN_GOLD_TEXT,
    spans=(
        GoldSpan(4, 37, "ORG", "Shanghai Cooperation\nOrganisation", "SCO"),
        GoldSpan(45, 57, "COUNTRY", "Kazakh-\nstan", "KAZ"),
        GoldSpan(62, 67, "COUNTRY", "China", "CHN"),
    ),
)


@pytest.mark.parametrize(
    "predicted_text,expected",
    [
        pytest.param(
            ALIGN_GOLD_TEXT,
            ["Shanghai Cooperation\nOrganisation", "Kazakh-\nstan", "China"],
            id="identical",
        ),
        pytest.param(
            "The Shanghai Cooperation Organisation met in Kazakhstan and China.",
            ["Shanghai Cooperation Organisation", "Kazakhstan", "China"],
            id="joined-lines-and-repaired-hyphen",
        ),
        pytest.param(
            "  The  Shanghai Cooperation Organisation\n\nmet in Kazakh-\nstan and\tChina.\n",
            ["Shanghai Cooperation Organisation", "Kazakh-\nstan", "China"],
            id="extra-whitespace",
        ),
    ],
)
def test_align_gold_maps_spans_onto_whitespace_variants(predicted_text, expected):
    aligned = align_gold(ALIGN_GOLD, predicted_text)
    assert [span.text for span in aligned.spans] == expected
    assert all(predicted_text[s.start : s.end] == s.text for s in aligned.spans)
    assert [span.id for span in aligned.spans] == ["SCO", "KAZ", "CHN"]


def test_align_gold_refuses_a_hyphen_inside_a_line():
    gold = GoldDoc("a1", "a1.txt", "in Kazakhstan now", (GoldSpan(3, 13, "COUNTRY", "Kazakhstan", "KAZ"),))
    with pytest.raises(GoldMismatchError, match="gold offset 9 reads"):
        align_gold(gold, "in Kazakh-stan now")


def test_align_gold_when_gold_has_the_repaired_word():
    gold = GoldDoc("a1", "a1.txt", "in Kazakhstan now", (GoldSpan(3, 13, "COUNTRY", "Kazakhstan", "KAZ"),))
    aligned = align_gold(gold, "in Kazakh-\nstan now")
    assert aligned.spans[0].text == "Kazakh-\nstan"


@pytest.mark.parametrize(
    "predicted_text",
    [
        pytest.param("The Shanghai Cooperation Organization met in Kazakhstan and China.", id="changed-letter"),
        pytest.param("The Shanghai Cooperation Organisation met in Kazakhstan.", id="missing-words"),
        pytest.param("The Shanghai Cooperation Organisation met in Kazakh stan and China!", id="changed-punctuation"),
    ],
)
def test_align_gold_refuses_content_differences(predicted_text):
    with pytest.raises(GoldMismatchError, match="article 'a1': gold text and predicted text differ beyond whitespace"):
        align_gold(ALIGN_GOLD, predicted_text)


@pytest.mark.parametrize(
    "label, text, expected",
    [
        ("COUNTRY", "Russia", "RUS"),
        ("COUNTRY", "Türkiye", "TUR"),
        ("COUNTRY", "UAE", "ARE"),
        ("ORG", "CSTO", "CSTO"),
        ("DOCUMENT", "the Astana Declaration", "astana-declaration"),
    ],
)
def test_ids_derived_for_imported_spans_know_every_country_name(label, text, expected):
    from summit_extract.evaluation.gold import default_span_id

    assert default_span_id(label, text, "import") == expected
