"""How each summit fact was found: the method every decision of the facts rules tags it with, on made-up articles."""

from __future__ import annotations

import pytest
from helpers import spans_of

from summit_extract.extraction.facts.extract import extract_facts
from summit_extract.extraction.facts.structure import StructureRoles
from summit_extract.records import Facts

TITLES = ("Water Plan", "Trade Roadmap", "Unity Initiative", "Lumen Declaration")


def method(facts: dict, part: tuple[str, ...]) -> str:
    """The method of one part of the facts: ("summit", field), ("participants", id, role) or ("documents", id, key)."""
    if part[0] == "summit":
        return facts["summit"]["found_by"][part[1]]
    row = next(row for row in facts[part[0]] if row["id"] == part[1])
    return row["found_by"][part[2]]


def found(text: str, published: str | None = None, structure: StructureRoles | None = None) -> dict:
    facts = extract_facts(text, spans_of(text, documents=TITLES), published=published, structure=structure)
    Facts.from_dict(facts, len(text))  # every stated part has one method of the vocabulary
    return facts


@pytest.mark.parametrize(
    ("text", "published", "part", "expected"),
    [
        # A trigger or a pattern of characters near the mention.
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", None, ("summit", "organization"), "window"),
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", None, ("summit", "edition"), "window"),
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", None, ("summit", "city"), "window"),
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", None, ("summit", "country"), "window"),
        ("The 12th UAC summit opened in Lumen, Ruritania in 2031.", None, ("summit", "year"), "window"),
        ("The UAC summit met on 3–4 July 2031.", None, ("summit", "start"), "window"),
        ("The UAC summit met under Latveria's chairmanship.", None, ("participants", "LAT", "chair"), "window"),
        ("The UAC summit adopted the Water Plan.", None, ("documents", "water-plan", "status"), "window"),
        (
            "The UAC summit welcomed the Unity Initiative proposed by Ruritania.",
            None,
            ("documents", "unity-initiative", "proposer"),
            "window",
        ),
        # An enumeration, or a list a line opens with a colon.
        (
            "The UAC summit gathered member states Ruritania, Freedonia and Elbonia.",
            None,
            ("participants", "FRE", "member"),
            "list",
        ),
        # A group spelt out as its members.
        (
            "At the UAC summit, the UAC countries – Ruritania, Freedonia and Elbonia – agreed on trade.",
            None,
            ("participants", "ELB", "member"),
            "list",
        ),
        (
            "The UAC summit adopted the Water Plan and the Trade Roadmap.",
            None,
            ("documents", "water-plan", "status"),
            "window",
        ),
        (
            "The UAC summit adopted the Water Plan and the Trade Roadmap.",
            None,
            ("documents", "trade-roadmap", "status"),
            "list",
        ),
        (
            "The UAC summit closed.\nThe following documents were signed:\nWater Plan;\nTrade Roadmap;",
            None,
            ("documents", "trade-roadmap", "status"),
            "list",
        ),
        # The summit's own name, and the article's own outcome.
        ("The UAC Korva Summit was convened from May 19 to 21.", None, ("summit", "city"), "title"),
        (
            "The UAC summit in Lumen closed. Leaders spoke about the Lumen Declaration.",
            None,
            ("documents", "lumen-declaration", "status"),
            "title",
        ),
        # The report's dateline or date line.
        ("LUMEN, Ruritania, 3 May 2031 - The UAC summit closed.", None, ("summit", "city"), "dateline"),
        ("LUMEN, Ruritania, 3 May 2031 - The UAC summit closed.", None, ("summit", "country"), "dateline"),
        ("LUMEN, Ruritania, 3 May 2031 - The UAC summit closed.", None, ("summit", "year"), "dateline"),
        ("LUMEN, Ruritania, 3 May 2031 - The UAC summit closed.", None, ("participants", "RUR", "host"), "dateline"),
        ("KORVA, May 3 (Staff) - The UAC summit closed.", None, ("summit", "city"), "dateline"),
        # Where the text says the summit is held beats the dateline of a report filed from elsewhere.
        ("KORVA, May 3 (Staff) - The UAC summit in Lumen closed.", None, ("summit", "city"), "window"),
        ("The UAC summit met.", "2031-05-05", ("summit", "year"), "dateline"),
        # A fallback: nothing in the text says it.
        ("The UAC sent a note. Leaders met in the evening.", None, ("summit", "organization"), "default"),
        ("The UAC summit discussed the Water Plan.", None, ("documents", "water-plan", "status"), "default"),
        (
            "The UAC summit was held in the Freedonian capital. Freedonia and Ruritania spoke.",
            None,
            ("summit", "country"),
            "default",
        ),
        (
            "The UAC summit was held in the Freedonian capital. Freedonia and Ruritania spoke.",
            None,
            ("participants", "FRE", "host"),
            "default",
        ),
    ],
)
def test_each_decision_says_how_it_was_found(text, published, part, expected):
    assert method(found(text, published), part) == expected


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "part", "expected"),
    [
        (
            "The UAC summit, hosted by Ruritania, brought together the leaders of Freedonia and Elbonia.",
            ("participants", "RUR", "host"),
            "structure",
        ),
        # The one host the text names is the summit's country, found the way the host was.
        (
            "The UAC summit, hosted by Ruritania, brought together the leaders of Freedonia and Elbonia.",
            ("summit", "country"),
            "structure",
        ),
        ("The leaders will sign the Water Plan at the UAC summit.", ("documents", "water-plan", "status"), "structure"),
        # Found by the parse and by a window: the parse, the more reliable, is what found it.
        ("The UAC summit met under the chairmanship of Elbonia.", ("participants", "ELB", "chair"), "structure"),
    ],
)
def test_decisions_from_sentence_structure(structure, text, part, expected):
    assert method(found(text, structure=structure), part) == expected
