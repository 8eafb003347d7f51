"""Candidate spans proposed by the summit components, before the resolver makes them flat.

Every proposing component appends `Candidate`s to `doc._.summit_candidates`; the resolver
alone writes `doc.ents`. Keeping candidates separate from `doc.ents` lets several
components propose overlapping spans with their provenance intact. Components read each
other's work only through these typed fields, never by parsing a string.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ...rules import bundled_file

CANDIDATES_ATTR = "summit_candidates"

# Policy shared by every proposing component, from patterns/span_rules.json (bundled only:
# these are read wherever a span is trimmed, not per pipeline).
SPAN_RULES = bundled_file("span_rules.json")
# The `component` of the candidates the statistical model proposed (through the NER filter)
# and of those an acronym definition in the article proposed: the resolver treats both apart.
MODEL_COMPONENT = "ner"
ACRONYM_COMPONENT = "acronym_linker"
# The `component` of the summit-label spans of a model trained on the gold (`summit-extract train`):
# a model source too, so the rules' name grammar still decides extents where the two cross.
LEARNED_COMPONENT = "learned"

# Higher wins when two candidates cover exactly the same tokens.
PRIORITY: dict[str, int] = dict(SPAN_RULES["priorities"])


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed entity over tokens [start, end) with its identity and provenance."""

    start: int
    end: int
    label: str
    id: str
    norm: str
    component: str  # "country_ruler", "ner", ...
    pattern: str  # which of the component's patterns: "common", "head-word", the model's label, ...
    priority: int

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(f"Empty candidate span [{self.start}, {self.end}) from {self.source}")

    @property
    def source(self) -> str:
        """The provenance written into the output: "component:pattern"."""
        return f"{self.component}:{self.pattern}"

    @property
    def from_model(self) -> bool:
        return self.component in (MODEL_COMPONENT, LEARNED_COMPONENT)


def register_extensions() -> None:
    """Declare the Doc/Span attributes the components use (idempotent)."""
    if not Doc.has_extension(CANDIDATES_ATTR):
        Doc.set_extension(CANDIDATES_ATTR, default=None)
    for name in ("summit_norm", "summit_source"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


TEXT_KEY = "summit_text"


def text_of(doc: Doc) -> str:
    """`doc.text`, built once per document: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def doc_with_text(nlp: Language, text: str) -> Doc:
    """The tokenised doc of `text`, which it remembers for `text_of` (a tokenised doc's text is
    always the string it was made from, so it need not be rebuilt from the tokens)."""
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text
    return doc


def candidates_of(doc: Doc) -> list[Candidate]:
    """The doc's candidate list, created on first use."""
    found = doc._.get(CANDIDATES_ATTR)
    if found is None:
        found = []
        doc._.set(CANDIDATES_ATTR, found)
    return found


def is_capitalised(token: Token) -> bool:
    """A word that can be part of a proper name: 'Astana', 'SCO', 'G20', 'd'Ivoire'."""
    text = token.text
    if not text or not token.is_alpha and not any(ch.isalpha() for ch in text):
        return False
    first = next(ch for ch in text if ch.isalpha())
    return first.isupper() or (text[:2].lower() == "d'" and len(text) > 2 and text[2].isupper())


OPENING_QUOTES = frozenset(SPAN_RULES["opening_quotes"])
CLOSING_QUOTES = frozenset(SPAN_RULES["closing_quotes"])
LEADING_ARTICLES = frozenset(SPAN_RULES["leading_articles"])
ARTICLE_PLACES = frozenset(SPAN_RULES["article_places"])
TRAILING_CONNECTORS = frozenset(SPAN_RULES["trailing_connectors"])
POSSESSIVES = frozenset(SPAN_RULES["possessives"])
# The model's labels whose spans may name a country, and those that may hold a document title.
MODEL_COUNTRY_LABELS = frozenset(SPAN_RULES["model_country_labels"])
MODEL_DOCUMENT_LABELS = frozenset(SPAN_RULES["model_document_labels"])


def opens_place_name(doc: Doc, i: int, end: int | None = None) -> bool:
    """A capitalised 'The' that is part of a place's name: "The Hague Summit Declaration"."""
    return doc[i].text == "The" and i + 1 < (len(doc) if end is None else end) and doc[i + 1].text in ARTICLE_PLACES


def _closes_bracket(doc: Doc, start: int, i: int) -> bool:
    """doc[i] is ")" closing a "(" opened inside doc[start:i]: "Action Plan (2017-2020)" keeps its bracket."""
    return doc[i].text == ")" and any(t.text == "(" for t in doc[start:i])


def trim_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the', quotation marks, and trailing possessives, punctuation or connectors."""
    while start < end and (
        doc[start].is_space
        or (doc[start].text in LEADING_ARTICLES and not opens_place_name(doc, start, end))
        or doc[start].text in OPENING_QUOTES
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or (doc[end - 1].is_punct and not _closes_bracket(doc, start, end - 1))
        or doc[end - 1].text in POSSESSIVES
        or doc[end - 1].text in CLOSING_QUOTES
        or doc[end - 1].text in TRAILING_CONNECTORS
    ):
        end -= 1
    # A bracket opened inside and not closed there ends the name before it: "Lumen Declaration (2000".
    opened = [t.i for t in doc[start:end] if t.text == "("]
    if opened and not any(t.text == ")" for t in doc[opened[-1] : end]):
        return trim_span(doc, start, opened[-1])
    return start, end
