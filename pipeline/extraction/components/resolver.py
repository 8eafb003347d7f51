"""Makes the candidates flat: the outermost span wins, and writes `doc.ents`.

Every candidate that loses is kept in `doc.spans["summit_rejected"]` with the reason, so a
reviewer can ask why a span was not extracted (`rejected_of(doc)`).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ...records import LABELS
from .candidates import (
    ACRONYM_COMPONENT,
    CANDIDATES_ATTR,
    TEXT_KEY,
    Candidate,
    candidates_of,
    register_extensions,
    text_of,
)
from .names import HEADINGS_KEY, HEADLINE_VERBS_KEY

REJECTED_KEY = "summit_rejected"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A candidate that lost, and why."""

    candidate: Candidate
    reason: str


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _crosses(a: Candidate, b: Candidate) -> bool:
    """Overlapping without one containing the other."""
    inside = (a.start >= b.start and a.end <= b.end) or (b.start >= a.start and b.end <= a.end)
    return _overlaps(a, b) and not inside


class Overlapping:
    """Finds, among `candidates`, the first in list order that overlaps a token range and passes a test.

    The same answer as scanning the list, but through the sorted starts, so that it costs the few
    candidates near the range: a long article holds thousands of candidates, and a scan for each of
    them made the resolver's time grow with the square of the article's length.
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.ordered = sorted(enumerate(candidates), key=lambda pair: pair[1].start)
        self.starts = [candidate.start for _, candidate in self.ordered]
        self.longest = max((c.end - c.start for c in candidates), default=0)

    def first(self, start: int, end: int, test: Callable[[Candidate], bool] = bool) -> Candidate | None:
        # A candidate ends after `start` only if it starts after `start - longest`.
        low = bisect.bisect_right(self.starts, start - self.longest)
        high = bisect.bisect_left(self.starts, end)
        found = [(i, c) for i, c in self.ordered[low:high] if start < c.end and test(c)]
        return min(found, key=lambda pair: pair[0])[1] if found else None


def _longer_person(country: Candidate, people: Overlapping) -> Candidate | None:
    return people.first(
        country.start,
        country.end,
        lambda p: p.start <= country.start and country.end <= p.end and p.end - p.start > country.end - country.start,
    )


def _beaten_by(loser: Candidate, winner: Candidate) -> str:
    if winner.end - winner.start > loser.end - loser.start:
        return f"overlaps a longer span from {winner.source}"
    if (winner.start, winner.end) == (loser.start, loser.end):
        if winner.label == loser.label:
            return f"same span as {winner.source}, which ranks higher"
        return f"same tokens as the {winner.label} span from {winner.source}, which ranks higher"
    if winner.priority > loser.priority:
        return f"overlaps a span of the same length and higher priority from {winner.source}"
    return f"overlaps an earlier span of the same length from {winner.source}"


def resolve(candidates: list[Candidate]) -> tuple[list[Candidate], list[Rejection]]:
    """Flat, non-overlapping entities from overlapping candidates, and the ones that lost.

    1. A country inside a longer PERSON span is a name part ("Michael Jordan").
    2. A model span that crosses a rule span's boundary loses (its boundary is the suspect one),
       and so does a model ORG or DOCUMENT span around a country the rules found.
    3. Longest first, then priority: the outermost span wins.
    Candidates of other labels (the model's PERSON spans) only guard; they are never entities.
    """
    rejected: list[Rejection] = []
    people = [c for c in candidates if c.label == "PERSON"]
    rules = [c for c in candidates if c.label in LABELS and not c.from_model]
    model = [c for c in candidates if c.label in LABELS and c.from_model]
    if people:
        kept = []
        people_index = Overlapping(people)
        for c in rules:
            person = _longer_person(c, people_index) if c.label == "COUNTRY" else None
            if person is None:
                kept.append(c)
            else:
                rejected.append(Rejection(c, f"inside a longer PERSON span from {person.source}"))
        rules = kept
    # The model proposes a few dozen spans per article; only those are checked against the rules.
    # A model span holding a country the rules found is a run-on span ("Belarus, Bolivia, Cuba, ...");
    # real names with a country inside ("Central Bank of Russia") are proposed by the rules themselves.
    rule_index = Overlapping(rules)
    country_index = Overlapping([r for r in rules if r.label == "COUNTRY"])
    kept = []
    for c in model:
        crossed = rule_index.first(c.start, c.end, lambda r, c=c: _crosses(c, r))
        if crossed is not None:
            rejected.append(Rejection(c, f"model span crossing a rule span from {crossed.source}"))
            continue
        if c.label != "COUNTRY":
            country = country_index.first(c.start, c.end)
            if country is not None:
                where = "around" if c.start <= country.start and country.end <= c.end else "inside"
                rejected.append(Rejection(c, f"model {c.label} span {where} a country from {country.source}"))
                continue
        kept.append(c)
    model = kept
    accepted: list[Candidate] = []
    owner: dict[int, Candidate] = {}  # token -> the accepted candidate covering it
    for candidate in sorted(rules + model, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        winner = next((owner[i] for i in range(candidate.start, candidate.end) if i in owner), None)
        if winner is None:
            accepted.append(candidate)
            owner.update(dict.fromkeys(range(candidate.start, candidate.end), candidate))
        else:
            rejected.append(Rejection(candidate, _beaten_by(candidate, winner)))
    return sorted(accepted, key=lambda c: c.start), rejected


def unify_ids(entities: list[Candidate], doc: Doc) -> list[Candidate]:
    """Give every mention of a name the id its acronym definition gave it elsewhere in the article."""
    by_text = {
        (c.label, doc[c.start : c.end].text): (c.id, c.norm) for c in entities if c.component == ACRONYM_COMPONENT
    }
    unified = []
    for c in entities:
        key = (c.label, doc[c.start : c.end].text)
        if key in by_text and c.component != ACRONYM_COMPONENT:
            entity_id, norm = by_text[key]
            c = dataclasses.replace(c, id=entity_id, norm=norm)
        unified.append(c)
    return unified


class SpanResolver:
    """Writes the resolved candidates to `doc.ents`, with id, norm and source on each span."""

    def __init__(self, name: str = "summit_span_resolver") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        # Each proposing component trims its own spans; here a name that runs across a line
        # or paragraph break is dropped.
        candidates: list[Candidate] = []
        broken: list[Rejection] = []
        for c in candidates_of(doc):
            if "\n" in text[doc[c.start].idx : doc[c.end - 1].idx + len(doc[c.end - 1])]:
                if c.label in LABELS:
                    broken.append(Rejection(c, "crosses a line break"))
            else:
                candidates.append(c)
        accepted, rejected = resolve(candidates)
        entities = unify_ids(accepted, doc)
        spans = []
        for c in entities:
            span = Span(doc, c.start, c.end, label=c.label, kb_id=c.id)
            span._.summit_norm = c.norm
            span._.summit_source = c.source
            spans.append(span)
        doc.ents = spans
        doc.spans[REJECTED_KEY] = rejected_group(doc, broken + rejected)
        # Working state of the components, not needed downstream; keeps docs small across processes.
        doc._.set(CANDIDATES_ATTR, None)
        doc.user_data.pop(TEXT_KEY, None)
        doc.user_data.pop(HEADINGS_KEY, None)
        doc.user_data.pop(HEADLINE_VERBS_KEY, None)
        return doc


def rejected_group(doc: Doc, rejections: list[Rejection]) -> SpanGroup:
    """The losers as a span group: label and id on each span, the source as its span id, the
    reasons in the group's attrs. Span extensions cannot hold them: spaCy keys a span's
    extension values by its character offsets alone, so a loser would overwrite the winner's."""
    ordered = sorted(rejections, key=lambda r: (r.candidate.start, r.candidate.end, r.candidate.source))
    spans = [
        Span(
            doc, r.candidate.start, r.candidate.end, r.candidate.label, kb_id=r.candidate.id, span_id=r.candidate.source
        )
        for r in ordered
    ]
    return SpanGroup(doc, name=REJECTED_KEY, spans=spans, attrs={"reasons": [r.reason for r in ordered]})


def rejected_of(doc: Doc) -> list[tuple[Span, str]]:
    """Each rejected span with the reason it lost; empty for a doc the resolver has not seen."""
    group = doc.spans.get(REJECTED_KEY)
    if group is None:
        return []
    return list(zip(group, group.attrs.get("reasons", ()), strict=True))


# No rule data of its own: it ranks by the candidates' priorities.
@Language.factory("summit_span_resolver", assigns=["doc.ents"], default_config={})
def make_span_resolver(nlp: Language, name: str) -> SpanResolver:
    return SpanResolver(name)
