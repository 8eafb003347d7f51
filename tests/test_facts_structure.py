"""Roles read from sentence structure (pipeline/facts/structure.py): the model's parser on made-up sentences,
and the checks on the pattern file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import spans_of

from pipeline.facts.extract import extract_facts
from pipeline.facts.structure import StructurePatternError, StructureRoles, load_structure_patterns


@pytest.fixture(scope="module")
def structure():
    from pipeline.model import load_parser

    parser = load_parser()
    return StructureRoles(lambda texts: list(parser.pipe(texts)))


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The host is the agent of "hosted", not the object of the verb the sentence goes on with.
        (
            "The UAC summit, hosted by Ruritania, brought together the leaders of Freedonia, Elbonia and Latveria.",
            {"RUR": ["host"]},
        ),
        (
            "At the UAC summit Ruritania handed over the chairmanship to Freedonia.",
            {"RUR": ["chair"], "FRE": ["chair"]},
        ),
        ("At the UAC summit, Genovia assumed the rotating presidency.", {"GEN": ["chair"]}),
        ("The UAC summit met under the chairmanship of Elbonia.", {"ELB": ["chair"]}),
        (
            "The UAC summit met. The UAC consists of Ruritania, Freedonia and Elbonia.",
            {"RUR": ["member"], "FRE": ["member"], "ELB": ["member"]},
        ),
        ("At the UAC summit, Latveria joined the UAC.", {"LAT": ["member", "new-member"]}),
        # Joining the organisation long ago is membership, not new membership.
        ("At the UAC summit in 2031, it was recalled that Latveria joined the UAC in 2001.", {"LAT": ["member"]}),
        # Negation, another meeting, and joining something that is not the organisation.
        ("At the UAC summit, Latveria did not join the UAC.", {}),
        ("The UAC summit closed. The next summit will be hosted by Elbonia.", {}),
        ("At the UAC summit, Latveria joined the talks.", {}),
    ],
)
def test_roles_from_structure(structure, text, expected):
    participants = extract_facts(text, spans_of(text), structure=structure)["participants"]
    assert {row["id"]: sorted(row["roles"]) for row in participants} == expected


@pytest.mark.model
def test_only_sentences_with_a_country_and_a_pattern_word_are_parsed(structure):
    text = "The UAC summit met. Ruritania spoke. The summit was hosted by Freedonia. Nothing else happened."
    segments = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    parsed = structure.parse_segments(text, segments, spans_of(text))
    assert [text[s:e].strip() for s, e in parsed] == ["The summit was hosted by Freedonia."]


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "facts_structure.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


COUNTRY_NODE = {"RIGHT_ID": "country", "RIGHT_ATTRS": {"DEP": "nsubj"}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "keys must be sentence_words, roles"),
        ({"sentence_words": [], "roles": []}, "sentence_words must be a non-empty list"),
        ({"sentence_words": ["host"], "roles": {}}, "roles must be a list"),
        (
            {"sentence_words": ["host"], "roles": [{"name": "x", "role": "king", "pattern": [COUNTRY_NODE]}]},
            "role 'king'",
        ),
        (
            {"sentence_words": ["host"], "roles": [{"name": "x", "role": "host", "pattern": [{"RIGHT_ID": "verb"}]}]},
            "needs a node with RIGHT_ID 'country'",
        ),
        (
            {
                "sentence_words": ["host"],
                "roles": [
                    {
                        "name": "x",
                        "role": "host",
                        "pattern": [
                            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                            {"LEFT_ID": "verb", "REL_OP": "?!", "RIGHT_ID": "country", "RIGHT_ATTRS": {}},
                        ],
                    }
                ],
            },
            "roles[0] ('x')",
        ),
        ({"sentence_words": ["host"], "roles": [{"name": "x", "role": "host"}]}, "expected keys name, role, pattern"),
    ],
)
def test_bad_structure_patterns_are_refused(tmp_path, data, message):
    path = write(tmp_path, data)
    with pytest.raises(StructurePatternError) as error:
        load_structure_patterns(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_the_bundled_patterns_load():
    patterns = load_structure_patterns()
    assert {p.role for p in patterns.roles} >= {"host", "chair", "member", "new-member"}
