"""Trigger words for roles, document statuses and proposers, read from patterns/facts.json and checked on load."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from summit_extract.errors import SummitError
from summit_extract.paths import patterns_dir
from summit_extract.records import ROLES, STATUSES


class FactsPatternError(SummitError):
    """patterns/facts.json is malformed."""


@dataclass(frozen=True, slots=True)
class FactPatterns:
    roles: dict[str, tuple[str, ...]]
    statuses: dict[str, tuple[str, ...]]
    proposer: tuple[str, ...]
    # words that qualify a summit in its name and are no city: "Extraordinary Summit", "Leaders' Summit"
    not_city_words: frozenset[str] = frozenset()
    # the last word of a venue's name, which is no city: "at the Banquet Hall, Lumen" meets in Lumen
    venue_words: frozenset[str] = frozenset()


def _phrases(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise FactsPatternError(f"{path}: {key} must be a non-empty list of phrases")
    return tuple(v.lower() for v in value)


def load_fact_patterns(path: Path | None = None) -> FactPatterns:
    """The trigger words of `path`, by default the bundled `facts.json` (found in a checkout and in a wheel)."""
    path = path if path is not None else patterns_dir() / "facts.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise FactsPatternError(f"{path}: {error}") from error
    keys = {"roles", "statuses", "proposer", "not_city_words", "venue_words"}
    if not isinstance(data, dict) or set(data) != keys:
        raise FactsPatternError(f"{path}: keys must be {', '.join(sorted(keys))}")
    for key, allowed in (("roles", ROLES), ("statuses", STATUSES)):
        if not isinstance(data[key], dict) or not set(data[key]) <= set(allowed):
            raise FactsPatternError(f"{path}: {key} has unknown names {sorted(set(data[key]) - set(allowed))}")
    return FactPatterns(
        roles={role: _phrases(path, f"roles.{role}", v) for role, v in data["roles"].items()},
        statuses={status: _phrases(path, f"statuses.{status}", v) for status, v in data["statuses"].items()},
        proposer=_phrases(path, "proposer", data["proposer"]),
        not_city_words=frozenset(_phrases(path, "not_city_words", data["not_city_words"])),
        venue_words=frozenset(_phrases(path, "venue_words", data["venue_words"])),
    )
