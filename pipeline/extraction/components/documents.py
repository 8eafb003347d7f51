"""DOCUMENT: titles of declarations, strategies, programmes, treaties, memoranda and the like."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ...rules import RuleData, load_rules
from ..countries import CountryTable, country_table
from ..identity import slug
from .candidates import (
    POSSESSIVES,
    PRIORITY,
    Candidate,
    is_capitalised,
    register_extensions,
    trim_span,
)
from .names import (
    NameRules,
    NameScanner,
    default_name_rules,
    has_name_evidence,
    heading_lines,
    inside_heading,
    is_name_word,
    mark_headline_verbs,
)
from .rule_data import SavesRuleData

# Straight and typographic double quotes and guillemets; single quotes are too often apostrophes.
TITLE_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}
MAX_QUOTED_TOKENS = 40


class DocumentRuler(SavesRuleData):
    """Proposes DOCUMENT candidates by three patterns:

    - title-with-type-word: a capitalised name around a document type word, with its
      qualifiers: "SCO Development Strategy until 2035", "Cooperation Program to Counter
      Terrorism, Separatism, and Extremism for 2025-2027", "Turkic Green Vision: Unity
      for a Sustainable Future";
    - quoted-title: the words inside quotation marks after a type word or cue
      (Initiative "On World Unity for a Just Peace, Harmony and Development"), or a
      quoted capitalised name containing a type word;
    - after-lowercase-type-word: a capitalised name after a lower-case type word and
      "on"/"of" ("the initiative on World Unity for Just Peace ..."), the title being the
      capitalised name.
    A lone type word ("the Charter", "Strategy") is never a title.
    """

    RULE_FILES = ("countries.tsv", "country_aliases.tsv", "name_rules.json")

    def __init__(
        self,
        nlp: Language,
        name: str = "summit_document_ruler",
        rules: NameRules | None = None,
        *,
        data: RuleData | None = None,
        countries: CountryTable | None = None,
    ) -> None:
        register_extensions()
        self.nlp, self.name = nlp, name
        self.rule_data = data if data is not None else load_rules()
        self.rules = rules or default_name_rules(self.rule_data)
        self.scanner = NameScanner(
            self.rules,
            stop_heads=self.rules.document_heads | self.rules.org_heads,
            countries=countries or country_table(self.rule_data),
        )
        heads = sorted(self.rules.document_heads)
        # Words and short phrases only: PhraseMatcher's hash lookup is much faster than Matcher IN sets.
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher.add("title-with-type-word", [nlp.make_doc(h) for h in heads])
        self.matcher.add("title-with-type-word", [nlp.make_doc(" ".join(p)) for p in self.rules.document_head_phrases])
        self.matcher.add(
            "after-lowercase-type-word",
            [
                nlp.make_doc(f"{head.lower()} {connector}")
                for head in heads
                for connector in sorted(self.rules.lowercase_head_connectors)
            ],
        )
        self.matcher.add("quote", [nlp.make_doc(q) for q in sorted(TITLE_QUOTES)])
        # A heading in capitals that is the text's own title: "FINAL COMMUNIQUÉ OF THE TENTH SESSION OF ...".
        self.matcher.add("title-in-capitals", [nlp.make_doc(h.upper()) for h in heads])
        self._lower_heads = {h.lower() for h in heads} | {" ".join(p).lower() for p in self.rules.document_head_phrases}

    def __call__(self, doc: Doc) -> Doc:
        found = self.candidates(doc)
        mark_headline_verbs(doc, self.rules.headline_verbs)
        quote_seen = False
        headings: list[tuple[int, int]] | None = None
        # Countries and organisations the earlier components found: a title does not run on
        # into "in Kazakhstan" or "with Israel" after it (NameScanner.right_edge).
        actors: set[int] = set()
        actor_ends: set[int] = set()
        known: set[int] = set()
        for candidate in found:
            if candidate.label in {"COUNTRY", "ORG"}:
                actors.add(candidate.start)
                actor_ends.add(candidate.end)
                if not candidate.from_model:
                    known.update(range(candidate.start, candidate.end))
        for match_id, start, end in self.matcher(doc):
            pattern = doc.vocab.strings[match_id]
            if pattern == "title-with-type-word":
                span = self._title_around(doc, start, end, actors, actor_ends)
            elif pattern == "after-lowercase-type-word":
                span = self._title_after(doc, end, actors)
            elif pattern == "title-in-capitals":
                span = self._title_in_capitals(doc, start, end)
            else:
                if quote_seen:
                    continue
                quote_seen = True
                for span in self._quoted_titles(doc):
                    self._add(doc, found, span, "quoted-title")
                continue
            if span is None:
                continue
            if headings is None:
                headings = heading_lines(doc)
            if not inside_heading(headings, *span) or has_name_evidence(doc, *span, known):
                self._add(doc, found, span, pattern)
        return doc

    def _add(self, doc: Doc, found: list[Candidate], span: tuple[int, int], pattern: str) -> None:
        text = doc[span[0] : span[1]].text
        found.append(
            Candidate(span[0], span[1], "DOCUMENT", slug(text), text, "document_ruler", pattern, PRIORITY["document"])
        )

    def _title_around(
        self, doc: Doc, head: int, head_end: int, actors: set[int], actor_ends: set[int]
    ) -> tuple[int, int] | None:
        start = self.scanner.left_edge(doc, head, title=True)
        end = self.scanner.right_edge(doc, head_end, enumerations=True, actors=actors, actor_ends=actor_ends)
        qualified = self.scanner.year_qualifier_end(doc, end)
        if qualified > end:  # "Action Plan for 2018-2022 for the Implementation of the Treaty ..."
            qualified = self.scanner.right_edge(
                doc, qualified, enumerations=True, in_tail=True, actors=actors, actor_ends=actor_ends
            )
        end = qualified
        end = self.scanner.subtitle_end(doc, end)
        start, end = trim_span(doc, start, end)
        # a type word alone is no title; a head that names its author is one ("Chair's Summary")
        authored = any(t.text in POSSESSIVES for t in doc[head:head_end])
        more = any(not t.is_punct for t in doc[start:end] if not head <= t.i < head_end)
        if end - start < 2 or not (authored or more):
            return None
        if doc[start].text in self.rules.plural_heads:
            return None  # several documents described ("Agreements between the Union and Chad"), none named
        if self.scanner.kind_of(doc, start, end) != "DOCUMENT":
            return None  # "Sandton Convention Centre", "Collective Security Treaty Organization"
        if self.rules.names_a_kind(doc[start:end]):
            return None
        return start, end

    def _title_in_capitals(self, doc: Doc, head: int, head_end: int) -> tuple[int, int] | None:
        """A title set in capitals around a type word, from the words in capitals before it ("FINAL", "JOINT") to
        the last word in capitals of the run after it (a date, a number or a word in other case ends it):
        "COMMUNIQUÉ OF THE 44TH ORDINARY SUMMIT OF THE LAKE UNION" in "... UNION 17th AUGUST 2030"."""
        start = head
        modifiers = self.rules.generic_modifiers
        while start > 0 and _in_capitals(doc[start - 1]) and doc[start - 1].text.title() in modifiers:
            start -= 1
        end = head_end
        while end < len(doc) and (_in_capitals(doc[end]) or ORDINAL_IN_CAPITALS.match(doc[end].text)):
            end += 1
        while end > head_end and doc[end - 1].text in {"OF", "THE", "AND", "ON", "FOR", "IN", "TO"}:
            end -= 1
        return (start, end) if end - start >= 3 else None

    def _title_after(self, doc: Doc, name_start: int, actors: set[int]) -> tuple[int, int] | None:
        """The capitalised name after 'initiative on', if it has two or more content words."""
        if name_start >= len(doc) or not is_name_word(doc, name_start) or doc[name_start].is_stop:
            return None
        if doc[name_start].text in self.rules.person_titles:
            return None  # "the vision of Ms Ada Veli": a person
        end = self.scanner.right_edge(doc, name_start + 1, enumerations=True, in_tail=True, actors=actors)
        end = self.scanner.year_qualifier_end(doc, end)
        content = [t for t in doc[name_start:end] if is_capitalised(t) and not t.is_stop]
        if len(content) < 2:
            return None
        return name_start, end

    def _quoted_titles(self, doc: Doc) -> list[tuple[int, int]]:
        titles = []
        i = 0
        while i < len(doc):
            closing = TITLE_QUOTES.get(doc[i].text)
            if closing is None:
                i += 1
                continue
            j = i + 1
            while j < len(doc) and j - i <= MAX_QUOTED_TOKENS and doc[j].text != closing and "\n" not in doc[j].text:
                j += 1
            if j >= len(doc) or doc[j].text != closing:
                i += 1
                continue
            # A quoted sentence ("We reaffirm ...") is a quotation, not a title.
            sentence = doc[i + 1].text in self.rules.not_name_starts
            # an event's name in quotes ("hereafter called “Summit”") is no title either
            sentence = sentence or all(t.text in self.rules.event_words for t in doc[i + 1 : j])
            if j > i + 1 and is_capitalised(doc[i + 1]) and not sentence and self._is_title_quote(doc, i, j):
                start, end = trim_span(doc, i + 1, j)
                if end > start:
                    titles.append((start, end))
            i = j + 1
        return titles

    def _is_title_quote(self, doc: Doc, open_i: int, close_i: int) -> bool:
        before = [t.text for t in doc[max(0, open_i - 3) : open_i]]
        if any(w.lower() in self._lower_heads or w.lower() in self.rules.quote_cues for w in before):
            return True
        head = next((t.i for t in doc[open_i + 1 : close_i] if t.text in self.rules.document_heads), None)
        # a theme that names a title ("Ensuring clean water to meet the goals of Agenda 2063") is a sentence
        return head is not None and not any(t.is_alpha and t.is_lower and not t.is_stop for t in doc[open_i:head])


ORDINAL_IN_CAPITALS = re.compile(r"^\d{1,3}(?:ST|ND|RD|TH)$")


def _in_capitals(token) -> bool:
    """A word in capitals (a letter at least, every letter upper case, no line break)."""
    return token.is_alpha and token.text.isupper() and len(token.text) > 1 or token.text in {"A", "&"}


# `patterns`: a folder of the user's own pattern files added to the bundled ones (None: bundled only).
@Language.factory("summit_document_ruler", assigns=["doc._.summit_candidates"], default_config={"patterns": None})
def make_document_ruler(nlp: Language, name: str, patterns: str | None) -> DocumentRuler:
    return DocumentRuler(nlp, name, data=load_rules(patterns))
