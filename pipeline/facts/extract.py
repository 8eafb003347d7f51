"""Rules that read summit facts from the cleaned text and the entity spans already found in it.

The rules are hand-written because no library codes summit roles or document statuses; they work per
sentence: a role trigger names the countries enumerated right after it ("member states A, B and C") or
right before it ("A and B expressing interest in joining").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

from pipeline.facts.patterns import STATUSES, FactPatterns, load_fact_patterns

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_EDITION = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_SUMMIT_CITY = re.compile(r"\b[Ss]ummit (?:was )?(?:held )?in ([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)")
_CITY_COUNTRY = re.compile(r"\bin ([A-Z][\w'-]+(?: [A-Z][\w'-]+)?),\s*$")
# Words allowed between a country and a trigger that follows it, besides other countries of the list.
_LIST_GLUE = re.compile(r"^(?:[\s,;—–-]|and|as|has|have|is|are|was|were|became|becoming|expressing|expressed|the)*$")


class Span(Protocol):
    start: int
    end: int
    label: str
    id: str


@lru_cache(maxsize=1)
def _patterns() -> FactPatterns:
    return load_fact_patterns()


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [b for b in bounds if b[1] > b[0]]


def _triggers(text: str, start: int, end: int, table: dict[str, tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each trigger phrase in text[start:end]; a longer phrase wins over one inside it."""
    lowered = text[start:end].lower()
    found: list[tuple[int, int, str]] = []
    for name, phrases in table.items():
        for phrase in phrases:
            for match in re.finditer(r"\b" + re.escape(phrase) + r"\b", lowered):
                found.append((start + match.start(), start + match.end(), name))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    kept: list[tuple[int, int, str]] = []
    for trigger in found:
        if not any(k[0] <= trigger[0] and trigger[1] <= k[1] for k in kept):
            kept.append(trigger)
    return kept


def _without_spans(text: str, start: int, end: int, spans: Sequence[Span]) -> str:
    pieces, cursor = [], start
    for span in sorted(spans, key=lambda s: s.start):
        if start <= span.start and span.end <= end:
            pieces.append(text[cursor : span.start])
            cursor = span.end
    pieces.append(text[cursor:end])
    return "".join(pieces).lower()


def _role_of(text: str, country: Span, triggers: list[tuple[int, int, str]], countries: Sequence[Span]) -> str | None:
    after = [t for t in triggers if t[0] >= country.end]
    if after and _LIST_GLUE.match(_without_spans(text, country.end, after[0][0], countries)):
        return after[0][2]
    before = [t for t in triggers if t[1] <= country.start]
    if before:
        gap = _without_spans(text, before[-1][1], country.start, countries)
        if len(gap) <= 60 and not re.search(r"[.;:]", gap):
            return before[-1][2]
    return None


def _summit(
    text: str, orgs: Sequence[Span], countries: Sequence[Span]
) -> tuple[dict[str, Any] | None, list[list[int]]]:
    """The summit fields, and the evidence of its host country (empty when the text names none)."""
    summit_at = [m.start() for m in re.finditer(r"\b(?:summit|meeting|session)\b", text, re.IGNORECASE)]
    if not summit_at or not orgs:
        return None, []
    # The first organisation named is the summit's more often than the one nearest "summit" (dev articles).
    summit: dict[str, Any] = {key: None for key in ("edition", "city", "country", "year", "start", "end")}
    summit["organization"] = orgs[0].id
    evidence = [[orgs[0].start, orgs[0].end]]
    host_evidence: list[list[int]] = []
    for s in summit_at:
        edition = [m for m in _EDITION.finditer(text, max(0, s - 80), s)]
        if edition:
            summit["edition"] = int(edition[-1].group(1))
            evidence.append([edition[-1].start(), edition[-1].end()])
            break
    for country in countries:
        city = _CITY_COUNTRY.search(text[max(0, country.start - 40) : country.start])
        if city:
            summit["city"], summit["country"] = city.group(1), country.id
            host_evidence = [[max(0, country.start - 40) + city.start(1), country.end]]
            evidence.extend(host_evidence)
            break
    if summit["city"] is None:
        city = _SUMMIT_CITY.search(text)
        if city:
            summit["city"] = city.group(1)
            evidence.append([city.start(1), city.end(1)])
    year = _YEAR.search(text)
    if year:
        summit["year"] = int(year.group(1))
        evidence.append([year.start(), year.end()])
    summit["evidence"] = evidence
    return summit, host_evidence


def _document_row(
    text: str, doc_id: str, mentions: Sequence[Span], actors: Sequence[Span], sentences
) -> dict[str, Any]:
    patterns = _patterns()
    status, proposer, evidence = "mentioned", None, []
    for mention in mentions:
        start, end = next(((s, e) for s, e in sentences if s <= mention.start < e), (mention.start, mention.end))
        for t_start, t_end, name in _triggers(text, start, end, patterns.statuses):
            if STATUSES.index(name) < STATUSES.index(status):
                status, evidence = name, [[t_start, t_end], [mention.start, mention.end]]
        for t_start, t_end, _ in _triggers(text, start, end, {"by": patterns.proposer}):
            after = [a for a in actors if 0 <= a.start - t_end <= 5]
            # "the X initiative proposed by Y": the proposer belongs to the document right before the trigger only.
            if after and proposer is None and 0 <= t_start - mention.end <= 5:
                proposer = after[0].id
                evidence.append([t_start, after[0].end])
    return {"id": doc_id, "status": status, "proposer": proposer, "evidence": evidence}


def extract_facts(text: str, spans: Sequence[Span]) -> dict[str, Any]:
    """The `facts` of one record: summit, participants with roles, documents with status and proposer."""
    countries = [s for s in spans if s.label == "COUNTRY"]
    orgs = [s for s in spans if s.label == "ORG"]
    summit, host_evidence = _summit(text, orgs, countries)
    sentences = _sentences(text)
    roles: dict[str, dict[str, Any]] = {}
    if summit is not None:
        for start, end in sentences:
            in_sentence = [c for c in countries if start <= c.start < end]
            triggers = _triggers(text, start, end, _patterns().roles)
            for country in in_sentence:
                role = _role_of(text, country, triggers, in_sentence)
                if role is None:
                    continue
                row = roles.setdefault(country.id, {"id": country.id, "roles": [], "evidence": []})
                for r in ["member", role] if role == "new-member" else [role]:
                    if r not in row["roles"]:
                        row["roles"].append(r)
                row["evidence"].append([country.start, country.end])
        if summit["country"] and summit["country"] not in roles:
            roles[summit["country"]] = {"id": summit["country"], "roles": ["host"], "evidence": host_evidence}
    documents: dict[str, list[Span]] = {}
    for span in spans:
        if span.label == "DOCUMENT":
            documents.setdefault(span.id, []).append(span)
    return {
        "summit": summit,
        "participants": list(roles.values()),
        "documents": [_document_row(text, d, m, countries + orgs, sentences) for d, m in documents.items()],
    }
