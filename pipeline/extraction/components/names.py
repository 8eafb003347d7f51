"""Finding the extent of a capitalised multi-word name around a head word.

Organisation names ("Council of Foreign Ministers of the SCO") and document titles
("Cooperation Program to Counter Terrorism, Separatism, and Extremism for 2025-2027")
share one shape: capitalised words, lower-case connectors between them, hyphenated
compounds, and — for titles — enumerations, year qualifiers and a subtitle after a colon.
spaCy's Matcher finds the head words; the extent around them is a small scanner, because
a token pattern cannot say "an enumeration that closes with 'and'" or "stop at an 'and'
that starts a second name".
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.util import get_lang_class

from ...cleanup.steps import is_heading_shaped
from ...rules import RuleData, load_rules
from ..countries import CountryTable
from .candidates import POSSESSIVES, is_capitalised, opens_place_name, text_of

# Year ranges are written with any dash: hyphen, en dash, em dash, U+2212 MINUS SIGN.
DASHES = frozenset({"-", "–", "—", "−"})
YEAR = re.compile(r"^(?:\d{4}|\d{2,4}[-–—−]\d{2,4})$")
ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)$")
ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{1,3}|IX|X)$")


@dataclass(frozen=True)
class NameRules:
    org_heads: frozenset[str]
    document_heads: frozenset[str]  # single-word heads
    document_head_phrases: tuple[tuple[str, ...], ...]  # multi-word heads ("Road", "Map")
    name_connectors: frozenset[str]
    left_connectors: frozenset[str]
    year_connectors: frozenset[str]
    quote_cues: frozenset[str]
    lowercase_head_connectors: frozenset[str]
    not_name_starts: frozenset[str]
    not_names: frozenset[str]
    person_titles: frozenset[str]
    event_words: frozenset[str]
    place_connectors: frozenset[str]
    date_words: frozenset[str]
    venue_phrases: tuple[tuple[str, ...], ...]
    trailing_org_nouns: frozenset[str]
    weak_connectors: frozenset[str]
    geo_prefixes: frozenset[str]
    geo_suffixes: frozenset[str]
    actor_connectors: frozenset[str] = frozenset()
    tail_connectors: frozenset[str] = frozenset()
    headline_verbs: frozenset[str] = frozenset()
    not_entity_heads: frozenset[str] = frozenset()
    place_bound_heads: frozenset[str] = frozenset()
    possessive_nouns: frozenset[str] = frozenset()
    provision_words: frozenset[str] = frozenset()
    generic_modifiers: frozenset[str] = frozenset()
    body_heads: frozenset[str] = frozenset()  # case-folded: read by the canonical-id rules
    plural_heads: frozenset[str] = frozenset()  # the plurals made of single-word heads ("Agreements")

    def names_a_kind(self, tokens: Iterable[Token]) -> bool:
        """Type words and generic modifiers only: a kind of document, not a title ("a Joint Declaration", "the Final
        Communiqué", "a Memorandum of Understanding")."""
        kind_words = self.document_heads | self.generic_modifiers
        return all(t.text in kind_words or t.lower_ in ("of", "on") for t in tokens)

    @classmethod
    def load(cls, data: Mapping[str, tuple[str, ...]] | None = None) -> NameRules:
        """From the checked word lists of name_rules.json (default: the bundled ones)."""
        data = data if data is not None else load_rules().words("name_rules.json")
        try:
            plural_heads = plurals(data["document_heads"])
            heads = [*data["document_heads"], *plural_heads]
            # a head written with a straight apostrophe matches the typographic one too ("Chair’s Summary")
            heads += [h.replace("'", "’") for h in heads if "'" in h]
            return cls(
                org_heads=frozenset(data["org_heads"]),
                document_heads=frozenset(h for h in heads if " " not in h),
                document_head_phrases=tuple(tuple(h.split()) for h in heads if " " in h),
                name_connectors=frozenset(data["name_connectors"]),
                left_connectors=frozenset(data["left_connectors"]),
                year_connectors=frozenset(data["year_connectors"]),
                quote_cues=frozenset(data["quote_cues"]),
                lowercase_head_connectors=frozenset(data["lowercase_head_connectors"]),
                not_name_starts=frozenset(data["not_name_starts"]),
                not_names=frozenset(data["not_names"]),
                person_titles=frozenset(data["person_titles"]),
                event_words=frozenset(data["event_words"]),
                place_connectors=frozenset(data["place_connectors"]),
                date_words=frozenset(data["date_words"]),
                venue_phrases=tuple(tuple(p.split()) for p in data["venue_phrases"]),
                trailing_org_nouns=frozenset(data["trailing_org_nouns"]),
                weak_connectors=frozenset(data["weak_connectors"]),
                tail_connectors=frozenset(data["tail_connectors"]),
                geo_prefixes=frozenset(data["geo_prefixes"]),
                geo_suffixes=frozenset(data["geo_suffixes"]),
                actor_connectors=frozenset(data["actor_connectors"]),
                # A head word ("Pledge", "Compact") or an event's noun ("Meeting") is never taken for a verb.
                headline_verbs=frozenset(verb_forms(data["headline_verbs"]))
                - set(heads)
                - set(data["org_heads"])
                - set(data["event_words"]),
                not_entity_heads=frozenset(data["not_entity_heads"]),
                place_bound_heads=frozenset(data["place_bound_heads"]),
                possessive_nouns=frozenset(data["possessive_nouns"]),
                provision_words=frozenset(data["provision_words"]),
                generic_modifiers=frozenset(data["generic_modifiers"]),
                body_heads=frozenset(word.casefold() for word in data["body_heads"]),
                plural_heads=frozenset(plural_heads),
            )
        except KeyError as error:  # the loader checked the file against pipeline/rules.py
            raise KeyError(f"name_rules.json key {error.args[0]!r} is not declared in pipeline/rules.py") from error


def plurals(heads: Collection[str]) -> list[str]:
    """Plural type words make titles too ("Minsk Agreements", "Geneva Conventions"); heads
    that are plural already ("Principles") and phrases are left as they are."""
    found = []
    for head in heads:
        if " " in head or head.endswith("s"):
            continue
        if head.endswith("y") and head[-2:-1] not in set("aeiou"):
            found.append(head[:-1] + "ies")
        elif head.endswith(("x", "ch", "sh")):
            found.append(head + "es")
        else:
            found.append(head + "s")
    return found


def verb_forms(bases: Collection[str]) -> set[str]:
    """Every inflection of each base verb, capitalised as in a Title Case line: 'adopt' ->
    Adopt, Adopts, Adopted, Adopting; 'agree' -> Agrees, Agreed; 'rally' -> Rallies, Rallied."""
    forms: set[str] = set()
    for base in bases:
        base = base.lower()
        if base.endswith("e"):
            inflected = [base + "s", base + "d", base[:-1] + "ing"]
        elif base.endswith("y") and base[-2:-1] not in set("aeiou"):
            inflected = [base[:-1] + "ies", base[:-1] + "ied", base + "ing"]
        elif base.endswith(("s", "sh", "ch", "x", "z")):
            inflected = [base + "es", base + "ed", base + "ing"]
        else:
            inflected = [base + "s", base + "ed", base + "ing"]
            if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", base):  # one syllable, short vowel: "set", "stop"
                inflected += [base + base[-1] + "ed", base + base[-1] + "ing"]
        forms.update(word.capitalize() for word in [base, *inflected])
    return forms


@lru_cache(maxsize=8)
def _rules_of(data: RuleData) -> NameRules:
    return NameRules.load(data.words("name_rules.json"))


def default_name_rules(data: RuleData | None = None) -> NameRules:
    """The name rules of `data` (default: the bundled rules), built once per rule data."""
    return _rules_of(data if data is not None else load_rules())


def is_year(token: Token) -> bool:
    return bool(YEAR.match(token.text))


def joined(left: Token, right: Token) -> bool:
    """True when two adjacent tokens are written without a space between them."""
    return left.i + 1 == right.i and not left.whitespace_


def compound_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the hyphenated compound around token i ('Anti-Drug', 'Co-operation')."""
    start = end = i
    while (
        start >= 2
        and doc[start - 1].text in {"-", "–"}
        and joined(doc[start - 2], doc[start - 1])
        and joined(doc[start - 1], doc[start])
    ):
        start -= 2
    while (
        end + 2 < len(doc)
        and doc[end + 1].text in {"-", "–"}
        and joined(doc[end], doc[end + 1])
        and joined(doc[end + 1], doc[end + 2])
    ):
        end += 2
    return start, end + 1


def is_gerund(token: Token) -> bool:
    """A capitalised word in -ing: "Ending", "Investing"."""
    return token.text.endswith("ing") and token.text[:1].isupper() and token.text[1:].islower()


def bracketed_acronym(doc: Doc, i: int) -> bool:
    """Whether doc[i:i + 3] is an acronym in brackets: "(RATS)", "(AI)"."""
    if i < 0 or i + 2 >= len(doc) or doc[i].text != "(" or doc[i + 2].text != ")":
        return False
    word = doc[i + 1]
    return word.is_upper and sum(ch.isalpha() for ch in word.text) >= 2


# What goes on with a title after an acronym of its words: a complement of the title ("Board (LB) on Border Trade"),
# not a clause of the sentence ("the Outlook (AO) through dialogue").
TITLE_CONNECTORS_AFTER_ACRONYM = frozenset({"on", "of", "for", "and", "to", "between", "in"})

HEADLINE_VERBS_KEY = "summit_headline_verbs"


def is_name_word(doc: Doc, i: int) -> bool:
    """A capitalised word, or part of a hyphenated compound that starts with one.

    In a Title Case line capitals say nothing, so a verb there ends a name
    ("BRICS Leaders Adopt Kazan Declaration"): see `mark_headline_verbs`."""
    start, _ = compound_bounds(doc, i)
    if not is_capitalised(doc[start]) or doc[start].is_space:
        return False
    verbs = doc.user_data.get(HEADLINE_VERBS_KEY)
    return not verbs or start not in verbs


class NameScanner:
    """Extends a head word to the full capitalised name around it."""

    def __init__(
        self, rules: NameRules, stop_heads: Collection[str], countries: CountryTable, *, org_places: bool = False
    ) -> None:
        self.rules = rules
        # The owning component's country table: a country inside a name stays, a city ends it.
        self.countries = countries
        # Organisation names end where the place they sit in or the party they deal with begins.
        self.org_places = org_places
        # A connector followed by another name built on one of these heads starts a second name.
        self.stop_heads = frozenset(stop_heads)
        self._phrase_ends = frozenset(phrase[-1] for phrase in rules.document_head_phrases)

    def can_start(self, token: Token) -> bool:
        """Whether a name may begin with this token ("Five-Point Consensus" may, "The" may not)."""
        if compound_bounds(token.doc, token.i)[1] - token.i > 1 or opens_place_name(token.doc, token.i):
            return True
        return not (
            token.is_stop or token.text in self.rules.not_name_starts or token.text in POSSESSIVES or token.is_punct
        )

    def left_edge(self, doc: Doc, head_start: int, blocked: Collection[int] = (), *, title: bool = False) -> int:
        """First token of the name whose head starts at `head_start`.

        Capitalised words and single connectors between them extend the name leftwards; a
        capitalised stop word or sentence adverb at the far end is then dropped ("The", "Key").
        A title also keeps an acronym in brackets between its words ("Lake Artificial Intelligence (AI) Initiative").
        """
        start = head_start
        j = head_start - 1
        while j >= 0:
            if doc[j].text in self.rules.person_titles and doc[j + 1].text not in POSSESSIVES:
                break  # "European Commission President Jean-Claude Juncker and European Council"
            if is_name_word(doc, j) and doc[j].text not in POSSESSIVES:
                start = j = compound_bounds(doc, j)[0]
                j -= 1
                continue
            if title and doc[j].text == ")" and bracketed_acronym(doc, j - 2) and is_name_word(doc, j - 3):
                j -= 3
                continue
            if doc[j].text in {"'", "’"} and j >= 1 and joined(doc[j - 1], doc[j]) and doc[j - 1].text.endswith("s"):
                j -= 1  # a plural possessive inside the name: "New Delhi Leaders' Declaration"
                continue
            if doc[j].text in {"'s", "’s"} and j >= 1 and self._common_possessor(doc, j - 1, blocked):
                j -= 1  # "Brics Women's Business Alliance"; but "NATO's Military Committee" is two names
                continue
            if (
                doc[j].text in self.rules.left_connectors
                and j >= 1
                and is_name_word(doc, j - 1)
                and self.can_start(doc[compound_bounds(doc, j - 1)[0]])
                # a post or an event of the body: "Minister for [Lake Council]", "Session of [Lake Council]"
                and doc[j - 1].text not in self.rules.person_titles | self.rules.event_words
                and not (
                    doc[j].text == "and"
                    and (j - 1 in blocked or doc[j - 1].text in self.stop_heads or doc[j - 1].ent_type_ == "PERSON")
                )
                and not (doc[j].text in self.rules.place_connectors and self._is_date_or_place(doc[j + 1]))
            ):
                start = compound_bounds(doc, j - 1)[0]
                j = start - 1
                continue
            break
        while start < head_start and (not self.can_start(doc[start]) or doc[start].text in self.rules.left_connectors):
            start = compound_bounds(doc, start)[1]
        start = min(start, head_start)
        before, dates = doc[start - 1].text if start > 0 else "", self.rules.date_words
        if before.isdigit() and len(before) == 4 or title and ORDINAL.match(before):
            start -= 1  # a leading year or a title's ordinal: "2030 Agenda for ...", "12th Lake Summit Declaration"
            opening = doc[start - 2].text if start >= 2 else ""
            if before.isdigit() and doc[start - 1].text in {"-", "–", "—"} and opening.isdigit() and len(opening) == 4:
                start -= 2  # a leading range of years: "2031-2035 Action Plan"
            # "Lake Summit 2030 Leaders' Statement": a year that dates an event named in the title joins it; one after
            # an organisation's name does not ("NATO 2025 The Hague Summit Declaration").
            if (
                title
                and start > 0
                and doc[start - 1].text in self.rules.event_words
                and doc[start - 1].text not in dates
            ):
                return self.left_edge(doc, start, blocked, title=True)
        return start

    def _common_possessor(self, doc: Doc, i: int, blocked: Collection[int]) -> bool:
        """A capitalised common word before "'s" (Women's, Children's), not a name that owns
        what follows (NATO's, China's, Putin's). An office ("Chair's") is a common word whatever type the model
        gives it."""
        token = doc[i]
        if not is_name_word(doc, i) or i in blocked or token.is_upper:
            return False
        if token.ent_type_ and token.text not in self.rules.person_titles:
            return False
        return token.text.lower() in self.rules.possessive_nouns

    def _continuation_has_head(self, doc: Doc, k: int) -> bool:
        """Whether the run of name words starting at k contains a head word of its own."""
        while k < len(doc) and is_name_word(doc, k):
            compound_end = compound_bounds(doc, k)[1]
            if any(t.text in self.stop_heads for t in doc[k:compound_end]):
                return True
            k = compound_end
        return False

    def _connector_run(self, doc: Doc, k: int) -> int:
        """Index after a run of at most two connectors at k that is followed by a name word, else k.

        After "in", "at", "on" and the like, a date or a place ends the name instead.
        """
        m = k
        while m < len(doc) and m - k < 2 and doc[m].text in self.rules.name_connectors:
            m += 1
        if m == k or m >= len(doc):
            return k
        if not is_name_word(doc, m) and not (
            ORDINAL.match(doc[m].text) and m + 1 < len(doc) and is_name_word(doc, m + 1)
        ):
            return k
        if doc[k].text in self.rules.place_connectors and self._is_date_or_place(doc[m]):
            return k
        if doc[k].text == "as" and m == k + 1:
            return k  # "as an Epicentrum of Growth" is in a title; "as Brazil Returns" is a new clause
        if doc[m].text in self.rules.person_titles:
            return k  # "SCO Secretariat and Director ...": a person follows, not more of the name
        if doc[k].text in self.rules.place_connectors and self._names_an_event(doc, m):
            return k  # "Khankendi Declaration at First Summit"
        if doc[k].text in self.rules.place_connectors and self._modifies_common_noun(doc, m):
            return k  # "Lima Accord in the Peruvian capital"
        return m

    def _modifies_common_noun(self, doc: Doc, m: int) -> bool:
        """Whether the name words from m end in a nationality adjective that describes the
        lower-case word after it ("in the Peruvian capital"): a place phrase, not more of the name.
        The pipeline has no tagger, so the named-entity type NORP marks the adjective."""
        end = self._after_name_words(doc, m)
        if end <= m or end >= len(doc) or doc[end - 1].ent_type_ != "NORP":
            return False
        following = doc[end]
        return following.is_alpha and following.is_lower and not following.is_stop

    def _names_an_event(self, doc: Doc, m: int) -> bool:
        """Whether the name words from m end in an event word ("the 10th BRICS Summit")."""
        end = self._after_name_words(doc, m)
        return end > m and doc[end - 1].text in self.rules.event_words

    def _is_date_or_place(self, token: Token) -> bool:
        """A date, or a city or venue: where or when something happens, not part of its name.

        Countries and regions stay inside names: "European Union Mission in Armenia", "Code of
        Conduct in the South China Sea"; cities do not: "ASEAN Secretariat in Jakarta".
        """
        if token.text in self.rules.date_words or token.ent_type_ in {"DATE", "TIME"}:
            return True
        if token.ent_type_ == "FAC":
            return True
        if token.ent_type_ != "GPE" or token.nbor(-1).text == "on":  # "Statement on Ukraine"
            return False
        doc = token.doc
        start = end = token.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
            end += 1
        return self.countries.lookup(doc[start : end + 1].text) is None

    @staticmethod
    def _after_name_words(doc: Doc, m: int) -> int:
        """Index after the run of name words (compounds whole) starting at m."""
        while m < len(doc) and is_name_word(doc, m):
            m = compound_bounds(doc, m)[1]
        return m

    def _enumeration_end(self, doc: Doc, k: int) -> int:
        """At a comma after a name word: the end of ', X, and Y' if the list closes with and/or, else k."""
        m = k
        while m < len(doc) and doc[m].text == ",":
            m += 1
            closing = m < len(doc) and doc[m].text in {"and", "or"}  # ", and Extremism"
            if closing:
                m += 1
            if m >= len(doc) or not is_name_word(doc, m) or self._continuation_has_head(doc, m):
                return k
            m = self._after_name_words(doc, m)
            if closing:
                return m
            if m < len(doc) and doc[m].text in {"and", "or"}:  # "Separatism and Extremism"
                n = m + 1
                if n < len(doc) and doc[n].lower_ in {"their", "its"}:
                    n += 1  # "Narcotic Drugs, Psychotropic Substances and their Precursors"
                if n < len(doc) and is_name_word(doc, n):
                    return self._after_name_words(doc, n)
                return k
        return k

    def right_edge(
        self,
        doc: Doc,
        head_end: int,
        *,
        enumerations: bool = False,
        in_tail: bool = False,
        actors: Collection[int] = (),
        actor_ends: Collection[int] = (),
    ) -> int:
        """End (exclusive) of the name whose head ends at `head_end`; it ends at a name word.

        Right after the head only another head continues the name ("World Bank Group");
        once a connector has been passed ("Council of Foreign Ministers") any name word does.
        "between A and B" keeps its "and" ("Memorandum of Understanding between the SCO
        Secretariat and the ... Center"). `actors` are the first tokens of countries and
        organisations found in the text: "with", "at", "by" (and "in", "to" right after the
        head) before one of them say where or with whom, and end the name ("Astana
        Declaration in Kazakhstan", "Abraham Accords with Israel"). With `enumerations` (titles) the name
        also takes in lists ("Terrorism, Separatism, and Extremism") and goes on past an acronym in brackets.
        """
        end = head_end
        k = head_end
        between_open = False
        while k < len(doc):
            if k == end and ROMAN.match(doc[k].text):
                end = k = k + 1  # "ASEAN Concord IV"
                continue
            if is_name_word(doc, k):
                if self._starts_person(doc, k):
                    break  # "Directorate of Communications Director [Ali Veli]", "Union of Comoros H.E [Ali Veli]"
                if not in_tail and k == head_end and self._is_participle_complement(doc, k):
                    in_tail = True  # "Agreement Establishing the ...", "Interim Agreement Leading to ..."
                    end = k = k + 1
                    continue
                if not in_tail and self._is_capitalised_preposition(doc, k, actors):
                    in_tail = True  # Title Case keeps the complement: "Convention Against Trafficking"
                    k += 1
                    continue
                if not in_tail and not self._continuation_has_head(doc, k):
                    break
                end = k = compound_bounds(doc, k)[1]
                continue
            if in_tail and ORDINAL.match(doc[k].text) and k + 1 < len(doc) and is_name_word(doc, k + 1):
                k += 1  # "Declaration of the 11th Summit of ..."
                continue
            if in_tail and doc[k].text in {"'s", "’s"} and k + 1 < len(doc) and is_name_word(doc, k + 1):
                k += 1  # "... of the People's Republic of China", "Roadmap for Timor-Leste's Full Membership"
                continue
            if (
                enumerations
                and bracketed_acronym(doc, k)
                and k + 3 < len(doc)
                and doc[k + 3].lower_ in TITLE_CONNECTORS_AFTER_ACRONYM
                and self._connector_run(doc, k + 3) > k + 3
            ):
                k += 3  # a title goes on after an acronym of its words: "Report of the Lake Board (LB) on ..."
                continue
            after = self._connector_run(doc, k)
            if after > k:
                run = {t.text for t in doc[k:after]}
                if actors and not self.org_places and self._ends_at_actor(doc, k, after, actors, actor_ends, in_tail):
                    break
                if self.org_places and self._ends_at_seat(doc, head_end, k, after, actors):
                    break
                if run & self.rules.tail_connectors and not in_tail:
                    break  # "Movement through the crisis years": only a complement already begun goes on
                if "between" in run:
                    between_open = True
                elif "and" in run and (
                    (between_open and not self._continuation_has_document_head(doc, after))
                    or (k in actor_ends and after in actors)  # the parties: "of China and the Russian Federation"
                ):
                    between_open = False
                    in_tail = True
                    k = after
                    continue
                elif not run <= {"of", "the", "a", "an"}:
                    between_open = False  # "between A on cooperation ... and": the parties are complete
                if run == {"and"} and doc[after].text in self.rules.document_heads and not self.org_places:
                    in_tail = True  # one document under two heads: "Industrialisation Strategy and Roadmap 2015-2063"
                    k = after
                    continue
                if (
                    "and" in run
                    and not self._parallel_gerund(doc, head_end, after)
                    and (
                        after in actors  # "the European Union and Celac": a second organisation
                        or {"the", "a", "an"} & run
                        or self._continuation_has_head(doc, after)
                        or doc[after].ent_type_
                        in {"PERSON", "GPE", "NORP", "DATE"}  # "... of the OIC and Hissein Taha"
                    )
                ):
                    break
                if run & self.rules.weak_connectors and self._continuation_has_head(doc, after):
                    break
                in_tail = True
                k = after
                continue
            if enumerations and in_tail and doc[k].text == ",":
                after = self._enumeration_end(doc, k)
                if after == k and k in actor_ends:
                    after = self._party_list_end(doc, k, actors, actor_ends)
                if after > k:
                    end = k = after
                    continue
            break
        return end

    def _starts_person(self, doc: Doc, k: int) -> bool:
        """A person's title starts at k and a name the model tags PERSON (two words or more) follows it. Without the
        title, the model's PERSON inside a name is too often wrong ("Program to Counter Terrorism"). A form of
        address of two titles or more ("His Excellency", "Her Royal Highness") says a person follows by itself."""
        m = k
        while m < len(doc) and m - k < 4 and doc[m].text in self.rules.person_titles:
            m += 1
        if m - k >= 2 and m < len(doc) and is_name_word(doc, m):
            return True
        return (
            k < m
            and m + 1 < len(doc)
            and doc[m].ent_iob_ == "B"
            and doc[m].ent_type_ == "PERSON"
            and doc[m + 1].ent_iob_ == "I"
        )

    @staticmethod
    def _party_list_end(doc: Doc, k: int, actors: Collection[int], actor_ends: Collection[int]) -> int:
        """At a comma after a country or organisation in a title: the end of ', B, and the C' when
        every item is one ("Joint Statement from the Leaders of Australia, India, Japan, and the
        United States"), else k."""
        m = k
        while m < len(doc) and doc[m].text == ",":
            m += 1
            closing = m < len(doc) and doc[m].text in {"and", "or"}
            if closing:
                m += 1
            if m < len(doc) and doc[m].lower_ == "the":
                m += 1
            if m not in actors:
                return k
            m = next((e for e in range(m + 1, min(len(doc), m + 8) + 1) if e in actor_ends), None)
            if m is None:
                return k
            if closing:
                return m
        return k

    def _ends_at_seat(self, doc: Doc, head_end: int, k: int, after: int, actors: Collection[int]) -> bool:
        """For organisations: "at" always says where ("Operations Centre at SHAPE"), "in" + a
        place or a country too ("Secretariat in Jakarta"), unless the head is a body named for
        where it serves ("European Union Mission in Armenia"); from/with/by/to + a country or
        organisation says who ("took over the chair of the Union from Rwanda")."""
        first = doc[k].text
        if first == "at":
            return True
        if after not in actors and not (first == "in" and doc[after].ent_type_ in {"GPE", "LOC", "FAC"}):
            return False
        if first in {"in", "to"} and doc[head_end - 1].text in self.rules.place_bound_heads:
            return False  # "Special Monitoring Mission to Ukraine"
        return first in self.rules.actor_connectors

    def _continuation_has_document_head(self, doc: Doc, k: int) -> bool:
        while k < len(doc) and is_name_word(doc, k):
            compound_end = compound_bounds(doc, k)[1]
            if any(t.text in self.rules.document_heads for t in doc[k:compound_end]):
                return True
            k = compound_end
        return False

    @staticmethod
    def _parallel_gerund(doc: Doc, head_end: int, after: int) -> bool:
        """A gerund after "and" that answers a gerund earlier in the same complement continues the
        title ("Declaration on Ending Hunger and Building Trust"); a new name never starts with one, though
        the statistical model often reads such a capitalised gerund as a person."""
        return is_gerund(doc[after]) and any(is_gerund(t) for t in doc[head_end:after])

    def _is_capitalised_preposition(self, doc: Doc, k: int, actors: Collection[int]) -> bool:
        """A preposition written in Title Case inside a title, followed by more of the name and
        not by a place, date or party ("Pact Against Hunger"; not "Accord In Kigali")."""
        word = doc[k].text
        if word.islower() or word.lower() not in self.rules.name_connectors - {"the", "a", "an", "and"}:
            return False
        if k + 1 >= len(doc) or not is_name_word(doc, k + 1) or k + 1 in actors:
            return False
        return not self._is_date_or_place(doc[k + 1])

    def _is_participle_complement(self, doc: Doc, k: int) -> bool:
        """A capitalised participle right after a head, itself followed by more of the name:
        "Treaty Establishing the African Economic Community", "Protocol Amending the Charter"."""
        if not (is_gerund(doc[k]) and k + 1 < len(doc)):
            return False
        following = doc[k + 1]
        return following.text in self.rules.name_connectors or is_name_word(doc, k + 1)

    def _ends_at_actor(
        self, doc: Doc, k: int, after: int, actors: Collection[int], actor_ends: Collection[int], in_tail: bool
    ) -> bool:
        """Whether the connectors doc[k:after] lead to a place or actor outside the name."""
        first = doc[k].text
        if first not in self.rules.actor_connectors or after - k > 2:
            return False
        if after < len(doc) and ORDINAL.match(doc[after].text):
            after += 1  # "at the 10th BRICS summit"
        if after not in actors:
            return False
        # Complements of a complement keep their place or party: "Statement on the Situation in
        # Afghanistan", "Protocol on the Accession of Finland to the North Atlantic Treaty"; but a body's
        # seat is not part of it: "... on the Stay of the Lake Secretariat in Chad".
        if in_tail and first in {"in", "to"}:
            return first == "in" and k in actor_ends and doc[k - 1].text not in self.rules.place_bound_heads
        return True

    def year_qualifier_end(self, doc: Doc, end: int) -> int:
        """Extend over 'until 2035', 'for 2025-2027', '2022-2026', 'for the period up to 2030' after a title."""
        k = end
        while k < len(doc) and k - end < 4 and doc[k].text in self.rules.year_connectors:
            k += 1
        if k == end and k + 2 < len(doc) and doc[k].text == "(" and is_year(doc[k + 1]):
            close = k + 2  # "Action Plan for Innovation Cooperation (2017-2020)"
            if close + 1 < len(doc) and (doc[close].text in DASHES) and is_year(doc[close + 1]):
                close += 2
            else:
                return end  # one year in brackets dates the text ("Lumen Declaration (2000)"), it is no period
            return close + 1 if close < len(doc) and doc[close].text == ")" else end
        if k >= len(doc) or not is_year(doc[k]):
            return end
        k += 1
        if k + 1 < len(doc) and (doc[k].text in DASHES or doc[k].text == "to") and is_year(doc[k + 1]):
            k += 2
        return k

    def subtitle_end(self, doc: Doc, end: int) -> int:
        """Extend over ': Unity for a Sustainable Future' or ': The Africa We Want' after a title.

        A subtitle is a Title Case phrase to the end of its clause. After a colon in a bullet
        or a headline a sentence may start instead ("G20 New Delhi Declaration: Welcomes the
        African Union ...", "Charter of the Turkic World: Formalizing Turkic unity"): a first
        word followed by an article is a verb, and a lower-case content word right after the
        capitalised run shows the phrase goes on as a sentence.
        After a spaced dash only a second title or a gerund's phrase is a subtitle ("Lumen Declaration – Varno
        Agenda for Growth", "Progress Report – Investing in Schools"); anything else is an aside.
        """
        first = end + 1
        if first < len(doc) and doc[first].text in {"The", "A", "An"}:
            first += 1
        dash = end < len(doc) and doc[end].text in DASHES and doc[end - 1].whitespace_
        if not (end < len(doc) and (doc[end].text == ":" or dash) and first < len(doc) and is_name_word(doc, first)):
            return end
        if dash and not (is_gerund(doc[first]) or self._continuation_has_document_head(doc, first)):
            return end
        if first + 1 < len(doc) and doc[first + 1].lower_ in {"the", "a", "an"} and not doc[first].text.endswith("ing"):
            return end
        if doc[first].text in self.rules.headline_verbs and not doc[first].text.endswith("ing"):
            return end  # a finite verb opens a sentence; a gerund opens a subtitle ("Forging Ahead")
        sub_end = self.right_edge(doc, first, enumerations=True, in_tail=True)
        if sub_end < len(doc):
            following = doc[sub_end]
            # "...: Enhancing maritime trade", "...: Establishing a framework": one word, then the sentence goes on
            if following.is_alpha and following.is_lower and (not following.is_stop or sub_end == first + 1):
                return end
        return sub_end

    def is_venue(self, doc: Doc, start: int, end: int) -> bool:
        """Whether a name ends like a venue ("Sandton Convention Centre"): a place, not an organisation."""
        words = tuple(t.text for t in doc[start:end])
        return any(words[-len(phrase) :] == phrase for phrase in self.rules.venue_phrases)

    def kind_of(self, doc: Doc, start: int, end: int) -> str | None:
        """ORG or DOCUMENT by the name's own head, or None when it has none.

        The head is the last head word of the first connector-free run of words that has
        one: "Collective Security Treaty Organization" and "Sandton Convention Centre" are
        organisations, "SCO Heads of State Council" too; "Agreement on the Establishment of
        the International Organization ..." is a document.
        """
        kind = None
        for token in doc[start:end]:
            if token.text in self.rules.name_connectors:
                if kind is not None:
                    return kind
                continue
            if token.text in self.rules.org_heads:
                kind = "ORG"
            elif token.text in self.rules.document_heads or token.text in self._phrase_ends:
                kind = "DOCUMENT"
        return kind


HEADINGS_KEY = "summit_heading_lines"


LINE = re.compile(r"[^\n]+")


def heading_lines(doc: Doc) -> list[tuple[int, int]]:
    """Lines written in Title Case with no final punctuation and text after them: headings,
    where capitals say nothing about names ("Key Takeaways and Future Roadmap"). The line
    has the shape cleanup keeps as a heading paragraph (one rule: short, not a list item
    such as "- ..." or "1. ..."), and no comma (bylines, lists)."""
    cached = doc.user_data.get(HEADINGS_KEY)
    if cached is not None:
        return cached
    headings: list[tuple[int, int]] = []
    verbs = doc.user_data.get(HEADLINE_VERBS_KEY) or set()
    text = text_of(doc)
    # Lines are found and pre-filtered in the text itself: walking every token costs more
    # than all the rules together.
    for match in LINE.finditer(text):
        line = match.group().strip()
        if match.end() >= len(text.rstrip()) or not line or "," in line or not line[-1].isalnum():
            continue
        if len(line.split()) < 3 or not is_heading_shaped(line):
            continue
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        if not verbs.isdisjoint(range(span.start, span.end)):
            continue  # a headline that is a sentence ("BRICS Leaders Adopt Kazan Declaration") names things
        words = [t for t in span if t.is_alpha]
        if len(words) >= 3 and all(is_capitalised(t) for t in words if not t.is_stop):
            headings.append((span.start, span.end))
    doc.user_data[HEADINGS_KEY] = headings  # shared by the organisation and document rulers
    return headings


def inside_heading(headings: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) lies in a heading but is not the whole heading."""
    for line_start, line_end in headings:
        if line_start <= start and end <= line_end:
            return (start, end) != (line_start, line_end)
    return False


def has_name_evidence(doc: Doc, start: int, end: int, known: Collection[int] = ()) -> bool:
    """Whether a name found in a heading shows a proper name of its own: an acronym, a number,
    a country or organisation from the tables ("SCO Development Strategy", "G20 Roadmap"),
    unlike a heading's plain capitalised words ("Key Takeaways and Future Roadmap"). The
    model's entity types are no evidence here: on Title Case lines they are mostly wrong."""
    for token in doc[start:end]:
        if token.i in known or any(ch.isdigit() for ch in token.text):
            return True
        if token.is_upper and sum(ch.isalpha() for ch in token.text) >= 2:
            return True
    return False


TITLE_CASE_MIN_WORDS = 3
# What may stand around a word split at spaces: "(Adopt", "Declaration,", "“Charter”".
PUNCTUATION = string.punctuation + "‘’“”«»–—…"


@lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """The language's stop words, the list behind `Token.is_stop`."""
    return frozenset(get_lang_class(lang).Defaults.stop_words)


def has_lower_case_word(words: list[str], stops: Collection[str]) -> bool:
    """Whether a line, split at spaces, holds a word of letters only that starts in lower case
    and is not a stop word: such a line is not in Title Case whatever its tokens are."""
    for word in words:
        word = word.strip(PUNCTUATION)
        if word.isalpha() and word[0].islower() and word.lower() not in stops:
            return True
    return False


def mark_headline_verbs(doc: Doc, verbs: Collection[str]) -> None:
    """Record which tokens are verbs of a Title Case line (a headline, a bullet in Title Case),
    where capitals say nothing and a verb is where one name ends and the next begins."""
    if HEADLINE_VERBS_KEY in doc.user_data:
        return
    marked: set[int] = set()
    text = text_of(doc)
    for match in LINE.finditer(text):
        words = match.group().split()
        if len(words) < TITLE_CASE_MIN_WORDS or not any(word in verbs for word in words):
            continue  # the cheap tests in the text first: most lines hold no listed verb,
        if has_lower_case_word(words, stop_words(doc.lang_)):
            continue  # and a line of running text has a lower-case word that is not a stop word
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        alpha = [t for t in span if t.is_alpha and not t.is_stop]
        if len(alpha) >= TITLE_CASE_MIN_WORDS and all(is_capitalised(t) for t in alpha):
            marked.update(t.i for t in span if t.text in verbs)
    doc.user_data[HEADLINE_VERBS_KEY] = marked
