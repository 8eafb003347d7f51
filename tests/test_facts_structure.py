"""Roles read from sentence structure (pipeline/extraction/facts/structure.py): the model's parser on made-up sentences,
and the checks on the pattern file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import spans_of

from summit_extract.extraction.facts.extract import extract_facts
from summit_extract.extraction.facts.structure import StructurePatternError, load_structure_patterns


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
        # The outgoing chair the chairmanship is taken from.
        (
            "Ruritania will take over the rotating chairmanship of the UAC from Freedonia at the summit.",
            {"RUR": ["chair"], "FRE": ["chair"]},
        ),
        # A leader named by the title of the country's office stands for the country.
        (
            "The UAC summit was presided over by Ann Bell, President of the Republic of Genovia, and others.",
            {"GEN": ["chair"]},
        ),
        ("The UAC summit met under the chairmanship of the President of Elbonia Tom Vale.", {"ELB": ["chair"]}),
        # Joining the organisation long ago is membership, not new membership.
        ("At the UAC summit in 2031, it was recalled that Latveria joined the UAC in 2001.", {"LAT": ["member"]}),
        # The handover of the chair, named by a noun, to a country; a transition to anything else is no chair.
        ("The UAC summit closed, alongside a leadership transition to Ruritania.", {"RUR": ["chair"]}),
        ("The UAC summit marked the handover of the chairmanship to Freedonia.", {"FRE": ["chair"]}),
        ("The UAC summit marked the chairmanship handover to Elbonia.", {"ELB": ["chair"]}),
        ("The UAC summit discussed the energy transition to Elbonia.", {}),
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
@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "parsed"),
    [
        ("The leaders signed the Water Plan.", False),  # one status word, nothing to turn it: the window rule
        ("The leaders will sign the Water Plan.", True),  # a future
        ("The leaders did not adopt the Water Plan.", True),  # a negation
        ("The leaders signed decisions approving the Water Plan.", True),  # two status words
        ("The Water Plan was discussed.", False),  # no status word at all
    ],
)
def test_a_document_sentence_is_parsed_only_where_the_nearest_word_may_mislead(structure, sentence, parsed):
    text = f"The UAC summit closed. {sentence}"
    segments = [(0, 22), (23, len(text))]
    documents = spans_of(text, documents=("Water Plan",))
    assert bool(structure.parse_segments(text, segments, [], [d for d in documents if d.label == "DOCUMENT"])) is parsed


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


BASE = {
    "sentence_words": ["host"],
    "roles": [],
    "status_words": ["signed"],
    "status_cues": ["will"],
    "statuses": {"signed": ["sign"]},
    "planned": {"auxiliaries": ["will"], "governors": ["agree"], "prepositions": ["on"]},
    "status_nouns": {"signing": "signed"},
    "past_nouns": ["anniversary"],
}
BAD_NODE = {"LEFT_ID": "verb", "REL_OP": "?!", "RIGHT_ID": "country", "RIGHT_ATTRS": {}}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"extra": 1},
            "keys must be past_nouns, planned, roles, sentence_words, status_cues, status_nouns, status_words, statuses",
        ),
        ({"status_nouns": {"signing": "ratified"}}, "status_nouns must map nouns to statuses"),
        ({"past_nouns": []}, "past_nouns must be a non-empty list"),
        ({"sentence_words": []}, "sentence_words must be a non-empty list"),
        ({"status_words": "signed"}, "status_words must be a non-empty list"),
        ({"roles": {}}, "roles must be a list"),
        ({"roles": [{"name": "x", "role": "king", "pattern": [COUNTRY_NODE]}]}, "role 'king'"),
        ({"roles": [{"name": "x", "role": "host", "pattern": [{"RIGHT_ID": "verb"}]}]}, "RIGHT_ID 'country'"),
        (
            {"roles": [{"name": "x", "role": "host", "pattern": [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {}}, BAD_NODE]}]},
            "roles[0] ('x')",
        ),
        ({"roles": [{"name": "x", "role": "host"}]}, "expected keys name, role, pattern"),
        ({"statuses": {"ratified": ["ratify"]}}, "statuses must map statuses"),
        (
            {
                "roles": [
                    {"name": "x", "role": "host", "pattern": [{"RIGHT_ID": "country", "RIGHT_ATTRS": {"LEMMA": "a"}}]}
                ]
            },
            "roles[0] ('x'): LEMMA is not set by the sentence parser",
        ),
        (
            {
                "roles": [
                    {"name": "x", "role": "host", "pattern": [{"RIGHT_ID": "country", "RIGHT_ATTRS": {"POS": "X"}}]}
                ]
            },
            "match the word forms (LOWER) and the fine tag (TAG, e.g. VBD) instead",
        ),
        ({"planned": {"auxiliaries": ["will"]}}, "planned must have auxiliaries, governors, prepositions"),
        # A pattern whose words no sentence chosen for the parse holds would never match.
        (
            {
                "roles": [
                    {
                        "name": "x",
                        "role": "host",
                        "pattern": [
                            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": ["welcomed"]}}},
                            {"LEFT_ID": "verb", "REL_OP": ">", **COUNTRY_NODE},
                        ],
                    }
                ]
            },
            "roles[0] ('x'): none of its words (LOWER) is in sentence_words",
        ),
    ],
)
def test_bad_structure_patterns_are_refused(tmp_path, changes, message):
    path = write(tmp_path, BASE | changes)
    with pytest.raises(StructurePatternError) as error:
        load_structure_patterns(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_the_bundled_patterns_load():
    patterns = load_structure_patterns()
    assert {p.role for p in patterns.roles} >= {"host", "chair", "member", "new-member"}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "status"),
    [
        # The verb that governs the document decides, not the nearest word before it.
        ("At the UAC summit the leaders signed decisions approving the draft Water Plan.", "adopted"),
        ("At the UAC summit the leaders will sign the Water Plan.", "planned"),
        ("At the UAC summit the leaders agreed to sign the Water Plan.", "planned"),
        ("At the UAC summit decisions were taken on signing the Water Plan.", "planned"),
        ("At the UAC summit the leaders signed the Water Plan.", "signed"),
        ("At the UAC summit Ruritania proposed the Water Plan.", "proposed"),
        ("At the UAC summit the leaders did not adopt the Water Plan.", "mentioned"),
        # A noun for the act on the way to the verb decides; an act an anniversary marks is an earlier one.
        ("At the UAC summit the leaders welcomed the signing of the Water Plan.", "signed"),
        ("At the UAC summit the leaders marked the anniversary of the adoption of the Water Plan.", "mentioned"),
        # An act asked for is planned: a noun of it under a verb of planning, or the finalisation of the text.
        ("At the UAC summit the leaders urged the adoption of the Water Plan.", "planned"),
        ("The UAC summit text calls for an early finalisation and adoption of the Water Plan.", "planned"),
        # Every item of a list has the status the verb gives the first, however the parse attaches the rest.
        (
            "At the UAC summit the decisions approving the draft Lumen Declaration, the Port Memorandum and the "
            "Water Plan were signed.",
            "adopted",
        ),
    ],
)
def test_statuses_from_structure(structure, text, status):
    titles = ("Water Plan", "Lumen Declaration", "Port Memorandum")
    rows = extract_facts(text, spans_of(text, documents=titles), structure=structure)["documents"]
    assert {row["status"] for row in rows} == {status}
