"""The statistical NER's entities, mapped to the summit labels and cleaned of its known errors.

en_core_web_sm tags cities as GPE, countries as NORP, people as ORG and document titles as
ORG with the wrong boundaries. This component keeps what the model is good at — organisation
names the tables don't list — and turns everything into candidates the resolver weighs
against the rule components.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..countries import CountryTable, default_country_table
from ..identity import slug
from ..organizations import OrganizationTable, default_organization_table
from .candidates import PRIORITY, Candidate, candidates_of, is_capitalised, register_extensions, trim_span
from .names import NameRules, default_name_rules

# Model labels whose spans may name a country ("Tajikistan" tagged NORP) or an organisation.
COUNTRY_LABELS = {"GPE", "NORP", "ORG", "LOC"}
DOCUMENT_LABELS = {"LAW", "WORK_OF_ART"}


class NerFilter:
    """Turns the model's entities into candidates:

    - GPE/NORP/LOC/ORG spans that are a country name → COUNTRY (cities and regions are dropped);
    - ORG spans → ORG, except people (after a title such as "President", or tagged PERSON
      elsewhere in the article), lone lower-case or stop words, and document titles
      (the document ruler owns those); an event word ends the name ("SCO Summit" → "SCO");
    - LAW/WORK_OF_ART spans with a document type word → DOCUMENT.
    The model's PERSON spans are kept aside so that "Jordan" in "Michael Jordan" is not a country.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "summit_ner_filter",
        countries: CountryTable | None = None,
        organizations: OrganizationTable | None = None,
        rules: NameRules | None = None,
    ) -> None:
        register_extensions()
        self.name = name
        self.countries = countries or default_country_table()
        self.organizations = organizations or default_organization_table()
        self.rules = rules or default_name_rules()

    def __call__(self, doc: Doc) -> Doc:
        found = candidates_of(doc)
        people = {ent.text for ent in doc.ents if ent.label_ == "PERSON"}
        for ent in doc.ents:
            start, end = trim_span(doc, ent.start, ent.end)
            if end <= start:
                continue
            span = doc[start:end]
            label = ent.label_
            source = f"ner:{label}"
            country = self.countries.lookup(span.text) if label in COUNTRY_LABELS else None
            if country is not None:
                found.append(Candidate(start, end, "COUNTRY", country.id, country.norm, source, PRIORITY["ner"]))
            elif label == "ORG":
                kept = self._organization(doc, span, people)
                if kept is not None:
                    text = kept.text
                    org = self.organizations.lookup(text)
                    org_id, norm = (org.id, org.name) if org else (slug(text), text)
                    found.append(Candidate(kept.start, kept.end, "ORG", org_id, norm, source, PRIORITY["ner"]))
            elif label == "PERSON":
                found.append(Candidate(start, end, "PERSON", "", span.text, source, PRIORITY["ner"]))
            elif label in DOCUMENT_LABELS and any(t.text in self.rules.document_heads for t in span):
                found.append(Candidate(start, end, "DOCUMENT", slug(span.text), span.text, source, PRIORITY["ner"]))
        return doc

    def _organization(self, doc: Doc, span: Span, people: set[str]) -> Span | None:
        for token in span:
            if token.text in self.rules.event_words:
                span = doc[span.start : token.i]
                break
        start, end = trim_span(doc, span.start, span.end)
        if end <= start:
            return None
        span = doc[start:end]
        words = [t for t in span if not t.is_punct]
        if not words or not any(is_capitalised(t) for t in words) or all(t.is_stop for t in words):
            return None
        if span.text in people or (span.start > 0 and doc[span.start - 1].text in self.rules.person_titles):
            return None
        heads = self.rules.document_heads
        if any(t.text in heads for t in span) and span[-1].text not in self.rules.org_heads:
            return None
        return span


@Language.factory("summit_ner_filter", assigns=["doc._.summit_candidates"], requires=["doc.ents"])
def make_ner_filter(nlp: Language, name: str) -> NerFilter:
    return NerFilter(nlp, name)
