"""Scores of summit facts: (country, role), (document, status), (document, proposer) pairs and summit fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summit_extract.evaluation.scoring import Counts

SUMMIT_FIELDS = ("organization", "edition", "city", "country", "year", "start", "end")


def same_id(value: str) -> str:
    """The one place document ids are compared through (both sides), so a canonical-id function can replace it."""
    return value


def role_pairs(facts: dict[str, Any]) -> set[tuple[str, str]]:
    return {(row["id"], role) for row in facts["participants"] for role in row["roles"]}


def status_pairs(facts: dict[str, Any], key: Callable[[str], str] = same_id) -> set[tuple[str, str]]:
    return {(key(row["id"]), row["status"]) for row in facts["documents"]}


def proposer_pairs(facts: dict[str, Any], key: Callable[[str], str] = same_id) -> set[tuple[str, str]]:
    return {(key(row["id"]), row["proposer"]) for row in facts["documents"] if row["proposer"]}


@dataclass(slots=True)
class FactScores:
    roles: Counts = field(default_factory=Counts)
    statuses: Counts = field(default_factory=Counts)
    proposers: Counts = field(default_factory=Counts)
    summit_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMIT_FIELDS, 0))
    summits: int = 0
    articles: int = 0

    def summit_accuracy(self) -> dict[str, float]:
        return {k: (v / self.summits if self.summits else 0.0) for k, v in self.summit_right.items()}


def _same_field(found: Any, gold: Any) -> bool:
    """A summit field as the gold has it; a city written in other case or spacing is the same city ("RIO DE
    JANEIRO" in a dateline, "Rio de Janeiro" in the text)."""
    if isinstance(found, str) and isinstance(gold, str):
        return " ".join(found.casefold().split()) == " ".join(gold.casefold().split())
    return found == gold


def score_facts(docs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> FactScores:
    """Sum, over articles, the pair counts of gold against predicted facts; summit fields over gold summits."""
    scores = FactScores()
    for gold, predicted in docs:
        scores.articles += 1
        scores.roles.add(Counts.of_sets(role_pairs(gold), role_pairs(predicted)))
        scores.statuses.add(Counts.of_sets(status_pairs(gold), status_pairs(predicted)))
        scores.proposers.add(Counts.of_sets(proposer_pairs(gold), proposer_pairs(predicted)))
        if gold["summit"] is not None:
            scores.summits += 1
            found = predicted["summit"] or {}
            for key in SUMMIT_FIELDS:
                scores.summit_right[key] += int(_same_field(found.get(key), gold["summit"][key]))
    return scores


def baseline_facts(spans: Iterable[Any]) -> dict[str, Any]:
    """Every country of the article a member, every document adopted, the first ORG the summit's organisation."""
    spans = list(spans)
    countries = dict.fromkeys(s.id for s in spans if s.label == "COUNTRY")
    orgs = [s.id for s in spans if s.label == "ORG"]
    documents = dict.fromkeys(s.id for s in spans if s.label == "DOCUMENT")
    summit = dict.fromkeys(SUMMIT_FIELDS) | {"organization": orgs[0]} if orgs else None
    return {
        "summit": summit,
        "participants": [{"id": c, "roles": ["member"]} for c in countries],
        "documents": [{"id": d, "status": "adopted", "proposer": None} for d in documents],
    }
