"""Properties of `clean` that must hold for any input, checked with hypothesis."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summit_extract.cleanup.steps import clean, clean_text

# Pieces of text in the shapes PDF copies produce, mixed with the characters cleanup rewrites.
PIECES = st.sampled_from(
    [
        "in",
        "the",
        "Summit",
        "SCO",
        "peace.",
        "Astana,",
        "By",
        "Mr.",
        "U.S.",
        "President",
        "cooper-",
        "ation",
        "Key",
        "Roadmap",
        "2024",
        "July",
        "-",
        "•",
        "1.",
        "a)",
        "Published",
        "on",
        "8th",
        "Updated:",
        "TÃ¼rkiye",
        "Côte",
        "d’Ivoire",
        "\u00ad",
        "e\u0301",
        "x\u200by",
        "“Quote”",
        "(SCO)",
        "etc.",
        "?",
        "—",
        "\x00",
        "\ufeff",
        "12",
        "Page 3",
        "outcomes:",
        "Hiroshima, 21 May 2023",
        "ASTANA, July 4, 2024 (Kazinform) –",
        "July 4, 2024 10:05 AM",
    ]
)
SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n", "\n\n\n\n", "  ", "\t", "\r\n", "\xa0", "\x0c"])
ARTICLE_LIKE = st.lists(st.tuples(PIECES, SEPARATORS), max_size=60).map(lambda pairs: "".join(a + b for a, b in pairs))
# Hard-wrapped lines of a few words, mostly without blank lines: exercises the wrap-width rules.
WRAPPED_LINE = st.lists(PIECES, min_size=1, max_size=8).map(" ".join)
HARD_WRAPPED = st.lists(st.tuples(WRAPPED_LINE, st.sampled_from(["\n"] * 6 + ["\n\n", "\n\n\n\n"])), max_size=40).map(
    lambda pairs: "".join(a + b for a, b in pairs)
)
ANY_TEXT = st.one_of(st.text(), ARTICLE_LIKE, HARD_WRAPPED)
MODEST = settings(max_examples=200, deadline=None)


@MODEST
@given(ANY_TEXT)
def test_clean_never_crashes_and_keeps_the_output_shape(raw):
    text = clean(raw).text
    assert text == text.strip()
    assert "\n\n\n" not in text
    for paragraph in text.split("\n\n"):
        assert "\n" not in paragraph and "  " not in paragraph


@MODEST
@given(ANY_TEXT)
def test_clean_is_idempotent(raw):
    once = clean_text(raw)
    assert clean_text(once) == once


@MODEST
@given(ANY_TEXT)
def test_offsets_are_in_range_and_non_decreasing(raw):
    result = clean(raw)
    assert len(result.raw_starts) == len(result.raw_ends) == len(result.text)
    previous_start = previous_end = 0
    for start, end in zip(result.raw_starts, result.raw_ends):
        assert 0 <= start <= end <= len(raw)
        assert start >= previous_start and end >= previous_end
        previous_start, previous_end = start, end


@MODEST
@given(ANY_TEXT)
def test_unchanged_characters_map_exactly(raw):
    result = clean(raw)
    for index, char in enumerate(result.text):
        # No rule produces an ASCII letter or digit, so each one is a copy of a raw character.
        if char.isascii() and char.isalnum():
            raw_start, raw_end = result.raw_span(index, index + 1)
            assert raw[raw_start:raw_end] == char
    for word in re.finditer(r"[A-Za-z0-9]+", result.text):
        raw_start, raw_end = result.raw_span(*word.span())
        # A raw range of the same length means nothing inside was removed or rewritten.
        if raw_end - raw_start == len(word.group()):
            assert raw[raw_start:raw_end] == word.group()


# Inputs hypothesis once found where a join made a line another step removes.
@pytest.mark.parametrize("raw", ["-\n\n0-", "- \n\n0- ", "Talks.\n\n-\n\n4 -\n\nMore talks."])
def test_clean_is_idempotent_where_a_join_makes_a_page_number(raw):
    once = clean_text(raw)
    assert clean_text(once) == once
