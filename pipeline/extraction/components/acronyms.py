"""Acronyms defined beside their expansions, and their later bare uses in the same article.

"Pakistan Research Center for a Community with Shared Future (PRCCSF)" gives two ORG
mentions with one id, PRCCSF; every later "PRCCSF" in that article is found too, even
where the statistical model misses it.

The long form is found with the Schwartz & Hearst (2003) matching of acronym letters to
the preceding words. It is written here rather than taken from scispacy's detector
because that package pins its own spaCy and model versions; the algorithm is short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ...rules import RuleData, load_rules
from ..organizations import OrganizationTable, organization_table
from .candidates import (
    ACRONYM_COMPONENT,
    PRIORITY,
    Candidate,
    is_capitalised,
    register_extensions,
    text_of,
    trim_span,
)
from .names import NameRules, default_name_rules
from .rule_data import SavesRuleData

PARENTHESIS = re.compile(r"\(([^()\n]{1,300})\)")
ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9&+\-]{1,11}$")
MAX_EXTRA_WORDS = 5


def long_form_start(acronym: str, words: list[str]) -> int | None:
    """Index of the first word of `words` that starts the acronym's long form, or None.

    Letters of the acronym are matched right to left against the characters of the
    words; the first letter must start a word.
    """
    text = " ".join(words)
    letters = [c.lower() for c in acronym if c.isalnum()]
    s_i, l_i = len(letters) - 1, len(text) - 1
    while s_i >= 0:
        char = letters[s_i]
        while l_i >= 0 and (text[l_i].lower() != char or (s_i == 0 and l_i > 0 and text[l_i - 1].isalnum())):
            l_i -= 1
        if l_i < 0:
            return None
        l_i -= 1
        s_i -= 1
    start_char = text.rfind(" ", 0, l_i + 1) + 1
    return text[:start_char].count(" ")


@dataclass(frozen=True, slots=True)
class Definition:
    id: str
    label: str
    norm: str


class AcronymLinker(SavesRuleData):
    """Links 'Long Form (ACR)' and 'ACR (Long Form)' pairs and finds later uses of ACR."""

    RULE_FILES = ("organizations.jsonl", "name_rules.json")

    def __init__(
        self,
        nlp: Language,
        name: str = "summit_acronym_linker",
        table: OrganizationTable | None = None,
        rules: NameRules | None = None,
        *,
        data: RuleData | None = None,
    ) -> None:
        register_extensions()
        self.nlp, self.name = nlp, name
        self.rule_data = data if data is not None else load_rules()
        self.table = table or organization_table(self.rule_data)
        self.rules = rules or default_name_rules(self.rule_data)

    def __call__(self, doc: Doc) -> Doc:
        # Parentheses and later uses are found in the text, then mapped to tokens: cheaper
        # than walking every token of every article.
        found = self.candidates(doc)
        definitions: dict[str, Definition] = {}
        text = text_of(doc)
        for match in PARENTHESIS.finditer(text):
            inner = doc.char_span(match.start(1), match.end(1))
            if inner is None or inner.start == 0 or doc[inner.start - 1].text != "(":
                continue
            open_i = inner.start - 1
            if len(inner) == 1 and ACRONYM.match(inner.text):
                self._long_then_short(doc, open_i, inner.start, found, definitions)
            elif len(inner) > 1 and open_i > 0 and ACRONYM.match(doc[open_i - 1].text):
                self._short_then_long(doc, open_i - 1, inner.start, inner.end, found, definitions)
        if definitions:
            defined_at = {(c.start, c.end) for c in found if c.component == ACRONYM_COMPONENT}
            uses = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, definitions)) + r")(?![\w-])")
            for match in uses.finditer(text):
                span = doc.char_span(match.start(), match.end())
                if span is None or len(span) != 1 or (span.start, span.end) in defined_at:
                    continue
                definition = definitions[match.group()]
                found.append(
                    Candidate(
                        span.start,
                        span.end,
                        definition.label,
                        definition.id,
                        definition.norm,
                        ACRONYM_COMPONENT,
                        "later-use",
                        PRIORITY["acronym"],
                    )
                )
        return doc

    def _label_for(self, found: list[Candidate], start: int, end: int) -> str | None:
        """ORG or DOCUMENT, from what other components proposed for the long form; None for countries."""
        for candidate in found:
            if candidate.start == start and candidate.end == end and candidate.label == "COUNTRY":
                return None
        ends_here = [c for c in found if c.end == end and c.start <= start + 1 and c.label in ("ORG", "DOCUMENT")]
        if ends_here:
            return max(ends_here, key=lambda c: (c.end - c.start, c.priority)).label
        return "ORG"

    def _define(self, doc, found, definitions, acronym_i, start, end, kind) -> None:
        label = self._label_for(found, start, end)
        last = doc[end - 1].text
        if label is None or last in self.rules.not_entity_heads or last in self.rules.event_words:
            return  # goals ("Sustainable Development Goals (SDGs)") and meetings ("... Meeting (CHOGM)") are neither
        acronym = doc[acronym_i].text
        norm = doc[start:end].text
        # A curated organisation keeps its table id, so "EEU" and "EAEU" articles agree.
        known = (self.table.lookup(norm) or self.table.lookup(acronym)) if label == "ORG" else None
        entity_id = known.id if known else acronym.upper()  # "AfCFTA" and "AFCFTA" are one id
        definitions.setdefault(acronym, Definition(entity_id, label, norm))
        provenance = (ACRONYM_COMPONENT, kind, PRIORITY["acronym"])
        found.append(Candidate(start, end, label, entity_id, norm, *provenance))
        found.append(Candidate(acronym_i, acronym_i + 1, label, entity_id, norm, *provenance))

    def _long_then_short(self, doc, open_i, acronym_i, found, definitions) -> None:
        acronym = doc[acronym_i].text
        window_start = open_i
        limit = min(len(acronym) + MAX_EXTRA_WORDS, 2 * len(acronym))
        words = 0
        while window_start > 0 and words < limit:
            token = doc[window_start - 1]
            if (
                token.is_space
                or (token.is_punct and token.text not in {"-", "'", "’", "&"})
                or "\n" in token.whitespace_
            ):
                break
            window_start -= 1
            words += 1
        tokens = list(doc[window_start:open_i])
        first = long_form_start(acronym, [t.text for t in tokens])
        if first is None:
            # An acronym of the name in another language ("Union of South American Nations
            # (UNASUR)"): its letters do not match, but a name the rulers found ends at the bracket.
            named = [c for c in found if c.end == open_i and c.label in ("ORG", "DOCUMENT") and c.start >= window_start]
            if not acronym.isupper() or not named:
                return
            first = min(c.start for c in named) - window_start
        start, end = trim_span(doc, tokens[first].i, open_i)
        if any(c.start <= start and c.end > acronym_i + 1 and not c.from_model for c in found):
            return  # words inside a longer name, not a name: "Lake Artificial Intelligence (AI) Initiative"
        if end > start and is_capitalised(doc[start]):
            self._define(doc, found, definitions, acronym_i, start, end, "long-form")

    def _short_then_long(self, doc, acronym_i, start, end, found, definitions) -> None:
        acronym = doc[acronym_i].text
        words = [t.text for t in doc[start:end]]
        if len(words) > min(len(acronym) + MAX_EXTRA_WORDS, 2 * len(acronym)) or any(
            t.is_punct and t.text != "-" for t in doc[start:end]
        ):
            return  # "BRICS (Belarus, Bolivia, Cuba, ...)" is a list, not an expansion
        if long_form_start(acronym, words) == 0 and is_capitalised(doc[start]):
            self._define(doc, found, definitions, acronym_i, start, end, "long-form")


# `patterns`: a folder of the user's own pattern files added to the bundled ones (None: bundled only).
@Language.factory("summit_acronym_linker", assigns=["doc._.summit_candidates"], default_config={"patterns": None})
def make_acronym_linker(nlp: Language, name: str, patterns: str | None) -> AcronymLinker:
    return AcronymLinker(nlp, name, data=load_rules(patterns))
