"""Canonical ids: one id for one real-world thing, a table of small cases per rule (GUIDELINES section 6)."""

from __future__ import annotations

import pytest

from summit_extract.extraction.identity import slug
from summit_extract.extraction.organizations import canonicaliser


@pytest.fixture(scope="module")
def rules():
    return canonicaliser()


def _found(label: str, text: str) -> str:
    """The canonical id of a mention found with the id a component derives from its text."""
    return canonicaliser().canonical_id(label, slug(text), text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SCO Heads of State Council", "sco-heads-of-state-council"),
        ("Council of Heads of State of the SCO", "sco-heads-of-state-council"),
        ("Council of Heads of State of the Shanghai Cooperation Organization", "sco-heads-of-state-council"),
        ("Council of Heads of State of the Shanghai Cooperation Organisation", "sco-heads-of-state-council"),
        ("Council of the EU", "eu-council"),
        ("Council of the European Union", "eu-council"),
        ("Collective Security Council of the CSTO", "csto-collective-security-council"),
        ("ASEAN Coordinating Council", "asean-coordinating-council"),
        # An unknown acronym is an owner too.
        ("Council of Ministers of the XYZ", "xyz-ministers-council"),
        # Not a body: the owner is no organisation, or the name has no body head word.
        ("Bank of China", "bank-of-china"),
        ("SCO Member States", "sco-member-states"),
    ],
)
def test_a_body_is_its_owner_and_kind_in_either_word_order(text, expected):
    assert _found("ORG", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Agenda 2063: The Africa We Want", "agenda-2063"),
        ("Agenda 2063", "agenda-2063"),
        (
            "Astana Declaration of the Council of Heads of State of the Shanghai Cooperation Organization",
            "astana-declaration-of-sco-heads-of-state-council",
        ),
        ("Astana Declaration of the SCO Heads of State Council", "astana-declaration-of-sco-heads-of-state-council"),
        # A one-word title keeps its subtitle: the part before the colon names no document.
        ("Declaration: on Peace", "declaration-on-peace"),
        # "of" followed by no organisation is part of the title.
        ("Treaty of Friendship", "treaty-of-friendship"),
    ],
)
def test_a_document_title_without_subtitle_names_its_owner_by_id(text, expected):
    assert _found("DOCUMENT", text) == expected


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        (
            [("DOCUMENT", "Astana Declaration"), ("DOCUMENT", "Astana Declaration of the SCO")],
            ["astana-declaration-of-sco", "astana-declaration-of-sco"],
        ),
        # Two different longer titles: the short one stays itself.
        (
            [
                ("DOCUMENT", "Astana Declaration"),
                ("DOCUMENT", "Astana Declaration of the SCO"),
                ("DOCUMENT", "Astana Declaration of the CSTO"),
            ],
            ["astana-declaration", "astana-declaration-of-sco", "astana-declaration-of-csto"],
        ),
        # Only "of" and a subtitle carry a title on: "on" may start another document of the same
        # short name (the 1967 ASEAN Declaration beside the Declaration on Culture of Prevention).
        (
            [("DOCUMENT", "ASEAN Declaration"), ("DOCUMENT", "ASEAN Declaration on Culture of Prevention")],
            ["asean-declaration", "asean-declaration-on-culture-of-prevention"],
        ),
        # Alone in its article, the short title keeps its own id.
        ([("DOCUMENT", "Astana Declaration")], ["astana-declaration"]),
    ],
)
def test_a_short_title_takes_the_id_of_the_one_longer_title_of_its_article(rules, mentions, expected):
    assert rules.canonical_ids([(label, slug(text), text) for label, text in mentions]) == expected


@pytest.mark.parametrize(
    ("found_id", "text", "expected"),
    [
        ("unrwa", "UNRWA", "UNRWA"),  # a bare acronym keeps its case
        ("SCO", "SCO", "SCO"),
        ("shanghai-cooperation-organisation", "Shanghai Cooperation Organisation", "SCO"),  # spelling variant
        ("organisation-of-turkic-states", "Organisation of Turkic States", "OTS"),
        ("PRCCSF", "Pakistan Research Center for a Community with Shared Future", "PRCCSF"),  # defined on purpose
    ],
)
def test_an_organisation_takes_its_table_id_and_an_acronym_keeps_its_case(rules, found_id, text, expected):
    assert rules.canonical_id("ORG", found_id, text) == expected


@pytest.mark.parametrize(
    ("aliases", "text", "expected"),
    [
        ({"alliance of sahel states": "AES"}, "Alliance of Sahel States", "AES"),
        (
            {"united nations relief and works agency": "UNRWA"},
            "United Nations Relief and Works Agency",
            "UNRWA",
        ),
        # A learnt owner makes its bodies one thing too.
        (
            {"union of testing states": "UTS"},
            "Council of Heads of State of the Union of Testing States",
            "uts-heads-of-state-council",
        ),
        ({}, "Union of Testing States", "union-of-testing-states"),
    ],
)
def test_an_alias_learnt_elsewhere_names_the_organisation(rules, aliases, text, expected):
    assert rules.with_aliases(aliases).canonical_id("ORG", slug(text), text) == expected


@pytest.mark.parametrize(
    ("label", "found_id", "text"),
    [
        ("ORG", "SCO", "SCO"),
        ("ORG", "sco-heads-of-state-council", "SCO Heads of State Council"),
        ("DOCUMENT", "agenda-2063", "Agenda 2063: The Africa We Want"),
        ("COUNTRY", "KAZ", "Kazakhstan"),
    ],
)
def test_a_canonical_id_is_its_own_canonical_id(rules, label, found_id, text):
    once = rules.canonical_id(label, found_id, text)
    assert rules.canonical_id(label, once, text) == once


@pytest.mark.parametrize(
    "text",
    [
        "Executive Committee of the Regional Anti-Terrorist Structure",
        "Executive Committee of the Regional Anti-Terrorist Structure of the SCO",
        "Executive Committee of the SCO Regional Anti-Terrorist Structure",
    ],
)
def test_an_organisation_named_with_its_parent_is_still_that_organisation(text):
    assert _found("ORG", text) == "rats-executive-committee"
