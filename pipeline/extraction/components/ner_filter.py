"""The statistical NER's entities, mapped to the summit labels and cleaned of its known errors.

en_core_web_sm tags cities as GPE, countries as NORP, people as ORG and document titles as
ORG with the wrong boundaries. This component keeps what the model is good at — organisation
names the tables don't list — and turns everything into candidates the resolver weighs
against the rule components.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ...records import LABELS
from ...rules import RuleData, load_rules
from ..countries import CountryTable, country_table
from ..identity import slug
from ..organizations import OrganizationTable, organization_table
from .acronyms import long_form_start
from .candidates import (
    LEARNED_COMPONENT,
    MODEL_COMPONENT,
    MODEL_COUNTRY_LABELS,
    MODEL_DOCUMENT_LABELS,
    PRIORITY,
    Candidate,
    is_capitalised,
    register_extensions,
    text_of,
    trim_span,
)
from .countries import before_foreign_subdivision
from .names import HEADLINE_VERBS_KEY, NameRules, NameScanner, compound_bounds, default_name_rules, mark_headline_verbs
from .rule_data import SavesRuleData

# The span group of the places the model names that are not countries (cities, mostly): where a
# summit meets is read from them (pipeline/facts).
PLACES_GROUP = "summit_places"
# Model labels whose spans may name a country ("Tajikistan" tagged NORP) or an organisation.
COUNTRY_LABELS = MODEL_COUNTRY_LABELS
# "COVID-19", "MH17", "SARS-CoV-2": a designation with a number, not an organisation's acronym.
NUMBERED_NAME = re.compile(r"^[A-Z]+-?\d+(?:-\w+)*$|^[A-Z]+-[A-Za-z]+-\d+$")
DOCUMENT_LABELS = MODEL_DOCUMENT_LABELS
INDEFINITE_ARTICLES = frozenset({"a", "an"})
DATELINE_DASHES = frozenset({"—", "–", "-", "--"})


class NerFilter(SavesRuleData):
    """Turns the model's entities into candidates:

    - GPE/NORP/LOC/ORG spans that are a country name → COUNTRY (cities and regions are dropped);
    - ORG spans → ORG when they show an organisation head word, a curated name or an
      acronym; never people (after a title such as "President", or tagged PERSON elsewhere
      in the article) nor document titles (the document ruler owns those); an event word
      ends the name ("SCO Summit" → "SCO");
    - LAW/WORK_OF_ART spans with a document type word → DOCUMENT;
    - GPE spans that are not countries → the `summit_places` span group (cities, for the summit facts).
    The model's PERSON spans are kept aside so that "Jordan" in "Michael Jordan" is not a country.

    A model trained on the gold (`summit-extract train`: its `ner` predicts COUNTRY) proposes its
    COUNTRY, ORG and DOCUMENT spans as `learned:<label>` candidates, held to the same evidence.
    """

    RULE_FILES = ("countries.tsv", "country_aliases.tsv", "organizations.jsonl", "name_rules.json")

    def __init__(
        self,
        nlp: Language,
        name: str = "summit_ner_filter",
        countries: CountryTable | None = None,
        organizations: OrganizationTable | None = None,
        rules: NameRules | None = None,
        *,
        data: RuleData | None = None,
    ) -> None:
        register_extensions()
        self.nlp, self.name = nlp, name
        self.rule_data = data if data is not None else load_rules()
        self.countries = countries or country_table(self.rule_data)
        self.organizations = organizations or organization_table(self.rule_data)
        self.rules = rules or default_name_rules(self.rule_data)
        self.scanner = NameScanner(
            self.rules, stop_heads=self.rules.org_heads | self.rules.document_heads, countries=self.countries
        )
        self.learned = nlp.has_pipe("ner") and "COUNTRY" in nlp.get_pipe("ner").labels

    def __call__(self, doc: Doc) -> Doc:
        found = self.candidates(doc)
        mark_headline_verbs(doc, self.rules.headline_verbs)
        verbs = doc.user_data[HEADLINE_VERBS_KEY]
        ents = list(doc.ents)  # each access to doc.ents builds new Span objects
        people = {ent.text for ent in ents if ent.label_ == "PERSON"}
        places: list[Span] = []
        for ent in ents:
            start, end = trim_span(doc, ent.start, ent.end)
            if end <= start:
                continue
            span = doc[start:end]
            label = ent.label_
            # Every model candidate carries the model's own label as its pattern.
            model = (MODEL_COMPONENT, label, PRIORITY["ner"])
            if verbs and not verbs.isdisjoint(range(start, end)):
                continue  # a headline read as one name: "BRICS Leaders Adopt Kazan Declaration"
            # A lower-case word is never a country's name: "fine bone china".
            named = is_capitalised(doc[start])
            if self.learned and label in LABELS:
                learned = self._learned(doc, span, label, named, people)
                if learned is not None:
                    found.append(learned)
                continue
            country = self.countries.lookup(span.text) if label in COUNTRY_LABELS and named else None
            if country is not None and before_foreign_subdivision(doc, end, country.id, self.countries):
                continue
            if country is not None:
                found.append(Candidate(start, end, "COUNTRY", country.id, country.norm, *model))
            elif label == "GPE" and named:
                places.append(span)
            elif label == "ORG":
                kept = self._organization(doc, span, people)
                if kept is not None:
                    org_id, norm = self.organizations.identity(kept.text)
                    found.append(Candidate(kept.start, kept.end, "ORG", org_id, norm, *model))
            elif label == "PERSON":
                start = self._after_leading_country(doc, start, end)
                if start < end:
                    found.append(Candidate(start, end, "PERSON", "", doc[start:end].text, *model))
            elif label in DOCUMENT_LABELS and self._is_document(span):
                span = self._without_sentence_after_colon(doc, span)
                found.append(Candidate(span.start, span.end, "DOCUMENT", slug(span.text), span.text, *model))
        doc.spans[PLACES_GROUP] = places
        return doc

    def _is_document(self, span: Span) -> bool:
        """A title with a document type word that is not a provision ("Article 5 of the North Atlantic Treaty") nor
        one of a kind ("A Memorandum of Understanding on trade": an indefinite article before the type word)."""
        heads = self.rules.document_heads
        if span[0].lower_ in INDEFINITE_ARTICLES and len(span) > 1 and span[1].text in heads:
            return False
        if self.rules.names_a_kind(span) or span[0].text in self.rules.person_titles:
            return False  # a kind of document; a person ("Ms Ada Veli")
        return any(t.text in heads for t in span) and span[0].text not in self.rules.provision_words

    def _without_sentence_after_colon(self, doc: Doc, span: Span) -> Span:
        """A title the model runs on past a colon into a sentence ("Agreement on Trade: Enhancing trade") ends at
        the colon; a subtitle stays ("Lake Vision: Unity for a Shared Future")."""
        for token in span:
            if token.text == ":" and token.i > span.start:
                if self.scanner.subtitle_end(doc, token.i) == token.i:
                    return doc[span.start : token.i]
                break
        return span

    def _learned(self, doc: Doc, span: Span, label: str, named: bool, people: set[str]) -> Candidate | None:
        """A learned model's span as a candidate with its identity, held to the evidence the stock
        model's spans need: a country of the tables, an organisation name by the name grammar's
        extent, a title with a document type word; None otherwise."""
        if label == "COUNTRY":
            country = self.countries.lookup(span.text) if named else None
            if country is None:
                return None
            entity_id, norm = country.id, country.norm
        elif label == "ORG":
            kept = self._organization(doc, span, people)
            if kept is None:
                return None
            span = kept
            entity_id, norm = self.organizations.identity(span.text)
        elif self._is_document(span):
            entity_id, norm = slug(span.text), span.text
        else:
            return None
        return Candidate(span.start, span.end, label, entity_id, norm, LEARNED_COMPONENT, label, PRIORITY["learned"])

    def _after_leading_country(self, doc: Doc, start: int, end: int) -> int:
        """Where a person's name starts in a model PERSON span that swallowed the country of a
        title: "President of [Belarus Alexander Lukashenko]" -> "Alexander Lukashenko"."""
        if start == 0 or doc[start - 1].text != "of":
            return start
        for split in range(start + 1, end):
            if self.countries.lookup(doc[start:split].text) is not None:
                return split
        return start

    def _organization(self, doc: Doc, span: Span, people: set[str]) -> Span | None:
        """The organisation name in a model ORG span, or None when the span is not one.

        The small model tags many people, places and roles as ORG. A span is kept when it
        has evidence of being an organisation: a curated name, an organisation head word
        ("Yerevan State University") or an acronym ("NATO").
        """
        start, end = span.start, span.end
        for token in span:
            # An event word or a parenthesis ends the name: "SCO Summit 2024", "Organization (SCO".
            if token.text in self.rules.event_words or token.text in {"(", ")"}:
                end = token.i
                break
        while start < end and not is_capitalised(doc[start]):
            start += 1  # "24th Shanghai Cooperation Organization"
        start, end = trim_span(doc, start, end)
        while end > start and not is_capitalised(doc[end - 1]):
            end -= 1  # a name ends at its last capitalised word: "Xinhua news agency" -> "Xinhua"
        if end - start > 2 and doc[end - 1].is_upper:
            words = [t.text for t in doc[start : end - 1]]
            if long_form_start(doc[end - 1].text, words) == 0:
                end -= 1  # its acronym after the name, no brackets: "Lake Fishery Board LFB" -> "Lake Fishery Board"
        if end <= start:
            return None
        span = doc[start:end]
        titles = self.rules.person_titles
        if span.text in people or (start > 0 and doc[start - 1].text in titles) or any(t.text in titles for t in span):
            return None  # a person: "President Kassym-Jomart Tokayev"
        if self.organizations.lookup(span.text):
            return span
        if any(t.text in self.rules.org_heads for t in span):
            is_org = self.scanner.kind_of(doc, start, end) == "ORG" and not self.scanner.is_venue(doc, start, end)
            return span if len(span) > 1 and is_org else None
        word = span.text
        after = doc[end].text if end < len(doc) else ""
        dateline = (start == 0 or "\n" in doc[start - 1].text) and (
            after == "," or (word.isupper() and after in DATELINE_DASHES)
        )
        if dateline:
            return None  # "KANANASKIS, Alberta, June 17 —", "VARNO — Leaders met": a place in capitals
        if (
            compound_bounds(doc, start) == (start, end)
            and word.isupper()
            and sum(ch.isalpha() for ch in word) >= 2
            and not NUMBERED_NAME.match(word)
            and not _beside_clock_time(doc, start, end)
            and not _defined_in_lower_case(text_of(doc), word)
        ):
            return span  # an acronym the tables don't list
        # Anything else without an organisation head is, in this model's output on summit
        # articles, far more often a person, a role, a place or a nationality ("Aidana
        # Serikbayeva", "Research Fellow", "Gyumri", "Kazakh") than a brand-like name.
        return None


CLOCK_TIME = re.compile(r"^\d{1,2}[:.]\d{2}$|^[+-]\d{1,2}:\d{2}$")


def _beside_clock_time(doc: Doc, start: int, end: int) -> bool:
    """A time zone, not an organisation: "12:14 GMT", "(UTC +04:00)"."""
    near = [doc[i] for i in (start - 1, end, end + 1) if 0 <= i < len(doc)]
    return any(CLOCK_TIME.match(t.text) for t in near)


def _defined_in_lower_case(text: str, acronym: str) -> bool:
    """The text spells the acronym out in lower case ("artificial intelligence (AI)", "small and medium-sized
    enterprises (SMEs)"): a thing, not an organisation."""
    return acronym in _lower_case_definitions(text)


# An acronym in brackets, and the lower-case words that may spell it out before it.
BRACKETED_ACRONYM = re.compile(r"\(\s*([^()\s]+)\s*\)")
LOWER_CASE_WORDS = re.compile(r"(?<![\w-])(?:[a-z][\w-]*\s+){1,8}$")


@lru_cache(maxsize=4)
def _lower_case_definitions(text: str) -> frozenset[str]:
    """Every acronym the text spells out in lower case, found in one pass over its bracketed acronyms (an
    article is read once, not once for each acronym in it)."""
    found = set()
    for match in BRACKETED_ACRONYM.finditer(text):
        acronym = match.group(1)
        words = LOWER_CASE_WORDS.search(text, max(0, match.start() - 400), match.start())
        if words is None:
            continue
        letters = acronym.rstrip("s")
        initials = [w for w in re.split(r"[\s-]+", words.group().lower()) if w and w not in ("and", "of", "the")]
        if "".join(w[0] for w in initials[-len(letters) :]).upper() == letters.upper():
            found.add(acronym)
    return frozenset(found)


# `patterns`: a folder of the user's own pattern files added to the bundled ones (None: bundled only).
@Language.factory(
    "summit_ner_filter", assigns=["doc._.summit_candidates"], requires=["doc.ents"], default_config={"patterns": None}
)
def make_ner_filter(nlp: Language, name: str, patterns: str | None) -> NerFilter:
    return NerFilter(nlp, name, data=load_rules(patterns))
