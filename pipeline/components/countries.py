"""COUNTRY: every name of every state in the country table, matched case-sensitively."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..countries import CountryTable, default_country_table
from .candidates import PRIORITY, Candidate, candidates_of, register_extensions
from .names import NameRules, default_name_rules


class CountryRuler:
    """Proposes a COUNTRY candidate for each country name in the text.

    Matching is on the exact spelling (plus an all-capitals form for datelines), so
    'turkey' the bird and 'china' the porcelain are not countries; the longest match
    wins later, so 'Papua New Guinea' is not 'Guinea' and 'Nigeria' is never 'Niger'.
    A country name inside a geographic name ('Lake Chad', 'South China Sea') is skipped.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "summit_country_ruler",
        table: CountryTable | None = None,
        rules: NameRules | None = None,
    ) -> None:
        register_extensions()
        self.name = name
        self.table = table or default_country_table()
        self.rules = rules or default_name_rules()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._names: dict[str, tuple[str, str, str]] = {}
        for entry in self.table.names:
            for surface in {entry.name, entry.name.upper()}:
                key = f"{entry.country.id}|{entry.kind}"
                self._names.setdefault(key, (entry.country.id, entry.country.norm, entry.kind))
                self.matcher.add(key, [nlp.make_doc(surface)])

    def __call__(self, doc: Doc) -> Doc:
        found = candidates_of(doc)
        for match_id, start, end in self.matcher(doc):
            if self._in_geographic_name(doc, start, end):
                continue
            country_id, norm, kind = self._names[doc.vocab.strings[match_id]]
            found.append(
                Candidate(start, end, "COUNTRY", country_id, norm, f"country_ruler:{kind}", PRIORITY["country"])
            )
        return doc

    def _in_geographic_name(self, doc: Doc, start: int, end: int) -> bool:
        """'Lake Chad', 'South China Sea': a country name inside the name of a lake, sea or basin."""
        before = doc[start - 1].text if start > 0 else ""
        after = doc[end].text if end < len(doc) else ""
        return before in self.rules.geo_prefixes or after in self.rules.geo_suffixes


@Language.factory("summit_country_ruler", assigns=["doc._.summit_candidates"])
def make_country_ruler(nlp: Language, name: str) -> CountryRuler:
    return CountryRuler(nlp, name)
