"""tools/ner_skip.py: which sentences the NER-skip experiment gives the model, and entities put back in place."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import spacy

TOOL = Path(__file__).resolve().parent.parent / "tools" / "ner_skip.py"


@pytest.fixture(scope="module")
def ner_skip():
    spec = importlib.util.spec_from_file_location("ner_skip_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Leaders met in Astana. They talked for hours.", ["Leaders met in Astana."]),
        ("The talks went on.\nIt rained.", []),
        ("They met “Xi” there.", ["They met “Xi” there."]),  # a capital after an opening quote
        ("the Ürümqi forum opened", ["the Ürümqi forum opened"]),  # a capital outside ASCII
        ("Talks ended. 2024 was busy", []),  # digits are not names
    ],
)
def test_named_sentences(ner_skip, text, kept):
    assert [text[start:end].strip() for start, end in ner_skip.named_sentences(text)] == kept


def test_entities_come_back_at_their_offsets_in_the_whole_doc(ner_skip):
    # A rule-based `ner` (an entity ruler under that name) stands in for the model's.
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler", name="ner").add_patterns([{"label": "GPE", "pattern": "Kazakhstan"}])
    switch = ner_skip.NerOnNamedSentences(nlp)
    switch.on = True
    text = "nothing here. Leaders of Kazakhstan met.\nquiet line.\nThen Kazakhstan hosted."
    [doc] = list(switch.pipe([nlp.make_doc(text)]))
    assert [(ent.start_char, ent.text) for ent in doc.ents] == [(25, "Kazakhstan"), (58, "Kazakhstan")]
    assert switch.kept < switch.total
