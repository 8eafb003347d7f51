"""Articles longer than spaCy's `nlp.max_length` are extracted in pieces, offsets kept."""

from __future__ import annotations

import pytest
import spacy

from summit_extract.batch import run
from summit_extract.extraction.components import add_summit_components
from summit_extract.extraction.extract import PIECE_CHARACTERS, Extractor, text_pieces
from summit_extract.extraction.facts.extract import _NEAR as NEAR
from summit_extract.extraction.facts.extract import _sentence_start as sentence_start
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


def test_an_article_over_a_piece_goes_to_the_model_in_pieces(rules_only_extractor):
    """Every article longer than a piece is cut, not only one over `nlp.max_length`: the model's memory grows
    with the doc (a one-line article of 1,000,000 characters peaked at 2.6 GB as one doc)."""
    seen: list[int] = []

    @spacy.Language.component("piece_lengths")
    def piece_lengths(doc):
        seen.append(len(doc.text))
        return doc

    rules_only_extractor.nlp.add_pipe("piece_lengths", first=True)
    text = long_text(3_000)
    assert len(text) > 2 * PIECE_CHARACTERS and len(text) < rules_only_extractor.nlp.max_length
    record = rules_only_extractor.extract(text)
    assert len(seen) >= 3 and max(seen) <= PIECE_CHARACTERS
    assert len(record.entities) == 4 * 3_000


@pytest.mark.parametrize(
    ("text", "at", "start"),
    [
        ("One. Two words here", 12, 4),  # just after the full stop before it
        ("a" * 10_000, 9_000, 9_000 - NEAR),  # no break: no further back than NEAR characters
    ],
)
def test_the_facts_rules_read_a_sentence_no_further_back_than_near(text, at, start):
    assert sentence_start(text, at) == start
