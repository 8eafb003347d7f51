"""ORG: organisations from the curated table, and capitalised names built on an organisation head word."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ...rules import RuleData, load_rules
from ..countries import CountryTable, country_table
from ..organizations import OrganizationTable, organization_table
from .candidates import (
    PRIORITY,
    Candidate,
    register_extensions,
    text_of,
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


class OrgRuler(SavesRuleData):
    """Proposes ORG candidates.

    - table: every full name, spelling variant and acronym of a curated organisation
      ("Shanghai Cooperation Organisation", "SCO"), with the table's id;
    - head-word: a capitalised name around an organisation head word ("SCO Heads of State
      Council", "Council of Foreign Ministers of the SCO", "Central Asian Regional
      Information Coordination Center"), ending at its last capitalised word;
    - before-org-noun: a capitalised name before a lower-case organisation noun ("the
      Wagner group", "the Kabar news agency", "the M23 movement").
    """

    # id_aliases.tsv is not read here: it travels with the table to the canonical-id rules (`canonicaliser`).
    RULE_FILES = ("countries.tsv", "country_aliases.tsv", "organizations.jsonl", "name_rules.json", "id_aliases.tsv")

    def __init__(
        self,
        nlp: Language,
        name: str = "summit_org_ruler",
        table: OrganizationTable | None = None,
        rules: NameRules | None = None,
        *,
        data: RuleData | None = None,
        countries: CountryTable | None = None,
    ) -> None:
        register_extensions()
        self.nlp, self.name = nlp, name
        self.rule_data = data if data is not None else load_rules()
        self.table = table or organization_table(self.rule_data)
        self.rules = rules or default_name_rules(self.rule_data)
        self.scanner = NameScanner(
            self.rules,
            stop_heads=self.rules.org_heads | self.rules.document_heads,
            countries=countries or country_table(self.rule_data),
            org_places=True,
        )
        self.table_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._entries: dict[str, tuple[str, str, str]] = {}
        for surface, org, kind in self.table.names():
            key = f"{org.id}|{kind}"
            self._entries[key] = (org.id, org.name, kind)
            self.table_matcher.add(key, [nlp.make_doc(surface)])
        # Single words and short phrases: PhraseMatcher's hash lookup is much faster than
        # Matcher patterns with IN sets.
        self.head_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.head_matcher.add("org-head", [nlp.make_doc(head) for head in sorted(self.rules.org_heads)])
        self.noun_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        nouns = sorted(self.rules.trailing_org_nouns)
        self.noun_matcher.add(
            "before-org-noun", [nlp.make_doc(n) for n in nouns] + [nlp.make_doc(f"news {n}") for n in nouns]
        )
        self.not_names = {tuple(n.split()) for n in self.rules.not_names}

    def __call__(self, doc: Doc) -> Doc:
        found = self.candidates(doc)
        mark_headline_verbs(doc, self.rules.headline_verbs)
        blocked: set[int] = set()
        for match_id, start, end in self.table_matcher(doc):
            org_id, norm, kind = self._entries[doc.vocab.strings[match_id]]
            found.append(
                Candidate(start, end, "ORG", org_id, norm, "org_ruler", f"table-{kind}", PRIORITY["org_table"])
            )
        known: set[int] = set()  # tokens of countries and curated organisations
        actors = {c.start for c in found if c.label in {"COUNTRY", "ORG"}}
        for candidate in found:
            if candidate.label == "COUNTRY":
                blocked.update(range(candidate.start, candidate.end))
            if candidate.label in {"COUNTRY", "ORG"} and not candidate.from_model:
                known.update(range(candidate.start, candidate.end))
        headings: list[tuple[int, int]] | None = None
        for _, head, head_end in self.head_matcher(doc):
            if head in blocked:
                continue  # "Russian Federation", "Union of the Comoros": a country's name
            start = self.scanner.left_edge(doc, head, blocked)
            end = self.scanner.right_edge(doc, head_end, actors=actors)
            start, end = trim_span(doc, start, end)
            if end - start < 2 or tuple(t.text for t in doc[start:end]) in self.not_names:
                continue
            if doc[start].text in self.rules.person_titles:
                continue  # a post, not a body: "Chair of the Union", "Chairman of the Authority"
            if self.scanner.kind_of(doc, start, end) != "ORG" or self.scanner.is_venue(doc, start, end):
                continue
            if headings is None:
                headings = heading_lines(doc)
            if inside_heading(headings, start, end) and not has_name_evidence(doc, start, end, known):
                continue
            text = doc[start:end].text
            # "Regional Anti-Terrorist Structure of the SCO" is the curated RATS.
            org_id, norm = self.table.identity(text, text.rsplit(" of ", 1)[0])
            found.append(Candidate(start, end, "ORG", org_id, norm, "org_ruler", "head-word", PRIORITY["org_pattern"]))
        for start, end in dateline_credits(doc):
            org_id, norm = self.table.identity(doc[start:end].text)
            found.append(
                Candidate(start, end, "ORG", org_id, norm, "org_ruler", "dateline-credit", PRIORITY["org_pattern"])
            )
        for _, noun_start, _ in self.noun_matcher(doc):
            name = self._name_before(doc, noun_start, blocked)
            if name is not None:
                org_id, norm = self.table.identity(doc[name[0] : name[1]].text)
                found.append(
                    Candidate(*name, "ORG", org_id, norm, "org_ruler", "before-org-noun", PRIORITY["org_pattern"])
                )
        return doc

    def _name_before(self, doc: Doc, noun: int, blocked: set[int]) -> tuple[int, int] | None:
        """The capitalised name right before a lower-case organisation noun, unless a country or nationality."""
        last = noun - 1
        if last < 0 or last in blocked or not is_name_word(doc, last) or doc[last].is_stop:
            return None
        if doc[last].ent_type_ in {"NORP", "PERSON", "DATE"}:
            return None  # "the Chinese company"; the model's GPE is trusted less here ("the M23 group")
        start, end = trim_span(doc, self.scanner.left_edge(doc, last, blocked), last + 1)
        while start < last and doc[start].ent_type_ == "NORP" and doc[start].ent_iob_ == "B":
            start += 1  # a nationality describes the outlet: "Russian [Tass] news agency"
        return (start, end) if end > start else None


# A wire dateline opens a paragraph: the place in capitals, maybe a date, the agency in
# brackets, a dash: "BISHKEK (AKIpress) -", "MOSCOW, Oct 8 (TASS) –", "ASTANA, July 4 (Reuters) —".
# The credit is a name, every word capitalised: "(Staff report)" is a byline, not an agency.
CREDITED_NAME = r"([A-Z][\w&.'’-]*(?:[ ][A-Z][\w&.'’-]*){0,4})"
DATELINE_CREDIT = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+)*(?:,[^\n()]{1,30})?[ \t]+\(" + CREDITED_NAME + r"\)[ \t]*[-–—]"
)
# A closing credit line names the agency or outlet: "Source: Armenpress", "Sources: TASS".
CREDIT_LINE = re.compile(r"(?m)^[ \t]*(?:Source|Sources|Credit|Via)[ \t]*:[ \t]*" + CREDITED_NAME + r"[ \t]*$")


def dateline_credits(doc: Doc) -> list[tuple[int, int]]:
    """Token spans of the news agencies credited in wire datelines and closing credit lines."""
    text = text_of(doc)
    if "(" not in text and ":" not in text:
        return []
    spans = []
    for match in (*DATELINE_CREDIT.finditer(text), *CREDIT_LINE.finditer(text)):
        span = doc.char_span(match.start(1), match.end(1))
        if span is not None:
            spans.append((span.start, span.end))
    return spans


# `patterns`: a folder of the user's own pattern files added to the bundled ones (None: bundled only).
@Language.factory("summit_org_ruler", assigns=["doc._.summit_candidates"], default_config={"patterns": None})
def make_org_ruler(nlp: Language, name: str, patterns: str | None) -> OrgRuler:
    return OrgRuler(nlp, name, data=load_rules(patterns))
