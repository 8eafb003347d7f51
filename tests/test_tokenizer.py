"""The wire-copy tokenizer rules: agency credits become tokens, slashes inside words stay."""

from __future__ import annotations

import pytest
import spacy

from summit_extract.extraction.tokenizer import adapt_tokenizer


@pytest.fixture(scope="module")
def nlp():
    return adapt_tokenizer(spacy.blank("en"))


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("LUMEN, May 3. /Nordpress/. Leaders", ["LUMEN", ",", "May", "3", ".", "/", "Nordpress", "/", ".", "Leaders"]),
        ("on May 20, 2030.(Nordpress) We", ["on", "May", "20", ",", "2030", ".", "(", "Nordpress", ")", "We"]),
        ("said.(Nordpress)", ["said", ".", "(", "Nordpress", ")"]),
        ("and/or", ["and/or"]),
        ("RFE/RL", ["RFE", "/", "RL"]),
        ("12/05/2030", ["12/05/2030"]),
        ("https://lake.example/a/b", ["https://lake.example/a/b"]),
        ("U.S. and", ["U.S.", "and"]),
        ("(NEWSWIRE- Lake News)", ["(", "NEWSWIRE", "-", "Lake", "News", ")"]),
    ],
)
def test_credit_punctuation_is_split_and_words_are_kept(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens


def test_adapting_twice_changes_nothing(nlp):
    before = [t.text for t in nlp("LUMEN, May 3. /Nordpress/.")]
    adapt_tokenizer(nlp)
    assert [t.text for t in nlp("LUMEN, May 3. /Nordpress/.")] == before
