"""COUNTRY: every name of every state in the country table, matched case-sensitively."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ...rules import RuleData, load_rules
from ..countries import CountryTable, country_table, fold_letters, foreign_subdivisions
from .candidates import PRIORITY, Candidate, is_capitalised, register_extensions, text_of
from .names import NameRules, default_name_rules
from .rule_data import SavesRuleData

NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class CountryRuler(SavesRuleData):
    """Proposes a COUNTRY candidate for each country name in the text.

    Matching is on the exact spelling (plus an all-capitals form for datelines), so
    'turkey' the bird and 'china' the porcelain are not countries; the longest match
    wins later, so 'Papua New Guinea' is not 'Guinea' and 'Nigeria' is never 'Niger'.
    A country name inside a geographic name ('Lake Chad', 'South China Sea') is skipped.
    """

    RULE_FILES = ("countries.tsv", "country_aliases.tsv", "name_rules.json")

    def __init__(
        self,
        nlp: Language,
        name: str = "summit_country_ruler",
        table: CountryTable | None = None,
        rules: NameRules | None = None,
        *,
        data: RuleData | None = None,
    ) -> None:
        register_extensions()
        self.nlp, self.name = nlp, name
        self.rule_data = data if data is not None else load_rules()
        self.table = table or country_table(self.rule_data)
        self.rules = rules or default_name_rules(self.rule_data)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._names: dict[str, tuple[str, str, str]] = {}
        self._longest = 1  # tokens in the longest name: how far a folded word's window reaches
        for entry in self.table.names:
            for surface in {entry.name, entry.name.upper()}:
                key = f"{entry.country.id}|{entry.kind}"
                self._names.setdefault(key, (entry.country.id, entry.country.norm, entry.kind))
                pattern = nlp.make_doc(surface)
                self._longest = max(self._longest, len(pattern))
                self.matcher.add(key, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        found = self.candidates(doc)
        for match_id, start, end in self._matches(doc):
            country_id, norm, kind = self._names[doc.vocab.strings[match_id]]
            if self._in_geographic_name(doc, start, end) or before_foreign_subdivision(
                doc, end, country_id, self.table
            ):
                continue
            found.append(Candidate(start, end, "COUNTRY", country_id, norm, "country_ruler", kind, PRIORITY["country"]))
        return doc

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Matches on the text as written, plus matches on its accent-folded words, so that
        every accented spelling of a name in the table is found ("São Tomé and Príncipe",
        "Perú"); words fold one-to-one, so token indices are shared."""
        matches = list(self.matcher(doc))
        text = text_of(doc)
        if text.isascii():
            return matches
        seen = {(start, end) for _, start, end in matches}
        # A name found only once folded holds a word that folding changed, so only the
        # tokens within one name's length of such a word are folded and matched again:
        # folding a copy of the whole doc cost more than the rest of the ruler.
        for low, high in self._folded_windows(doc, text):
            tokens = doc[low:high]
            words = [fold_letters(token.text) for token in tokens]
            window = Doc(doc.vocab, words=words, spaces=[bool(token.whitespace_) for token in tokens])
            for match_id, start, end in self.matcher(window):
                if (start + low, end + low) not in seen:
                    seen.add((start + low, end + low))
                    matches.append((match_id, start + low, end + low))
        return matches

    def _folded_windows(self, doc: Doc, text: str) -> list[tuple[int, int]]:
        """Token ranges around every word that accent folding changes, overlapping ones merged."""
        windows: list[tuple[int, int]] = []
        for match in NON_ASCII.finditer(text):
            if fold_letters(match.group()) == match.group():
                continue  # a dash or a quotation mark: nothing to fold
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None:
                continue
            low, high = max(0, span.start - self._longest + 1), min(len(doc), span.end + self._longest - 1)
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], high))
            else:
                windows.append((low, high))
        return windows

    def _in_geographic_name(self, doc: Doc, start: int, end: int) -> bool:
        """'Lake Chad', 'South China Sea': a country name inside the name of a lake, sea or basin."""
        before = doc[start - 1].text if start > 0 else ""
        after = doc[end].text if end < len(doc) else ""
        return before in self.rules.geo_prefixes or after in self.rules.geo_suffixes


def before_foreign_subdivision(doc: Doc, end: int, country_id: str, table: CountryTable) -> bool:
    """'Jordan, Minnesota': a country's name followed by a state or province of another
    country names a town there, not the country."""
    if end + 1 >= len(doc) or doc[end].text != "," or not is_capitalised(doc[end + 1]):
        return False
    k = end + 1
    while k < len(doc) and k - end <= 4 and is_capitalised(doc[k]):
        k += 1
    name = doc[end + 1 : k].text
    owners = foreign_subdivisions().get(name)
    return bool(owners) and table.alpha_2(country_id) not in owners and table.lookup(name) is None


# `patterns`: a folder of the user's own pattern files added to the bundled ones (None: bundled only).
@Language.factory("summit_country_ruler", assigns=["doc._.summit_candidates"], default_config={"patterns": None})
def make_country_ruler(nlp: Language, name: str, patterns: str | None) -> CountryRuler:
    return CountryRuler(nlp, name, data=load_rules(patterns))
