"""The resolver's look-up of overlapping candidates: the first in list order, found without a scan of them all."""

from __future__ import annotations

import pytest

from summit_extract.extraction.components.candidates import Candidate
from summit_extract.extraction.components.resolver import Overlapping, resolve


def candidate(start: int, end: int, label: str = "ORG", component: str = "org_ruler") -> Candidate:
    return Candidate(start, end, label, f"{component}-{start}-{end}", "norm", component, "pattern", 1)


@pytest.mark.parametrize(
    ("spans", "query", "expected"),
    [
        ([(0, 2), (5, 7)], (1, 3), (0, 2)),
        ([(0, 2), (5, 7)], (2, 5), None),  # touching is not overlapping
        ([(5, 7), (0, 40)], (6, 7), (5, 7)),  # both overlap: the first in list order
        ([(0, 40), (5, 7)], (6, 7), (0, 40)),  # a long span that starts far before the range
        ([(10, 12), (3, 4), (11, 30)], (11, 12), (10, 12)),
        ([], (0, 1), None),
    ],
)
def test_overlapping_finds_the_first_in_list_order(spans, query, expected):
    found = Overlapping([candidate(*span) for span in spans]).first(*query)
    assert (None if found is None else (found.start, found.end)) == expected


def test_overlapping_applies_the_test():
    index = Overlapping([candidate(0, 4), candidate(1, 2, "COUNTRY")])
    assert index.first(1, 2, lambda c: c.label == "COUNTRY").label == "COUNTRY"
    assert index.first(1, 2, lambda c: c.label == "DOCUMENT") is None


@pytest.mark.parametrize(
    ("rules", "model", "accepted", "reasons"),
    [
        # A model span crossing the second of two rule spans: the reason names the first crossed in list order.
        ([(0, 3, "ORG"), (5, 8, "ORG")], [(6, 10, "ORG")], [(0, 3), (5, 8)], ["model span crossing a rule span"]),
        # A model ORG around a country the rules found, far along a long article.
        ([(5000, 5001, "COUNTRY")], [(4999, 5003, "ORG")], [(5000, 5001)], ["model ORG span around a country"]),
        # Side by side, nothing overlapping: everything stays.
        (
            [(10 * i, 10 * i + 2, "ORG") for i in range(300)],
            [(10 * i + 4, 10 * i + 6, "ORG") for i in range(300)],
            sorted([(10 * i, 10 * i + 2) for i in range(300)] + [(10 * i + 4, 10 * i + 6) for i in range(300)]),
            [],
        ),
    ],
)
def test_resolve_on_model_and_rule_spans(rules, model, accepted, reasons):
    kept, rejected = resolve(
        [candidate(s, e, label) for s, e, label in rules] + [candidate(s, e, label, "ner") for s, e, label in model]
    )
    assert [(c.start, c.end) for c in kept] == accepted
    assert [r.reason[: len(reason)] for r, reason in zip(rejected, reasons, strict=True)] == reasons
