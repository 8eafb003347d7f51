"""Makes the candidates flat: the outermost span wins, and writes `doc.ents`."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .candidates import (
    CANDIDATES_ATTR,
    TEXT_KEY,
    Candidate,
    candidates_of,
    register_extensions,
    text_of,
)
from .names import HEADINGS_KEY, HEADLINE_VERBS_KEY

OUTPUT_LABELS = ("COUNTRY", "ORG", "DOCUMENT")


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _crosses(a: Candidate, b: Candidate) -> bool:
    """Overlapping without one containing the other."""
    inside = (a.start >= b.start and a.end <= b.end) or (b.start >= a.start and b.end <= a.end)
    return _overlaps(a, b) and not inside


def _inside_longer_person(country: Candidate, people: list[Candidate]) -> bool:
    return any(
        p.start <= country.start and country.end <= p.end and p.end - p.start > country.end - country.start
        for p in people
    )


def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Flat, non-overlapping entities from overlapping candidates.

    1. A country inside a longer PERSON span is a name part ("Michael Jordan").
    2. A model span that crosses a rule span's boundary loses (its boundary is the suspect one),
       and so does a model ORG or DOCUMENT span around a country the rules found.
    3. Longest first, then priority: the outermost span wins.
    """
    people = [c for c in candidates if c.label == "PERSON"]
    rules = [c for c in candidates if c.label in OUTPUT_LABELS and not c.source.startswith("ner:")]
    model = [c for c in candidates if c.label in OUTPUT_LABELS and c.source.startswith("ner:")]
    if people:
        rules = [c for c in rules if not (c.label == "COUNTRY" and _inside_longer_person(c, people))]
    # The model proposes a few dozen spans per article; only those are checked against the rules.
    model = [c for c in model if not any(_crosses(c, r) for r in rules if r.start < c.end and c.start < r.end)]
    # A model span holding a country the rules found is a run-on span ("Belarus, Bolivia, Cuba, ...");
    # real names with a country inside ("Central Bank of Russia") are proposed by the rules themselves.
    country_tokens = {i for r in rules if r.label == "COUNTRY" for i in range(r.start, r.end)}
    model = [c for c in model if c.label == "COUNTRY" or country_tokens.isdisjoint(range(c.start, c.end))]
    accepted: list[Candidate] = []
    taken: set[int] = set()
    for candidate in sorted(rules + model, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        tokens = range(candidate.start, candidate.end)
        if taken.isdisjoint(tokens):
            accepted.append(candidate)
            taken.update(tokens)
    return sorted(accepted, key=lambda c: c.start)


def unify_ids(entities: list[Candidate], doc: Doc) -> list[Candidate]:
    """Give every mention of a name the id its acronym definition gave it elsewhere in the article."""
    by_text = {
        (c.label, doc[c.start : c.end].text): (c.id, c.norm) for c in entities if c.source.startswith("acronym_linker:")
    }
    unified = []
    for c in entities:
        key = (c.label, doc[c.start : c.end].text)
        if key in by_text and not c.source.startswith("acronym_linker:"):
            entity_id, norm = by_text[key]
            c = Candidate(c.start, c.end, c.label, entity_id, norm, c.source, c.priority)
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
        candidates = [
            c
            for c in candidates_of(doc)
            if "\n" not in text[doc[c.start].idx : doc[c.end - 1].idx + len(doc[c.end - 1])]
        ]
        entities = unify_ids(resolve(candidates), doc)
        spans = []
        for c in entities:
            span = Span(doc, c.start, c.end, label=c.label, kb_id=c.id)
            span._.summit_norm = c.norm
            span._.summit_source = c.source
            spans.append(span)
        doc.ents = spans
        # Working state of the components, not needed downstream; keeps docs small across processes.
        doc._.set(CANDIDATES_ATTR, None)
        doc.user_data.pop(TEXT_KEY, None)
        doc.user_data.pop(HEADINGS_KEY, None)
        doc.user_data.pop(HEADLINE_VERBS_KEY, None)
        return doc


# No rule data of its own: it ranks by the candidates' priorities.
@Language.factory("summit_span_resolver", assigns=["doc.ents"], default_config={})
def make_span_resolver(nlp: Language, name: str) -> SpanResolver:
    return SpanResolver(name)
