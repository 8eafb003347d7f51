"""Scores of predicted mentions against gold: mention level (SemEval-2013 task 9) and document level.

Mention level uses `nervaluate`, which implements the four SemEval schemes:
- strict: same boundaries and same label;
- exact: same boundaries, any label;
- partial: any overlap counts half, exact boundaries count whole, any label;
- type: any overlap with the same label.
Per-label figures come from scoring each label on its own, so a mention with the wrong label is a
miss for the gold label and a spurious mention for the predicted one; the micro figure over all
labels counts it once, as "incorrect". Macro figures average the labels that occur in gold or
predictions.

Document level compares, per article, the sets of (label, id): "which countries, organisations
and documents does this article name", whatever the offsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from nervaluate.entities import Entity as NervaluateEntity
from nervaluate.evaluator import Evaluator
from nervaluate.strategies import StrictEvaluation

from ..extraction.identity import Canonicaliser
from ..extraction.organizations import canonicaliser
from ..records import LABELS

SCHEMES = ("strict", "exact", "partial", "type")
_NERVALUATE_SCHEME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
ERROR_KINDS = ("wrong label", "boundary", "spurious", "missed")


class Mention(Protocol):
    """What scoring needs of a span; gold spans and extracted entities both fit."""

    label: str
    start: int
    end: int
    text: str
    id: str


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


@dataclass(frozen=True, slots=True)
class Score:
    """One SemEval tally and the precision, recall and F1 it gives under its scheme."""

    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    precision: float
    recall: float
    f1: float

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    def to_dict(self) -> dict[str, Any]:
        return {
            "correct": self.correct,
            "incorrect": self.incorrect,
            "partial": self.partial,
            "missed": self.missed,
            "spurious": self.spurious,
            "possible": self.possible,
            "actual": self.actual,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


EMPTY_SCORE = Score(0, 0, 0, 0, 0, 0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class SchemeScores:
    """One scheme: micro over all mentions, macro over labels, and each label."""

    micro: Score
    macro_precision: float
    macro_recall: float
    macro_f1: float
    labels: dict[str, Score]

    def to_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.to_dict(),
            "macro": {"precision": self.macro_precision, "recall": self.macro_recall, "f1": self.macro_f1},
            "labels": {label: score.to_dict() for label, score in self.labels.items()},
        }


@dataclass(frozen=True, slots=True)
class MentionScores:
    schemes: dict[str, SchemeScores]

    @property
    def strict_micro_f1(self) -> float:
        return self.schemes["strict"].micro.f1

    def to_dict(self) -> dict[str, Any]:
        return {name: scores.to_dict() for name, scores in self.schemes.items()}


def exact_matches_first(gold: Sequence[Mention], predicted: Sequence[Mention]) -> list[Mention]:
    """`predicted` reordered: exact matches first, then same boundaries with another label, then the rest.

    nervaluate pairs greedily in prediction order, so a prediction that merely overlaps a gold
    mention could otherwise take it before the prediction that matches it exactly.
    """
    exact = {(span.label, span.start, span.end) for span in gold}
    bounds = {(span.start, span.end) for span in gold}

    def rank(span: Mention) -> int:
        if (span.label, span.start, span.end) in exact:
            return 0
        return 1 if (span.start, span.end) in bounds else 2

    return sorted(predicted, key=rank)


def _nervaluate_spans(spans: Iterable[Mention]) -> list[dict[str, Any]]:
    # nervaluate treats `end` as inclusive (its overlap test is `pred.start > true.end`), so
    # exclusive character offsets would make adjacent mentions overlap.
    return [{"label": span.label, "start": span.start, "end": span.end - 1} for span in spans]


def _score_of(result: Any) -> Score:
    return Score(
        correct=result.correct,
        incorrect=result.incorrect,
        partial=result.partial,
        missed=result.missed,
        spurious=result.spurious,
        precision=float(result.precision),
        recall=float(result.recall),
        f1=float(result.f1),
    )


def score_mentions(
    docs: Sequence[tuple[Sequence[Mention], Sequence[Mention]]], labels: Sequence[str] = LABELS
) -> MentionScores:
    """Score (gold spans, predicted spans) per article under the four SemEval schemes."""
    if not docs:
        raise ValueError("No articles to score: expected at least one (gold, predicted) pair")
    true = [_nervaluate_spans(gold) for gold, _ in docs]
    pred = [_nervaluate_spans(exact_matches_first(gold, predicted)) for gold, predicted in docs]
    results = Evaluator(true, pred, tags=list(labels), loader="dict").evaluate()
    schemes: dict[str, SchemeScores] = {}
    for scheme in SCHEMES:
        name = _NERVALUATE_SCHEME[scheme]
        per_label = {
            label: _score_of(results["entities"][label][name]) if label in results["entities"] else EMPTY_SCORE
            for label in labels
        }
        present = [score for score in per_label.values() if score.possible or score.actual]
        count = len(present)
        schemes[scheme] = SchemeScores(
            micro=_score_of(results["overall"][name]) if name in results["overall"] else EMPTY_SCORE,
            macro_precision=_ratio(sum(score.precision for score in present), count),
            macro_recall=_ratio(sum(score.recall for score in present), count),
            macro_f1=_ratio(sum(score.f1 for score in present), count),
            labels=per_label,
        )
    return MentionScores(schemes=schemes)


# --- document level -------------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    """True positives, false positives, false negatives; P/R/F1 follow from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @classmethod
    def of_sets(cls, gold: set, predicted: set) -> Counts:
        """The counts of comparing two sets of items (ids, pairs): shared, only predicted, only gold."""
        return cls(tp=len(gold & predicted), fp=len(predicted - gold), fn=len(gold - predicted))

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(slots=True)
class DocumentScores:
    micro: Counts = field(default_factory=Counts)
    labels: dict[str, Counts] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"micro": self.micro.to_dict(), "labels": {label: c.to_dict() for label, c in self.labels.items()}}


def identities(spans: Iterable[Mention], rules: Canonicaliser | None = None) -> set[tuple[str, str]]:
    """The (label, canonical id) pairs of one article's mentions."""
    spans = list(spans)
    ids = (rules or canonicaliser()).canonical_ids([(span.label, span.id, span.text) for span in spans])
    return {(span.label, new) for span, new in zip(spans, ids, strict=True)}


def score_documents(
    docs: Sequence[tuple[Iterable[Mention], Iterable[Mention]]],
    labels: Sequence[str] = LABELS,
    rules: Canonicaliser | None = None,
) -> DocumentScores:
    """Per article, compare the sets of (label, canonical id) of both sides; sum the counts per
    label and overall."""
    scores = DocumentScores(labels={label: Counts() for label in labels})
    for gold, predicted in docs:
        gold_ids, predicted_ids = identities(gold, rules), identities(predicted, rules)
        for label in labels:
            gold_label = {item for item in gold_ids if item[0] == label}
            predicted_label = {item for item in predicted_ids if item[0] == label}
            counts = Counts.of_sets(gold_label, predicted_label)
            scores.labels[label].add(counts)
            scores.micro.add(counts)
    return scores


# --- error listing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MentionError:
    """One strict-scheme error: a prediction that is wrong or a gold mention that was missed.

    `label`/`text`/`start`/`end` describe the prediction (empty for "missed"); the `gold_*` fields
    the gold mention it was compared with (empty for "spurious").
    """

    doc_id: str
    kind: str
    label: str
    text: str
    start: int
    end: int
    gold_label: str
    gold_text: str
    gold_start: int
    gold_end: int
    context: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "kind": self.kind,
            "label": self.label,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "gold_label": self.gold_label,
            "gold_text": self.gold_text,
            "gold_start": self.gold_start,
            "gold_end": self.gold_end,
            "context": self.context,
        }


def context_window(text: str, start: int, end: int, width: int = 40) -> str:
    """The mention in brackets with `width` characters either side, whitespace runs made one space."""
    window = f"{text[max(0, start - width) : start]}[{text[start:end]}]{text[end : end + width]}"
    return " ".join(window.split())


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def list_errors(doc_id: str, text: str, gold: Sequence[Mention], predicted: Sequence[Mention]) -> list[MentionError]:
    """Every strict-scheme error of one article, classified as nervaluate's strict scheme counts it.

    nervaluate reports an "incorrect" prediction without the gold mention it was set against; that
    partner is the first overlapping gold mention that is neither matched exactly nor missed.
    """
    predicted = exact_matches_first(gold, predicted)
    tags = sorted({span.label for span in gold} | {span.label for span in predicted}) or list(LABELS)
    true = [NervaluateEntity(span.label, span.start, span.end - 1) for span in gold]
    pred = [NervaluateEntity(span.label, span.start, span.end - 1) for span in predicted]
    _, indices = StrictEvaluation().evaluate(true, pred, tags)
    missed = {index for _, index in indices.missed_indices}
    correct = {(predicted[i].label, predicted[i].start, predicted[i].end) for _, i in indices.correct_indices}
    partners = [
        index
        for index, span in enumerate(gold)
        if index not in missed and (span.label, span.start, span.end) not in correct
    ]
    errors = []
    for _, index in indices.incorrect_indices:
        span = predicted[index]
        partner = next(k for k in partners if _overlaps(gold[k], span))
        partners.remove(partner)
        other = gold[partner]
        errors.append(
            MentionError(
                doc_id, "boundary" if other.label == span.label else "wrong label",
                span.label, span.text, span.start, span.end,
                other.label, other.text, other.start, other.end,
                context_window(text, min(span.start, other.start), max(span.end, other.end)),
            )
        )  # fmt: skip
    for _, index in indices.spurious_indices:
        span = predicted[index]
        errors.append(
            MentionError(
                doc_id, "spurious", span.label, span.text, span.start, span.end,
                "", "", -1, -1, context_window(text, span.start, span.end),
            )
        )  # fmt: skip
    for index in sorted(missed):
        other = gold[index]
        errors.append(
            MentionError(
                doc_id, "missed", "", "", -1, -1,
                other.label, other.text, other.start, other.end, context_window(text, other.start, other.end),
            )
        )  # fmt: skip
    errors.sort(key=lambda error: (ERROR_KINDS.index(error.kind), max(error.start, error.gold_start)))
    return errors
