"""Articles longer than spaCy's `nlp.max_length` are extracted in pieces, offsets kept."""

from __future__ import annotations

import pytest
import spacy

from summit_extract.batch import run
from summit_extract.extraction.components import add_summit_components
from summit_extract.extraction.extract import Extractor, text_pieces
from summit_extract.output.jsonl import read_records

PARAGRAPH = "Leaders of Kazakhstan and China met at the SCO summit and adopted the Astana Declaration."


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, [(0, 5)]),
        ("aaaa\n\nbbbb\n\ncc", 7, [(0, 6), (6, 12), (12, 14)]),  # after a blank line
        ("aaaa\nbbbb\ncccc", 8, [(0, 5), (5, 10), (10, 14)]),  # else after a line end
        ("Aa. Bb. Cc. Dd.", 8, [(0, 8), (8, 15)]),  # else after a sentence
        ("aaa bbb ccc", 5, [(0, 4), (4, 8), (8, 11)]),  # else after a word
        ("abcdefghij", 4, [(0, 4), (4, 8), (8, 10)]),  # else anywhere
        ("a\n\nbbbbbbbbb", 8, [(0, 8), (8, 12)]),  # a break in the first half would make a tiny piece
    ],
)
def test_text_pieces(text, limit, expected):
    assert text_pieces(text, limit) == expected
    assert "".join(text[start:end] for start, end in expected) == text


@pytest.fixture
def rules_only_extractor():
    """The summit rule components on a blank pipeline: the pieces, not the model, are under test."""
    nlp = spacy.blank("en")
    add_summit_components(nlp)
    return Extractor(nlp=nlp)


def long_text(paragraphs: int) -> str:
    return "\n\n".join(f"Paragraph {number}. {PARAGRAPH}" for number in range(paragraphs))


@pytest.mark.parametrize("max_length", [300, 1_000, 2_500])
def test_a_text_over_max_length_gives_the_entities_of_the_whole(rules_only_extractor, max_length):
    text = long_text(60)
    whole = rules_only_extractor.extract(text)
    rules_only_extractor.nlp.max_length = max_length
    pieces = rules_only_extractor.extract(text)
    assert len(text) > 2 * max_length
    assert len(pieces.entities) == 4 * 60
    assert pieces.entities == whole.entities
    assert all(text[e.start : e.end] == e.text for e in pieces.entities)


def test_run_extracts_a_file_over_max_length(tmp_path, rules_only_extractor):
    rules_only_extractor.nlp.max_length = 2_000
    (tmp_path / "long.txt").write_text(long_text(100), encoding="utf-8")
    output = tmp_path / "out.jsonl"
    summary = run([str(tmp_path / "long.txt")], output, extractor=rules_only_extractor)
    assert (summary.extracted, summary.failed) == (1, 0)
    [record] = read_records(output)
    assert [e.id for e in record.entities[-4:]] == ["KAZ", "CHN", "SCO", "astana-declaration"]
    assert record.entities[-1].raw_end == len(record.text) - 1  # before the final full stop


@pytest.mark.model
@pytest.mark.slow
def test_an_article_of_over_a_million_characters_is_extracted(tmp_path, extractor):
    text = long_text(12_000)
    assert len(text) > 1_000_000 == extractor.nlp.max_length
    (tmp_path / "huge.txt").write_text(text, encoding="utf-8")
    output = tmp_path / "out.jsonl"
    summary = run([str(tmp_path / "huge.txt")], output, extractor=extractor)
    assert (summary.extracted, summary.failed) == (1, 0)
    [record] = read_records(output)
    countries = [e for e in record.entities if e.label == "COUNTRY"]
    assert len(countries) == 2 * 12_000
    assert countries[-1].start > 1_000_000
