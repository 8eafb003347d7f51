"""The regression gate: F1 floors pinned in `corpus/floors.json` next to the SHA-256 of the gold.

A floor is a measured F1 rounded down to three decimals (so the last digits of float arithmetic
never fail a run). Re-pinning refuses to lower any floor unless told to; a check against floors
pinned for other gold says so instead of comparing figures that measure different things.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SummitError
from ..paths import FLOORS_FILE
from .evaluate import EvaluationReport

DECIMALS = 3
FACT_KINDS = ("roles", "statuses", "proposers")  # the facts F1 figures that get a floor


class FloorsError(SummitError, ValueError):
    """A floors file that cannot be read or is malformed; names the file and key."""


class GoldChangedError(SummitError, RuntimeError):
    """The gold files are not the ones the floors were pinned on."""


class FloorLoweredError(SummitError, RuntimeError):
    """Re-pinning would lower at least one floor and lowering was not allowed."""


def round_down(value: float, decimals: int = DECIMALS) -> float:
    scale = 10**decimals
    # The small epsilon keeps 0.93 (stored as 0.92999...) from becoming 0.929.
    return math.floor(value * scale + 1e-9) / scale


@dataclass(slots=True)
class Floors:
    """Minimum strict micro-F1 overall, per label and per named article; document-level micro-F1;
    facts F1 (roles, statuses, proposers) with the SHA-256 of the facts gold they were measured on."""

    gold_sha256: str
    strict_micro_f1: float
    document_micro_f1: float
    labels: dict[str, float] = field(default_factory=dict)
    articles: dict[str, float] = field(default_factory=dict)
    facts: dict[str, float] = field(default_factory=dict)
    facts_sha256: str | None = None

    def items(self) -> dict[str, float]:
        """Every floor under a dotted name: 'strict_micro_f1', 'labels.ORG', 'articles.<doc id>'."""
        named = {"strict_micro_f1": self.strict_micro_f1, "document_micro_f1": self.document_micro_f1}
        named.update({f"labels.{label}": value for label, value in self.labels.items()})
        named.update({f"articles.{doc_id}": value for doc_id, value in self.articles.items()})
        named.update({f"facts.{kind}": value for kind, value in self.facts.items()})
        return named

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "gold_sha256": self.gold_sha256,
            "strict_micro_f1": self.strict_micro_f1,
            "document_micro_f1": self.document_micro_f1,
            "labels": dict(sorted(self.labels.items())),
            "articles": dict(sorted(self.articles.items())),
        }
        if self.facts:
            data |= {"facts_sha256": self.facts_sha256, "facts": dict(self.facts)}
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Floors:
        if not isinstance(data, dict):
            raise FloorsError(f"{where}: expected a JSON object, got {type(data).__name__}")

        def number(value: Any, key: str) -> float:
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise FloorsError(f"{where}, key {key!r}: expected a number between 0 and 1, got {value!r}")
            return float(value)

        def table(key: str) -> dict[str, float]:
            value = data.get(key, {})
            if not isinstance(value, dict):
                raise FloorsError(f"{where}, key {key!r}: expected an object, got {value!r}")
            return {name: number(floor, f"{key}.{name}") for name, floor in value.items()}

        for key in ("gold_sha256", "strict_micro_f1", "document_micro_f1"):
            if key not in data:
                raise FloorsError(f"{where}: missing key {key!r}")
        for key in ("gold_sha256", "facts_sha256"):
            digest = data.get(key, "")
            if (key in data or key == "gold_sha256") and (not isinstance(digest, str) or len(digest) != 64):
                raise FloorsError(f"{where}, key {key!r}: expected 64 hex digits, got {digest!r}")
        facts = table("facts")
        unknown = sorted(set(facts) - set(FACT_KINDS))
        if unknown:
            raise FloorsError(f"{where}, key 'facts': unknown figure {unknown[0]!r}, expected {', '.join(FACT_KINDS)}")
        if facts and "facts_sha256" not in data:
            raise FloorsError(f"{where}: facts floors need the key 'facts_sha256'")
        return cls(
            gold_sha256=data["gold_sha256"],
            strict_micro_f1=number(data["strict_micro_f1"], "strict_micro_f1"),
            document_micro_f1=number(data["document_micro_f1"], "document_micro_f1"),
            labels=table("labels"),
            articles=table("articles"),
            facts=facts,
            facts_sha256=data.get("facts_sha256"),
        )


def load_floors(path: str | Path = FLOORS_FILE) -> Floors:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FloorsError(f"{path}: no floors file; pin one with `summit-extract evaluate --run --pin`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FloorsError(f"{path}: cannot read floors ({error})") from error
    return Floors.from_dict(data, str(path))


def measured(report: EvaluationReport, articles: list[str] | tuple[str, ...] = ()) -> Floors:
    """The figures of our system in `report`, rounded down, in the shape of a floors file."""
    ours = report.ours
    strict = ours.mentions.schemes["strict"]
    by_id = {article.doc_id: article.f1 for article in ours.articles}
    unknown = [doc_id for doc_id in articles if doc_id not in by_id]
    if unknown:
        raise FloorsError(f"no gold article with doc id {', '.join(map(repr, unknown))} to pin a floor for")
    return Floors(
        gold_sha256=report.gold_sha256,
        strict_micro_f1=round_down(strict.micro.f1),
        document_micro_f1=round_down(ours.documents.micro.f1),
        labels={label: round_down(score.f1) for label, score in strict.labels.items()},
        articles={doc_id: round_down(by_id[doc_id]) for doc_id in articles},
        facts={kind: round_down(f1) for kind, f1 in _facts_figures(report).items()},
        facts_sha256=report.facts.get("sha256"),
    )


def _facts_figures(report: EvaluationReport) -> dict[str, float]:
    """The facts F1 of our system; empty when the gold set has no facts gold."""
    if not report.facts:
        return {}
    return {kind: report.facts["summit-extract"][kind]["f1"] for kind in FACT_KINDS}


def check_gold_unchanged(report: EvaluationReport, floors: Floors, floors_path: str | Path = FLOORS_FILE) -> None:
    if report.gold_sha256 != floors.gold_sha256:
        raise GoldChangedError(
            f"the gold changed: {report.gold_path} has SHA-256 {report.gold_sha256[:12]}..., but {floors_path} "
            f"was pinned on {floors.gold_sha256[:12]}...; review the change, then re-pin with "
            "`summit-extract evaluate --run --pin` (add --allow-lower if a floor must go down)"
        )
    if floors.facts and report.facts.get("sha256") != floors.facts_sha256:
        raise GoldChangedError(
            f"the facts gold changed: the facts files beside {report.gold_path} are not the ones {floors_path} "
            "was pinned on; review the change, then re-pin with `summit-extract evaluate --run --pin`"
        )


def check_floors(report: EvaluationReport, floors: Floors, floors_path: str | Path = FLOORS_FILE) -> list[str]:
    """One message per floor the report falls below; empty when all hold. Gold must be unchanged.

    Unrounded figures are compared with the floors, so a figure at or above its floor passes.
    """
    check_gold_unchanged(report, floors, floors_path)
    figures = _exact_figures(report, list(floors.articles))
    problems = []
    for name, floor in floors.items().items():
        if name not in figures:
            problems.append(f"{name}: no such figure in this run (floor {floor:.3f})")
        elif figures[name] < floor:
            problems.append(f"{name}: F1 {figures[name]:.4f} is below the floor {floor:.3f}")
    return problems


def _exact_figures(report: EvaluationReport, articles: list[str]) -> dict[str, float]:
    ours = report.ours
    strict = ours.mentions.schemes["strict"]
    figures = {"strict_micro_f1": strict.micro.f1, "document_micro_f1": ours.documents.micro.f1}
    figures.update({f"labels.{label}": score.f1 for label, score in strict.labels.items()})
    by_id = {article.doc_id: article.f1 for article in ours.articles}
    figures.update({f"articles.{doc_id}": by_id[doc_id] for doc_id in articles if doc_id in by_id})
    figures.update({f"facts.{kind}": f1 for kind, f1 in _facts_figures(report).items()})
    return figures


@dataclass(slots=True)
class PinResult:
    floors: Floors
    previous: Floors | None
    changes: dict[str, tuple[float | None, float]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "floors": self.floors.to_dict(),
            "changes": {name: {"from": old, "to": new} for name, (old, new) in self.changes.items()},
        }


def pin_floors(
    report: EvaluationReport,
    path: str | Path = FLOORS_FILE,
    *,
    articles: list[str] | None = None,
    allow_lower: bool = False,
) -> PinResult:
    """Write the report's figures as the new floors; refuse to lower one unless `allow_lower`.

    The floored articles are `articles`, or those the existing file already names.
    """
    path = Path(path)
    previous = load_floors(path) if path.exists() else None
    if articles is None:
        articles = list(previous.articles) if previous else []
    new = measured(report, articles)
    old_items = previous.items() if previous else {}
    changes = {
        name: (old_items.get(name), value) for name, value in new.items().items() if old_items.get(name) != value
    }
    lowered = [
        f"{name}: {old:.3f} -> {value:.3f}" for name, (old, value) in changes.items() if old is not None and value < old
    ]
    if lowered and not allow_lower:
        raise FloorLoweredError(
            f"re-pinning would lower {len(lowered)} floor(s) in {path}: {'; '.join(lowered)}. "
            "Fix the regression, or pass --allow-lower if the drop is intended"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(new.to_dict(), indent=2) + "\n", encoding="utf-8")
    return PinResult(floors=new, previous=previous, changes=changes)
