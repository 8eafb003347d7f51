"""Mention-level (SemEval-2013 task 9) and document-level scores against hand-worked numbers."""

from __future__ import annotations

import pytest

from summit_extract.evaluation.gold import GoldSpan
from summit_extract.evaluation.scoring import context_window, list_errors, score_documents, score_mentions


def span(label: str, start: int, end: int, span_id: str = "x") -> GoldSpan:
    return GoldSpan(start=start, end=end, label=label, text="t" * (end - start), id=span_id)


# One article holding every kind of case at once:
#   exact match (COUNTRY 0-10), boundary error (ORG 20-30 predicted 20-25),
#   wrong label on exact boundaries (DOCUMENT 40-50 predicted COUNTRY),
#   missed (ORG 60-70), wrong label and boundary overlapping (COUNTRY 80-90 predicted ORG 78-85),
#   spurious (DOCUMENT 100-110).
MIXED_GOLD = [
    span("COUNTRY", 0, 10),
    span("ORG", 20, 30),
    span("DOCUMENT", 40, 50),
    span("ORG", 60, 70),
    span("COUNTRY", 80, 90),
]
MIXED_PRED = [
    span("COUNTRY", 0, 10),
    span("ORG", 20, 25),
    span("COUNTRY", 40, 50),
    span("ORG", 78, 85),
    span("DOCUMENT", 100, 110),
]


@pytest.mark.parametrize(
    "scheme,counts,precision,recall,f1",
    [
        # correct, incorrect, partial, missed, spurious
        ("strict", (1, 3, 0, 1, 1), 1 / 5, 1 / 5, 1 / 5),
        ("exact", (2, 2, 0, 1, 1), 2 / 5, 2 / 5, 2 / 5),
        ("partial", (2, 0, 2, 1, 1), 3 / 5, 3 / 5, 3 / 5),  # each partial overlap counts one half
        ("type", (2, 2, 0, 1, 1), 2 / 5, 2 / 5, 2 / 5),
    ],
)
def test_micro_scores_per_scheme(scheme, counts, precision, recall, f1):
    score = score_mentions([(MIXED_GOLD, MIXED_PRED)]).schemes[scheme].micro
    assert (score.correct, score.incorrect, score.partial, score.missed, score.spurious) == counts
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(f1)


@pytest.mark.parametrize(
    "scheme,label,precision,recall",
    [
        # Per label, each label is scored on its own: a wrong label is spurious in one, missed in the other.
        ("strict", "COUNTRY", 1 / 2, 1 / 2),
        ("strict", "ORG", 0.0, 0.0),
        ("strict", "DOCUMENT", 0.0, 0.0),
        ("type", "ORG", 1 / 2, 1 / 2),  # ORG 20-25 overlaps ORG 20-30: right under "type"
        ("partial", "ORG", 1 / 4, 1 / 4),  # the same overlap is half right under "partial"
        ("exact", "COUNTRY", 1 / 2, 1 / 2),
    ],
)
def test_per_label_scores(scheme, label, precision, recall):
    score = score_mentions([(MIXED_GOLD, MIXED_PRED)]).schemes[scheme].labels[label]
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)


@pytest.mark.parametrize(
    "scheme,macro_f1",
    [("strict", (0.5 + 0 + 0) / 3), ("type", (0.5 + 0.5 + 0) / 3), ("partial", (0.5 + 0.25 + 0) / 3)],
)
def test_macro_f1_averages_the_labels(scheme, macro_f1):
    assert score_mentions([(MIXED_GOLD, MIXED_PRED)]).schemes[scheme].macro_f1 == pytest.approx(macro_f1)


@pytest.mark.parametrize(
    "gold,pred,counts",
    [
        # correct, incorrect, partial, missed, spurious under strict
        pytest.param([span("ORG", 0, 5)], [span("ORG", 0, 5)], (1, 0, 0, 0, 0), id="exact-match"),
        pytest.param([span("ORG", 0, 5)], [], (0, 0, 0, 1, 0), id="missed"),
        pytest.param([], [span("ORG", 0, 5)], (0, 0, 0, 0, 1), id="spurious"),
        pytest.param([span("ORG", 0, 10)], [span("ORG", 0, 9)], (0, 1, 0, 0, 0), id="boundary"),
        pytest.param([span("ORG", 0, 5)], [span("COUNTRY", 0, 5)], (0, 1, 0, 0, 0), id="wrong-label"),
        # Character offsets are exclusive: a mention that starts where the gold one ends does not overlap it.
        pytest.param([span("COUNTRY", 0, 5)], [span("ORG", 5, 10)], (0, 0, 0, 1, 1), id="adjacent-not-overlapping"),
        # Two predictions overlapping one gold mention: the exact one matches, the other is spurious.
        pytest.param(
            [span("DOCUMENT", 0, 20)],
            [span("DOCUMENT", 0, 20), span("DOCUMENT", 5, 12)],
            (1, 0, 0, 0, 1),
            id="overlapping-predictions",
        ),
        # The same, the overlapping one listed first: the exact match still takes the gold mention.
        pytest.param(
            [span("DOCUMENT", 0, 20)],
            [span("DOCUMENT", 5, 12), span("DOCUMENT", 0, 20)],
            (1, 0, 0, 0, 1),
            id="overlapping-predictions-exact-second",
        ),
    ],
)
def test_strict_counts_small_cases(gold, pred, counts):
    score = score_mentions([(gold, pred)]).schemes["strict"].micro
    assert (score.correct, score.incorrect, score.partial, score.missed, score.spurious) == counts


def test_scores_sum_over_articles():
    docs = [([span("ORG", 0, 5)], [span("ORG", 0, 5)]), ([span("ORG", 0, 5), span("COUNTRY", 9, 12)], [])]
    score = score_mentions(docs).schemes["strict"].micro
    assert (score.correct, score.missed) == (1, 2)
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(1 / 3)
    assert score.f1 == pytest.approx(0.5)


def test_no_articles_is_an_error():
    with pytest.raises(ValueError, match="No articles to score"):
        score_mentions([])


def test_document_level_compares_sets_of_label_and_id():
    gold = [
        span("COUNTRY", 0, 5, "KAZ"),
        span("COUNTRY", 10, 15, "KAZ"),
        span("COUNTRY", 20, 25, "CHN"),
        span("ORG", 30, 33, "SCO"),
    ]
    pred = [
        span("COUNTRY", 0, 5, "KAZ"),
        span("ORG", 30, 33, "SCO"),
        span("ORG", 40, 45, "BRICS"),
        span("DOCUMENT", 50, 60, "astana-declaration"),
    ]
    scores = score_documents([(gold, pred)])
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (2, 2, 1)
    assert scores.micro.precision == pytest.approx(2 / 4)
    assert scores.micro.recall == pytest.approx(2 / 3)
    assert scores.micro.f1 == pytest.approx(4 / 7)
    assert (scores.labels["COUNTRY"].tp, scores.labels["COUNTRY"].fn) == (1, 1)
    assert scores.labels["DOCUMENT"].precision == 0.0
    assert scores.labels["DOCUMENT"].recall == 0.0  # no gold documents: recall is 0, not a division error


def test_document_level_is_per_article():
    # The same id in two articles counts twice; found in one only, it is one hit and one miss.
    docs = [([span("ORG", 0, 3, "SCO")], [span("ORG", 0, 3, "SCO")]), ([span("ORG", 0, 3, "SCO")], [])]
    scores = score_documents(docs)
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (1, 0, 1)


@pytest.mark.parametrize(
    "kind,label,gold_label,start,gold_start",
    [
        ("wrong label", "COUNTRY", "DOCUMENT", 40, 40),
        ("wrong label", "ORG", "COUNTRY", 78, 80),
        ("boundary", "ORG", "ORG", 20, 20),
        ("spurious", "DOCUMENT", "", 100, -1),
        ("missed", "", "ORG", -1, 60),
    ],
)
def test_error_listing_classifies_every_strict_error(kind, label, gold_label, start, gold_start):
    errors = list_errors("a1", "x" * 120, MIXED_GOLD, MIXED_PRED)
    assert len(errors) == 5  # strict: 3 incorrect + 1 spurious + 1 missed
    found = [(e.kind, e.label, e.gold_label, e.start, e.gold_start) for e in errors]
    assert (kind, label, gold_label, start, gold_start) in found


def test_error_listing_with_overlapping_predictions():
    gold = [span("DOCUMENT", 0, 20), span("ORG", 30, 40)]
    pred = [span("DOCUMENT", 5, 12), span("ORG", 32, 40), span("DOCUMENT", 0, 20)]
    errors = list_errors("a1", "x" * 50, gold, pred)
    assert [(e.kind, e.start, e.gold_start) for e in errors] == [("boundary", 32, 30), ("spurious", 5, -1)]


def test_error_listing_is_empty_for_a_perfect_prediction():
    assert list_errors("a1", "x" * 20, [span("ORG", 0, 5)], [span("ORG", 0, 5)]) == []


@pytest.mark.parametrize(
    "text,start,end,width,expected",
    [
        ("The SCO summit in Astana", 4, 7, 4, "The [SCO] sum"),
        ("Leaders of\nChina and\n\nIndia met", 11, 16, 20, "Leaders of [China] and India met"),
        ("met in Astana, then", 7, 13, 3, "in [Astana], t"),  # no space invented before punctuation
    ],
)
def test_context_window(text, start, end, width, expected):
    assert context_window(text, start, end, width) == expected
