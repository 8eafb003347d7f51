"""Rules that read summit facts from the cleaned text and the entity spans already found in it.

The rules are hand-written because no library codes summit roles or document statuses. They work per
segment (a sentence, or a list introduced by a line ending in a colon together with its items): a role
trigger names every country of the enumeration right after it ("member states A, B and C") or right
before it ("A and B expressing interest in joining"); a status trigger names the documents after it up to
the next trigger, the documents right before it ("A and B were adopted"), and every item of a list it
introduces ("the following documents were signed: 1. A; 2. B").
"""

from __future__ import annotations

import bisect
import calendar
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from summit_extract.extraction.countries import fold_letters
from summit_extract.extraction.facts.patterns import STATUSES, FactPatterns, load_fact_patterns
from summit_extract.extraction.facts.structure import Parsed, StructureRoles, within
from summit_extract.extraction.organizations import default_organization_table
from summit_extract.records import most_reliable

# How far the rules look around a mention for its line or sentence: a line or a sentence of megabytes (text
# without a break) is read no further, so the facts rules stay linear in the text.
_NEAR = 2000
# How far from a title its lower-case description is looked for.
_WRITTEN_NEAR = 5000
# A full stop ends a sentence unless it closes a list number at the start of a line ("\n2. Plan").
# An initial or an abbreviated title ("H.E. Ali Veli", "Dr. Veli", "U.S. President") does not end one either.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\n\d\.)(?<!\n\d\d\.)(?<!\b[A-Z]\.)(?<!\b(?:Dr|Mr|Ms|St)\.)(?<!\bMrs\.)\s+(?=[A-Z\"“(•\-\d])|\n+"
)
_LIST_ITEM = re.compile(r"\s*(?:[-•*–]|\d{1,2}[.)])\s+")
# Lines of an unmarked list are short: a title, perhaps with a clause saying what it does.
_ITEM_WORDS = 30
_EDITION = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
_ROMAN = re.compile(r"\b([IVXL]{1,6})(?= (?:[A-Z][\w-]* ){0,4}(?:[Ss]ummit|[Mm]eeting|[Ss]ession))")
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}
# Ordinal words are few and closed, so a table is simpler than a number-words dependency.
ORDINAL_WORDS: dict[str, int] = (
    {w: i + 1 for i, w in enumerate(_UNITS)}
    | {w: i + 10 for i, w in enumerate(_TEENS)}
    | _TENTHS
    | {f"{t}-{u}": n + i + 1 for t, n in _TENS.items() for i, u in enumerate(_UNITS)}
)
_ORDINAL_WORD = re.compile(r"\b(" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH = "(" + "|".join(_MONTHS) + ")"
# "9–10 July 2015", "8 to 11 October 2024", "30 November and 1 December 2018", "on 14 June".
_DATE_RANGE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+"
    + _MONTH
    + r")?(?:\s*(?:[–-]|to|and)\s*(\d{1,2})(?:st|nd|rd|th)?)?\s+"
    + _MONTH
    + r"(?:,?\s+(\d{4}))?\b",
    re.IGNORECASE,
)
# The date line and dateline of a report sit in its first few hundred characters.
_OPENING = 600
_MONTH_FIRST = re.compile(
    r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*[–-]\s*(\d{1,2}))?(?:,\s*(\d{4}))?\b", re.IGNORECASE
)
# A date right after "City, " (or "City, Country, ") at the start of a line is the report's dateline.
_DATELINE_END = re.compile(r"(?:^|\n)[^\n]{0,35},\s*$")
_NOT_SUMMIT_DATE = re.compile(r"(?:published|updated|posted|issued|dated)\s+(?:on\s+)?$", re.IGNORECASE)
_PLACE = r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"
_SUMMIT_CITY = re.compile(
    r"\b(?:[Ss]ummits?|held|met|meeting|took place|convened|gathered|opened|opens|assembled|concludes|concluded|"
    r"closed|closes|ended|ends|began|begins) (?:was |were )?(?:held )?"
    r"[Ii]n (?:the (?:[\w-]+ ){0,3}?(?:city|capital) of )?" + _PLACE
)
# A report's own dateline at the start of a line (after the page's date, if any): a city in capitals
# ("VARNO, June 4", "VARNO —", "VARNO. AGENCY -"), or as written followed by a date or an agency ("Varno, 4 June",
# "Varno (Agency)").
_LINE_START = r"(?:^|\n)[ \t]*(?:(?:date\s+)?\d{4}-\d{2}-\d{2}\s+)?"
_DATELINE = re.compile(
    _LINE_START + r"([A-Z][A-Z'’-]{2,}(?: [A-Z][A-Z'’-]+){0,2})(?=\s*(?:,|\(|—|–|-\s|:|\.\s+[A-Z]{3,}\b))"
    r"|" + _LINE_START + r"([A-Z][a-z'’-]+(?: (?:(?:de|da|do|del|la|el|al|es|di) )?[A-Z][a-z'’-]+)?)"
    r"(?=,\s*(?:\d{1,2}\s|" + _MONTH.title() + r"\b)|\s*\()"
)
# "in X", "at the city of X", in a sentence about the meeting (also a headline's "In X"); "at the Hall, Villa, X":
# the name after a venue's names (the last word of each a venue word, checked in `_city_said`); "the capital, X,":
# where it meets.
_IN_PLACE = re.compile(
    r"\b(?:[Ii]n|[Aa]t)\s+(?:the\s+(?:[\w-]+\s+){0,3}?(?:city|capital|town|resort)\s+of\s+"
    r"|(?:the\s+)?(?P<venues>(?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*,\s+(?:(?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*,\s+)?))?$"
)
_CAPITAL_OF = re.compile(r"\b(?:city|capital),\s+$")
_PLACE_SUMMIT = re.compile(r"\s+(?:[A-Z][\w'’-]*\s+){0,2}(?:[Ss]ummit|SUMMIT)\b")
_MEETING_SENTENCE = re.compile(r"\b(?:summit|meeting|session|held|hosted|convened|gathered|met|meet)\b", re.IGNORECASE)
# A word that says a meeting is reported: "summit", "meeting", "session", or leaders who "met" or "convened".
_MEETING_AT = re.compile(r"\b(?:(?:summit|meeting|session)s?|met|convened|gathered)\b", re.IGNORECASE)
# Another edition: "the next summit", "last year", "the following summit" ("following" only as an adjective before
# a word for a meeting or a year: "Following the meeting", "Following Summit" and "the following documents" are
# about this one).
_OTHER_EDITION = re.compile(
    r"\b(?:next|previous|last|will be held|will host|upcoming|is due in|are due in)\b"
    r"|\b(?:the|its|their)\s+following\s+(?:[a-z-]+\s+)?(?:summit|meeting|session|year|edition|month|week)s?\b",
    re.IGNORECASE,
)
_CITY_COUNTRY = re.compile(r"\b(?:in|at) " + _PLACE + r",\s*(?:the capital of\s*)?$")
_DATELINE_COUNTRY = re.compile(r"(?:^|\n)[ \t]*(?:(?:date\s+)?\d{4}-\d{2}-\d{2}\s+)?" + _PLACE + r",\s*$")
# Words allowed between a country and a trigger that follows it, besides other countries of the list.
_LIST_GLUE = re.compile(
    r"^(?:[\s,;—–\-\"“”«»]|'s|’s|and|as|a|an|has|have|had|is|are|was|were|became|becoming|become|been|"
    r"expressing|expressed|the|its|their|which|who|others|attended|took over|takes over|take over|held|holds|hold|"
    r"assumed|formally|also|now|currently|enjoy|enjoys|newly|"
    r"full|being|rotating|current|in the exercise of|pro tempore|granted|given|among|one of|all|took part|takes part|"
    r"take part|attends|attend|largest|biggest|oldest|newest|founding|in the meeting|in the summit|in the talks|"
    r"the status of|status of|" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + r"|\d+(?:st|nd|rd|th))*$"
)
# "A became the tenth member", "B was admitted as a member": membership gained at this summit.
_BECAME = re.compile(
    r"\b(?:became|becomes|becoming|joined as|admitted as|accepted as|welcomed as)\s+(?:(?:the|a|an|its|full|new|"
    + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
    + r"|\d+(?:st|nd|rd|th))\s+)*$"
    # "granting A the status of a member state": the status is given at this summit
    r"|\bgrant(?:s|ed|ing)?\b[^.;]{0,40}\bstatus\s+of\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}$"
)
# "Ruritania: Proud host of ...": a headline's colon sets the country beside what it is called.
_HEADLINE_APPOSITION = re.compile(r"^:\s+(?:[a-z]+\s+)?$")
# "adopted at earlier summits", "signed last year": an act of another occasion, not this summit's.
_PAST_OCCASION = re.compile(
    r"[^.;]{0,20}\b(?:earlier|previous|past|last year|years ago|decades ago|at that (?:meeting|summit|session|time))\b",
    re.IGNORECASE,
)
# "agreed to send", "approved to launch": the trigger governs another verb, which governs the document.
_GOVERNS_INFINITIVE = re.compile(r"\s+to\s+(?!the\b|a\b|an\b|this\b|that\b|its\b|their\b)[a-z]+\b")
_INFINITIVE = re.compile(r"\bto\s+$", re.IGNORECASE)
# After a group's name, what spells its members out: "BRICS countries – ", "the Quad (", "BRICS: ".
_GROUP_SPELT_OUT = re.compile(
    r"(?:\s+(?:member\s+)?(?:countries|nations|states|economies|members))?\s*(?:[–—:(]|\s-)\s*(?:the\s+)?"
)
# A group that, as the subject, gathers its members: "the UAC groups A, B and C", "the UAC now includes A and B".
_GROUP_VERB = re.compile(
    r"\s+(?:now\s+|currently\s+)?(?:groups|unites|includes|comprises|gathers|brings\s+together)\s+(?:the\s+)?"
)
# An invitation in the active voice, followed by whom it invites: "invited the leaders of A", "invites A".
_ACTIVE_INVITATION = re.compile(
    r"(?i:invit(?:e|es|ed|ing))(?:\s+the\s+(?:leaders?|heads?|presidents?)\s+of)?\s+(?:the\s+)?[A-Z]"
)
_ANNIVERSARY_OF = re.compile(r"\banniversary\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# Between two items of one list of documents: punctuation, a list mark, "and", an article.
_LIST_GAP = re.compile(r"[\s,;:•*–—-]*(?:\d{1,2}[.)]\s*)?(?:(?:and|as well as)\s+)?(?:the\s+)?", re.IGNORECASE)
# A gap that opens with "and" (", and ...") starts a new conjunct: a trigger across it belongs to the other side
# ("A and others are members" closes the list instead).
_NEW_CONJUNCT = re.compile(r"^\s*,?\s*and\b(?!\s+others\b)")
# "hosted the next summit": the host of another meeting.
_NEXT_MEETING = re.compile(r"\s+(?:the\s+)?(?:next|following)\b")
_POSSESSED_PROPOSAL = re.compile(
    r"['’]s\s+(?:[\w-]+\s+){0,2}(?:proposal|initiative|idea|draft)\s+(?:for|on|of)\s+(?:(?:the|a|an)\s+)?"
)
_PREDICATE_VERB = re.compile(r"\b(?:is|are|was|were|became|becoming|become|expressing|expressed|has|have)\b")
# Words between two countries of one enumeration besides the countries (titles and names of leaders pass).
_ENUM_GAP_LIMIT = 70
# The kinds of text a summit issues in its own name; with the summit's city or "Summit" in the title it is
# this summit's outcome, adopted even where the article only mentions it (GUIDELINES 8.5).
_OUTCOME_KIND = re.compile(r"\b(?:declaration|communiqu[eé]|statement|summary)\b", re.IGNORECASE)
_SUMMIT_TITLE = re.compile(
    r"\b(?:summit|leaders['’]?)\s+(?:declaration|communiqu[eé]|statement)\b"
    # the chair's own text of the meeting: "Chair's Statement", "Chairman's Summary"
    r"|^(?:the\s+)?chair(?:man|person)?['’]s\s+(?:statement|summary)\b"
    # "Final Communiqué of the 41st Lake Summit", "Declaration of the Tenth Session of the Council"
    r"|\b(?:declaration|communiqu[eé]|statement)\s+of\s+the\s+(?:[\w'’-]+\s+){0,4}(?:summit|session|meeting)\b",
    re.IGNORECASE,
)
# Between "chaired by" / "the chairmanship of" and the country that holds it: titles and names of its leader,
# the verbs of a handover ("passed from", "handed it over to") and the year it is held for.
_HOLDER_GAP = re.compile(
    r"(?:[\s,:—–-]|\b(?:of|the|by|to|from|for|in|it|over|is|was|will|president|prime minister|king|emir|sultan|"
    r"his|her|pass|passes|passed|hand|hands|handed|handing|went|goes|and|now|has|had|on|meeting|summit|session|"
    r"organisation|organization|[a-z]+day)\b|\d{4}(?:[–-]\d{2,4})?|[A-Z][\w'.-]*)*"
)
# "summit held in the capital of A", "leaders meeting in B": the country the summit takes place in; not "the
# 42nd summit in C" (another edition) nor "elections held in D".
_MEETS_IN = (
    r"\b(?:[Ss]ummits?|SUMMIT|[Ss]ession|met|meeting|took place|takes place|convened|gathered)"
    # "the summit of Group of 20 leading economies in ...": a short "of" phrase naming it, without a topic ("on ...")
    r"(?:\s+of\s+(?:(?!(?:on|about|over|for|regarding|concerning)\b)[\w'’-]+\s+){0,4}[\w'’-]+)?"
    r"(?:\s+(?:was|were|is|are|will\s+be))?"
    r"(?:\s+(?:held|concluded|concludes|opened|opens|ended|ends|closed|closes|began|begins|convened|convenes))?"
    r"(?:\s+on\s+[A-Z]\w+)?"  # "concluded on Friday in ..."
    r"\s+in\s+"
)
_MET_IN = re.compile(r"(?<!\d(?:st|nd|rd|th) )" + _MEETS_IN + r"(?:the\s+(?:[a-z]+\s+)?(?:capital|city)\s+of\s+)?$")
# "in Kazakhstan's capital": the same, with the possessive after the country.
_IN_BEFORE = re.compile(_MEETS_IN + "$")
# "met in the Saudi city of ...", "held in the Belarusian capital, ...": the venue by its country's adjective.
_ADJECTIVE_VENUE = re.compile(_MEETS_IN + r"the\s+([A-Z][\w'’-]+)\s+(?:capital|city|town|resort)\b")
_CAPITAL_AFTER = re.compile(r"['’]s\s+(?:[a-z]+\s+)?(?:capital|city)\b")
# A country's possessive before its leader's title and name ("Samoa's Prime Minister Fiame Naomi").
_LEADER_OF = re.compile(
    r"(?:['’]s)?\s+(?:(?:[Pp]resident|[Pp]rime [Mm]inister|[Kk]ing|[Ee]mir|[Cc]hancellor|[Pp]remier|[Ss]ultan|"
    r"[Cc]rown [Pp]rince)\s+)?(?:[A-Z][\w'.-]*\s+){1,4}"
)
# After the countries an invitation names: what they are invited to is membership.
_TO_JOIN = re.compile(
    r"\s*,?\s*(?:to\s+(?:join|become|accede)|into\s+(?:the\s+)?(?:alliance|bloc|group|organi[sz]ation|union))\b", re.I
)
_CITY_IN_NAME = re.compile(r"\s+([A-Z][a-z][\w'’-]*(?:[ -][A-Z][a-z][\w'’-]*){0,2})\s+(?:[Ss]ummit|SUMMIT)\b")
_CALENDAR = frozenset([m.lower() for m in calendar.month_name if m] + [d.lower() for d in calendar.day_name])
# The chair as a leader's title, and what may stand between it and the leader's country.
_CHAIR_TITLE = re.compile(r"\b[Cc]hair(?:person|man|woman)?\s+of\b|\b[Cc]hair(?:person|man|woman)?\b(?=,)")
_CHAIR_OF_BODY = re.compile(r"\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}(?:Commission|Committee|Secretariat|Bank|Board)\b")
_LEADER_WORDS = r"(?:[Pp]resident|[Pp]rime\s+[Mm]inister|[Kk]ing|[Ee]mir|[Aa]mir|[Ss]ultan|[Hh]ead\s+of\s+[Ss]tate)"
_LEADER_BEFORE = re.compile(_LEADER_WORDS + r"\s+of\s+(?:the\s+)?$")
_CHAIR_AFTER_LEADER = re.compile(r"\s*,?\s*(?:and\s+)?(?:the\s+)?(?:(?:outgoing|incoming|new|current)\s+)?")
_CHAIR_BEFORE_LEADER = re.compile(
    r"[^.;]{0,40}?,\s+(?:(?:H\.\s?E\.?|His|Her|Excellency|Dr\.?|Mr\.?|Ms\.?)\s+)*(?:[A-Z][\w.'’-]*\s+){1,5}?"
    r"(?:[A-Z][\w.'’-]*)\s*,\s+" + _LEADER_WORDS + r"\s+of\s+(?:the\s+)?"
)
_HANDED_TO = re.compile(
    r"\b(?:chairmanship|presidency|chair)\b[^.;]{0,60}?\b(?:pass|passes|passed|go|goes|went|transfer|transfers|"
    r"transferred|hand|hands|handed)\s+(?:on\s+|over\s+)?to\s+(?:the\s+)?$"
    r"|\b(?:pass|passes|passed|hand|hands|handed|transfer|transfers|transferred)\s+(?:on\s+|over\s+)?(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:chairmanship|presidency|chair)\b[^.;]{0,50}?\bto\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# A past-tense verb between a trigger and a country; "-ed" words that qualify or introduce a list are left out.
_FINITE_VERB = re.compile(
    r"\b(?!(?:listed|named|called|united|represented|led|based|selected|included|comprised|numbered)\b)[a-z]{3,}ed\b"
)
_NEGATION = re.compile(r"\b(?:not|no longer|never|suspended|left|withdrew)\b")


class Span(Protocol):
    start: int
    end: int
    label: str
    id: str


@dataclass(frozen=True, slots=True)
class Written:
    """A document's title written again in lower case ("issued a joint statement on climate change"), which
    is no mention but may say what happened to it."""

    start: int
    end: int
    id: str
    label: str = "DOCUMENT"


@dataclass(frozen=True, slots=True)
class Place:
    """A place the model names that is not a country (a city, mostly), by its offsets in the text."""

    start: int
    end: int
    text: str


# Words for the meeting an organisation holds, right after its name ("SCO summit", "BRICS leaders",
# "ASEAN member states") or right before it ("summit of the SCO"): the organisation the article is about.
_MEETING_WORD = (
    r"(?:[Ss]ummits?|SUMMIT|[Mm]eetings?|[Ss]essions?|[Ll]eaders['’]?|[Hh]eads\s+of\s+[Ss]tate|[Mm]ember\s+[Ss]tates|"
    r"[Mm]ember\s+[Cc]ountries|[Ff]oreign\s+[Mm]inisters)"
)
_ORG_THEN_MEETING = re.compile(
    r"(?:['’]s)?\s+(?:(?:\d+(?:st|nd|rd|th)|[A-Z][\w-]*|\+)\s+){0,3}" + _MEETING_WORD + r"\b"
)
_MEETING_THEN_ORG = re.compile(_MEETING_WORD + r"\s+of\s+(?:the\s+)?(?:(?:[A-Z][\w-]*|of|and|the)\s+){0,8}$")
# An agency credit: "(Nordpress)" after a dateline's date or capitals, "Nordpress reports", "told Nordpress".
_CREDIT_OPEN = re.compile(r"(?:\d{1,2}|\b[A-Z]{3,})\s*[.,]?\s*\(\s*$")
_CREDIT_AFTER = re.compile(r"\s*(?:reports?|reported|correspondent|said in a statement)\b", re.IGNORECASE)
_CREDIT_BEFORE = re.compile(r"\b(?:told|according to|via|[Ss]ource:|[Pp]hoto:)\s+(?:the\s+)?$")


@lru_cache(maxsize=1)
def _patterns() -> FactPatterns:
    return load_fact_patterns()


def _list_item(text: str, start: int, end: int) -> str | None:
    """How text[start:end] is an item of a list a colon opened: "marked" (a list mark), "unmarked" (a whole line
    that ends in ";", "," or ":" or is one short clause starting with a capital, "Title: what it does.", as official
    lists of documents set them), or None."""
    if _LIST_ITEM.match(text, start):
        return "marked"
    whole_line = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
    line = text[start:end].strip()
    if not whole_line or not line:
        return None
    # an item that opens a list of its own ends in a colon: "Decision approving the following documents:"
    if line.endswith((";", ",", ":")) or (line[0].isupper() and len(line.split()) <= _ITEM_WORDS):
        return "unmarked"
    return None


def _segments(text: str) -> list[tuple[int, int]]:
    """Sentences, except that a line ending in a colon and the list items after it make one segment."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    bounds = [b for b in bounds if b[1] > b[0] and text[b[0] : b[1]].strip()]
    merged: list[tuple[int, int]] = []
    open_list = False
    marked: bool | None = None  # whether the open list's items carry marks; one list keeps one style
    for s, e in bounds:
        item = _list_item(text, s, e) if merged and open_list else None
        if item is not None and marked in (None, item == "marked"):
            marked = item == "marked"
            merged[-1] = (merged[-1][0], e)
            continue
        merged.append((s, e))
        open_list, marked = text[s:e].rstrip().endswith(":"), None
    return merged


@lru_cache(maxsize=64)
def _trigger_matcher(table: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every phrase of a trigger table, longest first, and each phrase's name
    (the first name that lists it). Compiled once: one regex per phrase and sentence cost more
    than the rest of the facts rules together."""
    names: dict[str, str] = {}
    for name, phrases in table:
        for phrase in phrases:
            names.setdefault(phrase, name)
    alternation = "|".join(re.escape(phrase) for phrase in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b" if names else r"(?!)"), names


def _triggers(text: str, start: int, end: int, table: dict[str, tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each trigger phrase in text[start:end], left to right; where two overlap,
    the one that starts first wins, and of two that start together, the longer."""
    pattern, names = _trigger_matcher(tuple(table.items()))
    return [
        (start + match.start(), start + match.end(), names[match.group()])
        for match in pattern.finditer(text[start:end].lower())
    ]


def _status_triggers(text: str, start: int, end: int, table: dict[str, tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """The status triggers of text[start:end] that can state what happened to a document at this summit: not a
    verb that governs another verb ("agreed to send the Protocol"), not an act whose anniversary is marked ("the
    10th anniversary of the adoption of the Pact": an earlier occasion). A verb's base form after "to" is an
    intention, planned ("expected to sign", "ready to adopt"), not the act."""
    return [
        (t[0], t[1], "planned")
        if _INFINITIVE.search(text, max(0, t[0] - 4), t[0]) and _base_form(text[t[0] : t[1]])
        else t
        for t in _triggers(text, start, end, table)
        if not _GOVERNS_INFINITIVE.match(text, t[1]) and not _ANNIVERSARY_OF.search(text, max(0, t[0] - 40), t[0])
    ]


def _base_form(phrase: str) -> bool:
    """A verb's base form among the triggers: one word without an inflection ("sign", "adopt", "issue")."""
    return " " not in phrase and not phrase.lower().endswith(("ed", "ing", "s", "ion", "al"))


def _start(span: Span) -> int:
    return span.start


def _without_spans(text: str, start: int, end: int, spans: Sequence[Span]) -> str:
    pieces, cursor = [], start
    for span in within(spans, start, end):
        if span.end <= end and span.start >= cursor:
            pieces.append(text[cursor : span.start])
            cursor = span.end
    pieces.append(text[cursor:end])
    return "".join(pieces).lower()


def _enumerations(text: str, items: Sequence[Span], triggers: list[tuple[int, int, str]]) -> list[list[Span]]:
    """Runs of spans listed together: gaps short once the spans are removed, no sentence stop, no trigger."""
    runs: list[list[Span]] = []
    for item in sorted(items, key=lambda s: s.start):
        if runs:
            last = runs[-1][-1]
            gap = text[last.end : item.start]
            crosses = any(last.end <= t[0] < item.start for t in triggers)
            if len(gap) <= _ENUM_GAP_LIMIT and not re.search(r"[.:!?]\s", gap) and not crosses:
                runs[-1].append(item)
                continue
        runs.append([item])
    return runs


def _trigger_after(text: str, run: Sequence[Span], triggers, others: Sequence[Span]):
    after = [t for t in triggers if t[0] >= run[-1].end]
    # "Thailand's Prime Minister Prayut chaired": the country's leader stands for it before the trigger.
    leader = _LEADER_OF.match(text, run[-1].end, after[0][0]) if after else None
    gap_start = leader.end() if leader else run[-1].end
    gap = _without_spans(text, gap_start, after[0][0], others) if after else ""
    # "A and, as an observer, B": a trigger after "and" opens the next conjunct, it is not said of A; "A invited B":
    # A invites, B is the guest.
    if (
        after
        and not _NEW_CONJUNCT.match(gap)
        and not _invites(text, after[0])
        and (_LIST_GLUE.match(gap) or _HEADLINE_APPOSITION.match(gap))
    ):
        return after[0]
    return None


def _trigger_before(text: str, run: Sequence[Span], triggers, others: Sequence[Span], limit: int = 60):
    before = [t for t in triggers if t[1] <= run[0].start]
    if before:
        gap = _without_spans(text, before[-1][1], run[0].start, others)
        # "A are observers, while B ...": a clause that "while" or "whereas" opens is out of the trigger's reach.
        if (
            len(gap) <= limit
            and not re.search(r"[.;]|\b(?:while|whereas)\b", gap)
            and not _predicate_of_earlier(text, before[-1], others)
        ):
            # "the presidency's agenda rests on ... which A joined": a chair or host needs the country (or its
            # leader) named right after the word, not anywhere in the clause that follows it.
            if before[-1][2] in ("chair", "host") and not _HOLDER_GAP.fullmatch(text[before[-1][1] : run[0].start]):
                return None
            # "member states condemned Israel's ...": a country after a verb of the trigger's subject is its object.
            if before[-1][2] == "member" and _FINITE_VERB.search(gap):
                return None
            return before[-1]
    return None


def _invites(text: str, trigger) -> bool:
    """A guest trigger in the active voice with its object after it ("A invited B", "A has invited the leaders of
    B"): the country before it is the one who invites, the one after it the guest."""
    return trigger[2] == "guest" and bool(
        _ACTIVE_INVITATION.match(text[trigger[0] : trigger[1]] + text[trigger[1] : trigger[1] + 40])
    )


def _predicate_of_earlier(text: str, trigger, others: Sequence[Span]) -> bool:
    """The trigger already says something of a span right before it ("A becoming a member and B ..."), unless it
    is an invitation, which says something of its object."""
    if _invites(text, trigger):
        return False
    earlier = [o for o in others if o.end <= trigger[0]]
    if not earlier:
        return False
    gap = _without_spans(text, earlier[-1].end, trigger[0], others)
    return bool(_LIST_GLUE.match(gap)) and bool(_PREDICATE_VERB.search(gap + text[trigger[0] : trigger[1]].lower()))


def _of_another_body(text: str, trigger, orgs: Sequence[Span], organization: str | None) -> bool:
    """ "chair of the African Union" at another body's summit: roles are relative to the summit's organisation."""
    following = within(orgs, trigger[1], trigger[1] + 21)
    return (
        bool(following)
        and following[0].id != organization
        # The trigger may end in "of" itself ("chair of").
        and bool(re.fullmatch(r"\s+(?:of\s+)?(?:the\s+)?", text[trigger[1] : following[0].start]))
    )


def _roles_in(
    text: str, start: int, end: int, countries: Sequence[Span], orgs: Sequence[Span], organization: str | None
) -> list[tuple[Span, str, tuple[int, int], str]]:
    """(country, role, the trigger's offsets, method) for every role a trigger gives a country of the segment: "list"
    where the trigger covers an enumeration of countries, "window" where it names one."""
    in_segment = within(countries, start, end)
    triggers = [
        t
        for t in _triggers(text, start, end, _patterns().roles)
        if not _of_another_body(text, t, orgs, organization)
        and not (t[2] == "host" and _NEXT_MEETING.match(text, t[1]))
    ]
    found: list[tuple[Span, str, tuple[int, int], str]] = []
    spelt = _members_in_apposition(text, start, end, in_segment, orgs, organization, triggers)
    spelt_out = {country.start for country, *_ in spelt}
    for run in _enumerations(text, in_segment, triggers):
        # A group's members spelt out after its name ("new members into the UAC (A, B)") are not what a trigger
        # before the name speaks of.
        before = None if run[0].start in spelt_out else _trigger_before(text, run, triggers, in_segment)
        # Organisation names between a country and its trigger pass too ("Japan, which holds the G7 presidency").
        after = _trigger_after(text, run, triggers, sorted([*in_segment, *within(orgs, start, end)], key=_start))
        # A trigger before the list covers it all; one after it then is an apposition of the last item only
        # ("members A, B and C as chair"), and covers the whole list when nothing precedes it.
        scoped = [(run, before)] if before else []
        if after:
            # A plural after the list ("... as partner countries") agrees with all of it.
            plural = len(run) > 1 and text[after[0] : after[1]].lower().endswith("s")
            scoped.append((run[-1:] if before and not plural else run, after))
        for items, trigger in scoped:
            # "not a member", "suspended": the trigger does not hold for this run.
            if _NEGATION.search(_without_spans(text, max(start, items[0].start - 30), trigger[1], in_segment)):
                continue
            role = trigger[2]
            if role == "member" and _BECAME.search(text[max(start, trigger[0] - 80) : trigger[0]].lower()):
                role = "new-member"
            if role == "guest" and trigger[1] <= items[0].start and _TO_JOIN.match(text, items[-1].end):
                role = "candidate"  # "invited A and B to join the bloc": invited to membership, not as guests
            method = "list" if len(items) > 1 else "window"
            found.extend((country, role, (trigger[0], trigger[1]), method) for country in items)
    return found + spelt


def _members_in_apposition(
    text: str,
    start: int,
    end: int,
    countries: Sequence[Span],
    orgs: Sequence[Span],
    organization: str | None,
    triggers: list[tuple[int, int, str]],
) -> list[tuple[Span, str, tuple[int, int], str]]:
    """The countries a group is spelt out as, after a dash, colon or bracket ("BRICS countries – A, B and C –",
    "the Quad (A, B, C and D)") or a verb of which it is the subject ("the UAC groups A, B and C"): its members
    (two countries at least, the list right after the mark)."""
    found: list[tuple[Span, str, tuple[int, int], str]] = []
    for org in within(orgs, start, end):
        # "the partner countries of BRICS (A, B)": the list is of the role the name completes, not of the group.
        of_role = any(re.fullmatch(r"\s+of\s+(?:the\s+)?", text[t[1] : org.start]) for t in triggers)
        mark = (
            _GROUP_SPELT_OUT.match(text, org.end) or _GROUP_VERB.match(text, org.end)
            if org.id == organization and not of_role
            else None
        )
        if mark is None:
            continue
        run = next((r for r in _enumerations(text, countries, triggers) if r[0].start == mark.end()), [])
        if len(run) > 1:
            found.extend((country, "member", (org.start, org.end), "list") for country in run)
    return found


def _chairs_by_title(text: str, start: int, end: int, countries: Sequence[Span]) -> list[tuple[Span, tuple[int, int]]]:
    """(country, offsets of the chair's title) where a country's leader is called the chair, in apposition:
    "President of A and Chair of the Union", "the Chairperson of the Union, H.E. N. N., President of B", or where
    the chairmanship passes to a country: "the presidency will pass to C", "hand over the chairmanship to D"."""
    found = []
    in_segment = within(countries, start, end)
    for title in _CHAIR_TITLE.finditer(text, start, end):
        if _CHAIR_OF_BODY.match(text, title.end()):
            continue  # "Chairperson of the Commission": the head of a body, not the chair of the meeting
        for country in in_segment:
            if country.end <= title.start():
                led = _LEADER_BEFORE.search(text, max(start, country.start - 40), country.start)
                if led and _CHAIR_AFTER_LEADER.fullmatch(text, country.end, title.start()):
                    found.append((country, title.span()))
            elif _CHAIR_BEFORE_LEADER.fullmatch(text, title.end(), country.start):
                found.append((country, title.span()))
    for country in in_segment:
        handed = _HANDED_TO.search(text, max(start, country.start - 120), country.start)
        if handed:
            found.append((country, handed.span()))
    return found


def _edition(text: str, summit_at: Sequence[int]) -> tuple[int, list[int]] | None:
    for s in summit_at:
        window_start = max(0, s - 80)
        candidates = []
        for m in _EDITION.finditer(text, window_start, s):
            candidates.append((m.start(), int(m.group(1)), [m.start(), m.end()]))
        for m in _ORDINAL_WORD.finditer(text, window_start, s):
            # "the first summit since ..." marks a novelty far more often than an edition number.
            if m.group(1).lower() == "first":
                continue
            candidates.append((m.start(), ORDINAL_WORDS[m.group(1).lower()], [m.start(), m.end()]))
        for m in _ROMAN.finditer(text, window_start, s + 60):
            value = _roman(m.group(1))
            if value and m.start() < s:
                candidates.append((m.start(), value, [m.start(), m.end()]))
        if candidates:
            # The ordinal nearest the word "summit" is its edition ("the 44th and 45th Summits" gives 44 first).
            near = [c for c in candidates if s - c[0] <= 40] or candidates
            best = min(near, key=lambda c: c[0]) if len(near) > 1 and _joint(text, near) else max(near)
            return best[1], best[2]
    return None


def _joint(text: str, candidates) -> bool:
    first, last = min(candidates)[2], max(candidates)[2]
    return bool(re.fullmatch(r"\s*(?:and|&|,)\s*", text[first[1] : last[0]]))


def _roman(numeral: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for i, ch in enumerate(numeral):
        value = values[ch]
        total += -value if i + 1 < len(numeral) and values[numeral[i + 1]] > value else value
    return total if total > 1 else None


def _as_written(name: str) -> str:
    """A dateline's capitals ("KAZAN") are typography: the city as the article writes it elsewhere is "Kazan"."""
    return name.title() if name.isupper() else name


def _credit(text: str, org: Span) -> bool:
    """A news agency's credit, byline or source line, not an actor of the report."""
    if default_organization_table().lookup(text[org.start : org.end]) is not None:
        if default_organization_table().lookup(text[org.start : org.end]).kind == "news-agency":
            return True
    # A credit's line is short: look no further than _NEAR characters either side (a line of megabytes is no
    # credit line, and reading it whole for every organisation would grow with the square of the text).
    line_start = _line_start(text, org.start)
    line_end = _line_end(text, org.end)
    alone = not re.search(r"\w", text[line_start : org.start] + text[org.end : line_end])
    return bool(
        _CREDIT_OPEN.search(text, line_start, org.start)
        or _CREDIT_AFTER.match(text, org.end)
        or _CREDIT_BEFORE.search(text, max(0, org.start - 20), org.start)
        or alone
    )


def _holds_meeting(text: str, org: Span) -> bool:
    return bool(
        _ORG_THEN_MEETING.match(text, org.end) or _MEETING_THEN_ORG.search(text, max(0, org.start - 120), org.start)
    )


_BODY_NAME = re.compile(r"\b(?:council|commission|committee|assembly|authority|conference)$")
_STATE_GROUPS = frozenset({"intergovernmental", "grouping"})


def _owner(text: str, body: Span, orgs: Sequence[Span]) -> Span | None:
    """The organisation a body belongs to: its id's prefix ("sco-heads-of-state-council"), or the
    organisation whose full name ends the body's name ("Authority of ... of the Economic Community of ...")."""
    name = text[body.start : body.end].lower()
    table = default_organization_table()
    for other in orgs:
        if other.id == body.id:
            continue
        if body.id.lower().startswith(other.id.lower() + "-"):
            return other
        known = table.lookup(text[other.start : other.end])
        names = {n.lower() for n in known.full_names()} | {a.lower() for a in known.acronyms} if known else set()
        if any(name.endswith(" " + n) for n in names):
            return other
    return None


def _most_named_owner(text: str, body: Span, orgs: Sequence[Span]) -> Span | None:
    """ "the Supreme Council" of a report on the Gulf Cooperation Council: a body the tables do not know, in an
    article that names one organisation of states more than any other, is that organisation's (a guess)."""
    name = text[body.start : body.end].lower()
    table = default_organization_table()
    if not _BODY_NAME.search(name) or table.lookup(text[body.start : body.end]) is not None:
        return None
    states = [o for o in orgs if (t := table.lookup(text[o.start : o.end])) and t.kind in _STATE_GROUPS]
    counts = Counter(o.id for o in states)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return next(o for o in states if o.id == ranked[0][0])


def _organization(text: str, orgs: Sequence[Span]) -> tuple[Span, str] | None:
    """The organisation the summit is of, and how it was found: the first one named beside a word for its meeting
    ("SCO summit", "summit of the SCO", "BRICS leaders": window), else the first one named that is not an agency's
    credit (default); a body of it stands for the organisation (a body no table knows, for the one most named:
    default)."""
    actors = [o for o in orgs if not _credit(text, o)]
    if not actors:
        return None
    meets = next((o for o in actors if _holds_meeting(text, o)), None)
    first, method = (meets, "window") if meets is not None else (actors[0], "default")
    owner = _owner(text, first, orgs)
    if owner is not None:
        return owner, method
    guessed = _most_named_owner(text, first, orgs)
    return (guessed, "default") if guessed is not None else (first, method)


def _summit(
    text: str, orgs: Sequence[Span], countries: Sequence[Span], places: Sequence[Place], published: str | None
) -> tuple[dict[str, Any] | None, list[list[int]]]:
    """The summit fields, and the evidence of its host country (empty when the text names none)."""
    summit_at = [m.start() for m in _MEETING_AT.finditer(text)]
    found = _organization(text, orgs)
    if not summit_at or found is None:
        return None, []
    organization, method = found
    summit: dict[str, Any] = {key: None for key in ("edition", "city", "country", "year", "start", "end")}
    summit["organization"] = organization.id
    # How each field was found (records.METHODS).
    found_by = summit["found_by"] = {"organization": method}
    evidence = [[organization.start, organization.end]]
    host_evidence: list[list[int]] = []
    edition = _edition(text, summit_at)
    if edition:
        summit["edition"] = edition[0]
        found_by["edition"] = "window"
        evidence.append(edition[1])
    country_names = {text[c.start : c.end].lower() for c in countries}
    for country in countries:
        before = text[max(0, country.start - 60) : country.start]
        city = _CITY_COUNTRY.search(before) or _DATELINE_COUNTRY.search(before)
        other = _OTHER_EDITION.search(text, _sentence_start(text, country.start), country.start)
        if city and city.group(1).lower() not in country_names and not other:
            summit["city"], summit["country"] = _as_written(city.group(1)), country.id
            found_by["city"] = found_by["country"] = "window" if city.re is _CITY_COUNTRY else "dateline"
            host_evidence = [[max(0, country.start - 60) + city.start(1), country.end]]
            evidence.extend(host_evidence)
            break
    dateline = _dateline_place(text, {place.start for place in places} | {country.start for country in countries})
    if summit["country"] is None and dateline is not None:
        # "VARNO, May 2 - Leaders gathered in Lumen": a country's dateline on a report of the meeting is its venue.
        named = next((c for c in countries if c.start == dateline[0]), None)
        if named is not None and _MEETING_AT.search(text, dateline[1], _sentence_end(text, dateline[1])):
            summit["country"], found_by["country"] = named.id, "dateline"
            host_evidence = [[named.start, named.end]]
            evidence.extend(host_evidence)
    if summit["city"] is None:
        city = _city(text, places, country_names, dateline, orgs) or _city_in_name(
            text, [o for o in orgs if o.id == organization.id], country_names
        )
        if city is not None:
            summit["city"], found_by["city"] = _as_written(text[city[0] : city[1]]), city[2]
            evidence.append([city[0], city[1]])
    year = _summit_year(text, summit_at, published)
    if year:
        summit["year"], found_by["year"] = year[0], year[2]
        if year[1]:
            evidence.append(year[1])
    dates = _dates(text, summit["year"])
    if dates:
        summit["start"], summit["end"], span = dates
        found_by["start"] = found_by["end"] = "window"
        evidence.append(span)
    summit["evidence"] = evidence
    return summit, host_evidence


def _dateline_place(text: str, places: set[int] | frozenset[int] = frozenset()) -> tuple[int, int] | None:
    """The offsets of the place that opens the report's own dateline, if it has one. A dateline as written (not
    in capitals) must be a place or a country the text names (`places`: their start offsets): "On Thursday, 23
    May" and "Meanwhile, 3 May" open no dateline."""
    for found in _DATELINE.finditer(text[:_OPENING]):
        group = 1 if found.group(1) else 2
        if found.group(group).lower() in _CALENDAR:  # a page's "Friday, June 14" is no place
            continue
        if group == 2 and found.start(2) not in places:
            continue
        return found.start(group), found.end(group)
    return None


def _city(
    text: str,
    places: Sequence[Place],
    country_names: set[str],
    dateline: tuple[int, int] | None,
    orgs: Sequence[Span] = (),
) -> tuple[int, int, str] | None:
    """Where the summit meets (offsets, method): a place the text says it is held or meets in ("summit in X", "held
    in Y": window), else the report's own dateline (unless it names a country; a report filed from elsewhere says
    where the summit is), else the first place the model names that a sentence about the meeting puts it in ("in
    the city of Y": window; "the X Summit": title), else a capitalised word there."""
    if dateline is not None and text[dateline[0] : dateline[1]].lower() not in country_names:
        # Only in the report's opening, which states its news (read no further than a little past it), and of the
        # meeting a sentence is first about: "the summit closed, a year after the summit in Lumen" is not.
        first = [
            m.span(1)
            for m in _SUMMIT_CITY.finditer(text, 0, _OPENING + 200)
            if m.start(1) < _OPENING
            and m.group(1).lower() not in country_names
            and _first_meeting_of_sentence(text, m.start(1))
        ]
        held = _city_said(text, first, places, orgs)
        if held is not None and text[held[0] : held[1]].lower() != text[slice(*dateline)].lower():
            return held
        return *dateline, "dateline"
    said = [(place.start, place.end) for place in places if place.text.lower() not in country_names]
    said += [m.span(1) for m in _SUMMIT_CITY.finditer(text) if m.group(1).lower() not in country_names]
    return _city_said(text, said, places, orgs)


def _first_meeting_of_sentence(text: str, at: int) -> bool:
    """Whether the place at `at` is said of the first meeting its sentence names ("the summit in Korva closed"),
    not of another one named after it ("the summit closed, a year after the summit in Lumen")."""
    first = _MEETING_AT.search(text, _sentence_start(text, at), at)
    return first is not None and at - first.end() <= 25


def _city_said(
    text: str, said: list[tuple[int, int]], places: Sequence[Place], orgs: Sequence[Span]
) -> tuple[int, int, str] | None:
    """The first of the `said` places that is where this meeting is, and the method (see `_city`)."""
    named = {p.start for p in places}
    for start, end in sorted(said, key=lambda span: (span[0], -span[1])):
        name = text[start:end]
        if name.lower() in _CALENDAR or name.split()[-1].lower() in _patterns().venue_words:
            continue  # "held in September", "met on Friday"; a venue: "at the Banquet Hall, Lumen" meets in Lumen
        if "\n" in name or re.search(r"['’]s\b", name):
            continue  # a name across lines, or an owner: "in Varno's Republic of North" names no city
        sentence = (_sentence_start(text, start), _sentence_end(text, end))
        opened = text[sentence[0] : start]
        if opened.count('"') % 2 or opened.count("“") > opened.count("”"):
            continue  # inside a quoted theme: "Investing in Youth"
        if any(o.start < end and start < o.end for o in within(orgs, start - 300, end)):
            continue  # an organisation is no place: "the Mercosur summit", "BRICS summit"
        if _OTHER_EDITION.search(text, *sentence):
            continue
        if start not in named:
            return start, end, "window"
        if _PLACE_SUMMIT.match(text, end):
            return start, end, "title"
        before = text[max(0, start - 80) : start]
        in_place = _IN_PLACE.search(before)
        if in_place and in_place.group("venues"):
            # "in Carbis Bay, Cornwall" names a place and its region: only a venue's names go before a city.
            names = [n.split()[-1].lower() for n in in_place.group("venues").split(",") if n.strip()]
            in_place = in_place if all(n in _patterns().venue_words for n in names) else None
        if (in_place or _CAPITAL_OF.search(before)) and _MEETING_SENTENCE.search(text, *sentence):
            return start, end, "window"
    return None


def _city_in_name(text: str, orgs: Sequence[Span], country_names: set[str]) -> tuple[int, int, str] | None:
    """The city the summit is named after, between its organisation and the word "Summit": "the G7 Hiroshima
    Summit", "BRICS Johannesburg Summit" (not a qualifier: "Extraordinary Summit", nor a country, a month or a
    day)."""
    skip = _patterns().not_city_words
    for org in orgs:
        named = _CITY_IN_NAME.match(text, org.end)
        if named is None or _OTHER_EDITION.search(text, _sentence_start(text, org.start), _sentence_end(text, org.end)):
            continue
        words = named.group(1)
        if words.lower() in country_names or any(w.lower() in skip or w.lower() in _CALENDAR for w in words.split()):
            continue
        return *named.span(1), "title"
    return None


def _segment_of(segments: Sequence[tuple[int, int]], at: int) -> tuple[int, int]:
    return _segment_at(segments, at, (at, at + 1))


def _segment_at(segments: Sequence[tuple[int, int]], at: int, default: tuple[int, int]) -> tuple[int, int]:
    """The segment (in text order) that holds offset `at`, found by bisection; `default` when none does."""
    index = bisect.bisect_right(segments, at, key=lambda segment: segment[0]) - 1
    return segments[index] if index >= 0 and segments[index][0] <= at < segments[index][1] else default


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding `at` starts, looked for no further back than _NEAR characters."""
    lo = max(0, at - _NEAR)
    found = max(text.rfind("\n", lo, at), text.rfind(". ", lo, at))
    return found + 1 if found >= 0 else lo


def _sentence_end(text: str, at: int) -> int:
    """Where the sentence holding `at` ends, looked for no further on than _NEAR characters."""
    hi = min(len(text), at + _NEAR)
    found = _SENTENCE_END.search(text, at, hi)
    return found.start() if found else hi


def _line_start(text: str, at: int) -> int:
    lo = max(0, at - _NEAR)
    found = text.rfind("\n", lo, at)
    return found + 1 if found >= 0 else lo


def _line_end(text: str, at: int) -> int:
    hi = min(len(text), at + _NEAR)
    found = text.find("\n", at, hi)
    return found if found >= 0 else hi


def _summit_year(text: str, summit_at: Sequence[int], published: str | None) -> tuple[int, list[int], str] | None:
    """The opening date line's year, else the one beside a word for the meeting ("Summit 2024"), else the year
    the report was published (a report on a summit is dated with it), else a full date's; with the method."""
    for m in _DATE_RANGE.finditer(text, 0, _OPENING):
        if m.group(5):
            return int(m.group(5)), [m.start(5), m.end(5)], "dateline"
    beside = [
        near
        for s in summit_at
        if (near := _YEAR.search(text, max(0, s - 12), s + 20))
        and not _OTHER_EDITION.search(text, _sentence_start(text, s), _sentence_end(text, s))
    ]
    if published:
        # A year beside a summit word that is before the report's year is an earlier edition ("since the 2008
        # summit"); the report dates the one it reports.
        beside = [near for near in beside if int(near.group(1)) >= int(published[:4]) - 1]
    if beside:
        return int(beside[0].group(1)), [beside[0].start(), beside[0].end()], "window"
    if published:
        return int(published[:4]), [], "dateline"
    first = summit_at[0]
    sentence_end = _SENTENCE_END.search(text, first)
    in_sentence = _YEAR.search(text, first, sentence_end.start() if sentence_end else len(text))
    if in_sentence:
        return int(in_sentence.group(1)), [in_sentence.start(), in_sentence.end()], "window"
    for m, group in _full_dates(text, 0, len(text)):
        if m.start() < _OPENING or not _NOT_SUMMIT_DATE.search(text[max(0, m.start() - 25) : m.start()]):
            method = "dateline" if m.start() < _OPENING else "window"
            return int(m.group(group)), [m.start(group), m.end(group)], method
    return None


def _full_dates(text: str, start: int, end: int) -> list[tuple[re.Match[str], int]]:
    """The dates with a year in text[start:end], day first ("10 October 2031") or month first ("October 10,
    2031"), in text order, each with the number of its year's group."""
    found = [(m, 5) for m in _DATE_RANGE.finditer(text, start, end) if m.group(5)]
    found += [(m, 4) for m in _MONTH_FIRST.finditer(text, start, end) if m.group(4)]
    return sorted(found, key=lambda item: item[0].start())


def _dates(text: str, year: int | None) -> tuple[str, str, list[int]] | None:
    """Start and end of the summit: the first date range, else the first single date that is not the report's
    own date (a publication line or a dateline), with the summit's year."""
    found: list[tuple[bool, int, str, str, list[int]]] = []
    for m in list(_DATE_RANGE.finditer(text)) + list(_MONTH_FIRST.finditer(text)):
        before = text[max(0, m.start() - 40) : m.start()]
        if _NOT_SUMMIT_DATE.search(before):
            continue
        if m.re is _DATE_RANGE:
            day1, month1, day2, month2, stated_year = m.groups()
        else:
            month2, day1, day2, stated_year = m.groups()
            month1 = None
        is_range = day2 is not None
        if not is_range and _DATELINE_END.search(before):
            continue
        y = int(stated_year) if stated_year else year
        if y is None or (year is not None and y != year):
            continue
        first_month, last_month = _MONTHS[(month1 or month2).lower()], _MONTHS[month2.lower()]
        try:
            calendar.weekday(y, first_month, int(day1))
            calendar.weekday(y, last_month, int(day2 or day1))
        except ValueError:
            continue
        start = f"{y:04d}-{first_month:02d}-{int(day1):02d}"
        end = f"{y:04d}-{last_month:02d}-{int(day2 or day1):02d}"
        found.append((not is_range, m.start(), start, end, [m.start(), m.end()]))
    if not found:
        return None
    _, _, start, end, span = min(found)
    return start, end, span


def _status_trigger(
    text: str, mention: Span, segment: tuple[int, int], triggers, documents: Sequence[Span], last: Span | None = None
):
    """The status trigger that governs a document mention (or a list from `mention` to `last`): the one right
    after it, else the nearest before it; and the method, "list" where it reaches the mention through a list."""
    after = _trigger_after(text, [last or mention], triggers, documents)
    if after is not None:
        return after, "window" if last in (None, mention) else "list"
    # A participle with its agent ("proposed by X", "signed by Y") belongs to the document before it only.
    before = [t for t in triggers if t[1] <= mention.start and not _has_agent_after(text, t, documents)]
    if not before:
        return None, "default"
    gap = _without_spans(text, before[-1][1], mention.start, documents)
    # "adopted the following documents: ..." scopes over everything the colon introduces in the segment; in
    # "documents adopted, endorsed or signed:" the first trigger of the introduction is its head.
    if re.match(r"^[^.;]{0,40}:", gap):
        return _introduction(text, before, text.find(":", before[-1][1])) or before[-1], "list"
    # An item of a list: a trigger on its own line governs it ("Decision approving the Plan;"), else the line
    # that opened the list ("The following documents were signed:"), however long the list.
    newline = text.rfind("\n", max(segment[0], mention.start - _NEAR), mention.start)
    line_start = newline + 1 if newline >= 0 else segment[0]
    if line_start > segment[0] and not any(t[0] >= line_start for t in before):
        colon = text.rfind(":\n", max(segment[0], line_start - _NEAR), line_start)
        if colon >= 0:
            return _introduction(text, before, colon), "list"
    return (before[-1], "window") if len(gap) <= 120 else (None, "default")


def _introduction(text: str, before, colon: int):
    """The trigger of the line that ends with the colon at `colon`, when it has one."""
    line_start = _line_start(text, colon)
    intro = [t for t in before if line_start <= t[0] and t[1] <= colon]
    if not intro:
        return None
    # "adopted and signed" states both (the strongest counts); "adopted or signed" leaves its head.
    conjoined = all(re.fullmatch(r"\s+and\s+", text[a[1] : b[0]]) for a, b in zip(intro, intro[1:]))
    return min(intro, key=lambda t: STATUSES.index(t[2])) if conjoined else intro[0]


def _has_agent_after(text: str, trigger, documents: Sequence[Span]) -> bool:
    """ "A, proposed by X": the participle with its agent follows a document and belongs to it."""
    after_document = any(0 <= trigger[0] - d.end <= 3 for d in within(documents, trigger[0] - 1000, trigger[0]))
    return after_document and bool(re.match(r"\s+by\b", text[trigger[1] :]))


def _earlier_year(text: str, segment: tuple[int, int], year: int | None, titles: Sequence[Span] = ()) -> bool:
    """The segment dates what it reports before the summit's year ("signed in 1949"): not this summit's act. A
    year inside one of `titles` dates no act ("the Programme for 2030-2032")."""
    return year is not None and any(
        int(m.group(1)) < year
        and not any(t.start <= m.start() < t.end for t in within(titles, m.start() - _NEAR, m.end()))
        for m in _YEAR.finditer(text, segment[0], segment[1])
    )


def _clause(text: str, trigger, mention: Span) -> tuple[int, int]:
    """The text from the trigger to a little past the mention, on one line: where a date of the act would be."""
    start, end = min(trigger[0], mention.start), max(trigger[1], mention.end) + 40
    newline_before = text.rfind("\n", start, mention.start)
    start = max(start, newline_before + 1) if newline_before != -1 else start
    newline_after = text.find("\n", mention.end, end)
    return start, newline_after if newline_after != -1 else min(end, len(text))


def _document_row(
    text: str,
    doc_id: str,
    mentions: Sequence[Span],
    actors: Sequence[Span],
    documents: Sequence[Span],
    segments,
    year: int | None,
    structure: StructureRoles | None = None,
    parsed: dict[tuple[int, int], Parsed] | None = None,
    dated: bool = True,
) -> dict[str, Any]:
    """The status and proposer of one document; `year`: the summit's (`dated`), or else the latest year the text
    names."""
    patterns = _patterns()
    status, proposer, evidence = "mentioned", None, []
    # "mentioned" is what is left when nothing says more: the default.
    found_by = {"status": "default"}
    for mention in [*mentions, *_written_again(text, mentions, documents)]:
        # An item of a list of documents has the status of the list's first item ("approving A, B and C").
        head, last = _list_head(text, mention, documents), _list_last(text, mention, documents)
        segment = _segment_at(segments, head.start, (head.start, head.end))
        triggers = _status_triggers(text, *segment, patterns.statuses)
        trigger, method = _status_trigger(text, head, segment, triggers, documents, last)
        if head is not mention:
            method = "list"
        # In a parsed sentence the verb that governs the document decides ("approving the draft Plan": adopted).
        governed = None
        # An item on a line of its own in a list a colon opened: the list is the structure, not a parse across lines.
        item = text.rfind("\n", max(segment[0], head.start - _NEAR), head.start) >= 0
        if structure is not None and parsed and segment in parsed and not item:
            governed = structure.status(parsed[segment], head.start, head.end)
        if governed is not None:
            trigger, method = (*governed[1], governed[0]), "structure"
        if trigger:
            # With the summit's year, any earlier year in the clause dates the act before it; without it (`year` is
            # then the latest year the text names), only a year right after the trigger does ("signed in Lumen in
            # 1992", not "adopted the Plan, which covers the years 2024 to 2033").
            clause = _clause(text, trigger, mention) if dated else (trigger[1], trigger[1] + 30)
            if _earlier_year(text, clause, year, documents) or _PAST_OCCASION.match(text, trigger[1]):
                trigger = None
        if trigger and STATUSES.index(trigger[2]) < STATUSES.index(status):
            status, evidence = trigger[2], [[trigger[0], trigger[1]], [mention.start, mention.end]]
            found_by["status"] = method
        for t_start, t_end, _ in _triggers(text, *segment, {"by": patterns.proposer}):
            after = list(within(actors, t_end, t_end + 6))
            # "the X initiative proposed by Y": the proposer belongs to the document right before the trigger only.
            if after and proposer is None and 0 <= t_start - mention.end <= 5:
                proposer, found_by["proposer"] = after[0].id, "window"
                evidence.append([t_start, after[0].end])
        possessive = [
            a
            for a in within(actors, mention.start - 200, mention.start)
            if 0 <= mention.start - a.end <= 6 and re.match(r"['’]s\s", text[a.end : mention.start])
        ]
        if (
            proposer is None
            and possessive
            and re.search(r"\b(?:initiative|proposal|plan)\b", text[mention.start : mention.end].lower())
        ):
            proposer, found_by["proposer"] = possessive[-1].id, "window"
            evidence.append([possessive[-1].start, mention.end])
        # "Ruritania's long-standing proposal for a Trade Roadmap": the possessor of the proposal proposes it.
        proposal = [
            a
            for a in within(actors, mention.start - 300, mention.start)
            if 0 <= mention.start - a.end <= 60 and _POSSESSED_PROPOSAL.fullmatch(text[a.end : mention.start])
        ]
        if proposer is None and proposal:
            proposer, found_by["proposer"] = proposal[-1].id, "window"
            evidence.append([proposal[-1].start, mention.end])
    return {"id": doc_id, "status": status, "proposer": proposer, "evidence": evidence, "found_by": found_by}


def _written_again(text: str, mentions: Sequence[Span], documents: Sequence[Span]) -> list[Written]:
    """The places a title of three words or more is written again, in other case, outside every mention, within
    a few paragraphs of one (a search of the whole text for every title would grow with the square of it)."""
    found = []
    for mention in mentions:
        title = text[mention.start : mention.end]
        if len(title.split()) < 3:
            continue
        pattern = re.compile(re.escape(title), re.IGNORECASE)
        for match in pattern.finditer(text, max(0, mention.start - _WRITTEN_NEAR), mention.end + _WRITTEN_NEAR):
            nearby = within(documents, match.start() - 1000, match.end())
            if match.group() != title and not any(d.start < match.end() and match.start() < d.end for d in nearby):
                found.append(Written(match.start(), match.end(), mentions[0].id))
    return found


def _list_head(text: str, mention: Span, documents: Sequence[Span]) -> Span:
    """The first document of the list `mention` is an item of (itself when it follows no other document with only
    a list's punctuation, "and" or an article between)."""
    head = mention
    while True:
        before = [d for d in within(documents, head.start - 300, head.start) if d.end <= head.start]
        if not before or not _LIST_GAP.fullmatch(text, before[-1].end, head.start):
            return head
        head = before[-1]


def _list_last(text: str, mention: Span, documents: Sequence[Span]) -> Span:
    """The last document of the list `mention` is an item of: what is said after the list is said of all of it
    ("A and B are expected to be signed")."""
    last = mention
    while True:
        after = [d for d in within(documents, last.end, last.end + 300) if d.start >= last.end]
        if not after or not _LIST_GAP.fullmatch(text, last.end, after[0].start):
            return last
        last = after[0]


def _own_outcome(text: str, mentions: Sequence[Span], summit: dict[str, Any] | None) -> bool:
    """A declaration, communiqué or statement titled after this summit (its city, or "Summit"/"Leaders'"), and
    not dated to an earlier year: the summit's own text."""
    if summit is None:
        return False
    city = (summit.get("city") or "").lower()
    for mention in mentions:
        title = text[mention.start : mention.end]
        if not _OUTCOME_KIND.search(title) or _earlier_year(text, (mention.start, mention.end), summit["year"]):
            continue
        edition = _EDITION.search(title)
        if edition and summit["edition"] and int(edition.group(1)) != summit["edition"]:
            continue  # titled after another edition
        if _SUMMIT_TITLE.search(title) or (city and city in title.lower()):
            return True
    return False


_ID_FILLER = frozenset({"the", "a", "an", "of", "on", "for", "and", "in", "to"})


def _id_words(doc_id: str) -> frozenset[str]:
    return frozenset(w for w in doc_id.lower().split("-") if w not in _ID_FILLER)


def _same_document(a: str, b: str) -> bool:
    """Two ids of one document (GUIDELINES 8.5): a short title whose words all recur in the long one, which adds a
    word or two ("Strategic Concept", "2022 Strategic Concept"), or an acronym of the long title's words ("CCIT")."""
    short, long = sorted((a, b), key=len)
    if short.isupper() and "-" not in short:
        initials = "".join(w[0] for w in long.lower().split("-") if w and w not in _ID_FILLER)
        return short.lower() == initials
    words, long_words = _id_words(short), _id_words(long)
    # Few words more: "ASEAN Declaration" is not a short form of "ASEAN Declaration on Culture of Prevention".
    return len(words) >= 2 and words <= long_words and len(long_words - words) <= 2


def _share_statuses(rows: list[dict[str, Any]]) -> None:
    """Rows of one document carry the strongest status any of them has."""
    for row in rows:
        for other in rows:
            if STATUSES.index(other["status"]) < STATUSES.index(row["status"]) and _same_document(
                row["id"], other["id"]
            ):
                row["status"], row["found_by"]["status"] = other["status"], other["found_by"]["status"]


def _venue_country(text: str, countries: Sequence[Span]) -> tuple[Span, str] | None:
    """The first country the meeting is said to take place in, and how it was found: "held in the capital of A",
    "meeting in B", "in C's capital" (window), "met in the D-ian capital" (D named in the text: default, a guess
    from an adjective)."""
    for country in countries:
        before = text[max(0, country.start - 60) : country.start]
        if _OTHER_EDITION.search(text, _sentence_start(text, country.start), country.start):
            continue
        if _MET_IN.search(before) or (_IN_BEFORE.search(before) and _CAPITAL_AFTER.match(text, country.end)):
            return country, "window"
    for match in _ADJECTIVE_VENUE.finditer(text):
        if not _OTHER_EDITION.search(text, _sentence_start(text, match.start()), match.start()):
            named = _country_of_adjective(text, match.group(1), countries)
            if named is not None:
                return named, "default"
    return None


def _country_of_adjective(text: str, adjective: str, countries: Sequence[Span]) -> Span | None:
    """The country named in the text that a nationality adjective stands for: the one whose name shares the
    longest beginning with it, four letters or more ("Saudi" Saudi Arabia, "Belarusian" Belarus, "Chinese"
    China), when no other shares as much. A country the text does not name is not guessed (GUIDELINES 8.5)."""
    word = fold_letters(adjective).lower()
    best: list[Span] = []
    longest = 3
    for country in countries:
        name = fold_letters(text[country.start : country.end]).lower()
        shared = len(os.path.commonprefix([word, name]))
        if shared < max(4, min(len(word), len(name)) - 2) or shared < longest:
            continue
        if shared > longest:
            best, longest = [], shared
        if all(c.id != country.id for c in best):
            best.append(country)
    return best[0] if len(best) == 1 else None


def sentences_to_parse(text: str, spans: Sequence[Span], structure: StructureRoles) -> list[str]:
    """The sentences of `text` whose structure `extract_facts` reads, for a caller that parses those of many
    articles in one call (`StructureRoles.parse_ahead`)."""
    spans = sorted(spans, key=_start)
    countries, documents = [s for s in spans if s.label == "COUNTRY"], [s for s in spans if s.label == "DOCUMENT"]
    return [text[s:e] for s, e in structure.chosen(text, _segments(text), countries, documents)]


def extract_facts(
    text: str,
    spans: Sequence[Span],
    *,
    places: Sequence[Place] = (),
    published: str | None = None,
    structure: StructureRoles | None = None,
) -> dict[str, Any]:
    """The `facts` of one record: summit, participants with roles, documents with status and proposer.

    `places`: the places the model names that are not countries (where the summit meets is read from
    them); `published`: the report's date (ISO), which dates the summit it reports when nothing else does;
    `structure`: roles read from the parse of the sentences that may state them, beside the window rules.
    """
    spans = sorted(spans, key=_start)  # the rules find spans by bisection
    countries = [s for s in spans if s.label == "COUNTRY"]
    orgs = [s for s in spans if s.label == "ORG"]
    summit, host_evidence = _summit(text, orgs, countries, places, published)
    segments = _segments(text)
    documents = [s for s in spans if s.label == "DOCUMENT"]
    parsed = structure.parse_segments(text, segments, countries, documents) if structure is not None else {}
    # What dates an act as earlier: the summit's year, or when the text gives none, the latest year it names
    # outside the titles ("signed in 1992" or "joined in 2017" in a report that speaks of 2023 is no act of this
    # summit; "Strategy until 2030" says nothing of now).
    now = (summit or {}).get("year") or max(
        (int(m.group(1)) for m in _YEAR.finditer(text) if not any(d.start <= m.start() < d.end for d in documents)),
        default=None,
    )
    roles: dict[str, dict[str, Any]] = {}
    if summit is not None:
        found = [
            (country, role, (start, end), trigger, method)
            for start, end in segments
            for country, role, trigger, method in _roles_in(text, start, end, countries, orgs, summit["organization"])
        ]
        found += [
            (country, "chair", (start, end), trigger, "window")
            for start, end in segments
            for country, trigger in _chairs_by_title(text, start, end, countries)
        ]
        if structure is not None:
            # In a parsed sentence a host or a chair needs the country near its word in the tree: "hosted by A,
            # brought together B and C" makes A the host, not B and C.
            found = [
                item
                for item in found
                if item[1] not in ("host", "chair")
                or item[2] not in parsed
                or parsed[item[2]].close(item[0].start, item[3][0])
            ]
            for country, role, _ in structure.roles(text, parsed, countries, orgs):
                segment = _segment_of(segments, country.start)
                found.append((country, role, segment, (country.start, country.end), "structure"))
        for country, role, (start, end), trigger, method in found:
            # "the next summit will be hosted by A": the host of another meeting.
            if role == "host" and _OTHER_EDITION.search(text, start, end):
                continue
            # A year dates the joining in its sentence up to a little past the trigger ("In 2017 A joined", "A
            # joined in 2017"), not one further on ("... since the bloc was set up in 2001").
            earlier = _earlier_year(text, (start, min(end, max(trigger[1], country.end) + 40)), now, documents)
            if role == "new-member" and earlier:
                # "A became a full member in 2017", reported at a later summit: a member, not a new one.
                role = "member"
            row = roles.setdefault(country.id, {"id": country.id, "roles": [], "evidence": [], "found_by": {}})
            for r in ["member", role] if role == "new-member" else [role]:
                if r not in row["roles"]:
                    row["roles"].append(r)
                # A role found more than one way is found by the most reliable of them.
                row["found_by"][r] = most_reliable([method, row["found_by"].get(r, method)])
            row["evidence"].append([country.start, country.end])
        hosts = [row["id"] for row in roles.values() if "host" in row["roles"]]
        if summit["country"] is None and len(hosts) == 1:
            # The one country the text calls the host is the summit's country.
            summit["country"] = hosts[0]
            summit["found_by"]["country"] = roles[hosts[0]]["found_by"]["host"]
        if summit["country"] is None and not hosts:
            found_venue = _venue_country(text, countries)
            if found_venue is not None:
                venue, summit["found_by"]["country"] = found_venue
                summit["country"], host_evidence = venue.id, [[venue.start, venue.end]]
                summit["evidence"].append([venue.start, venue.end])
        if summit["country"] and "host" not in roles.get(summit["country"], {}).get("roles", []):
            row = roles.setdefault(
                summit["country"], {"id": summit["country"], "roles": [], "evidence": [], "found_by": {}}
            )
            row["roles"].append("host")
            row["found_by"]["host"] = summit["found_by"]["country"]
            row["evidence"].extend(host_evidence)
    actors = sorted([*countries, *orgs], key=_start)
    by_id: dict[str, list[Span]] = {}
    for span in documents:
        by_id.setdefault(span.id, []).append(span)
    dated = bool((summit or {}).get("year"))
    rows = [
        _document_row(text, d, m, actors, documents, segments, now, structure, parsed, dated) for d, m in by_id.items()
    ]
    for row in rows:
        if row["status"] == "mentioned" and _own_outcome(text, by_id[row["id"]], summit):
            row["status"], row["found_by"]["status"] = "adopted", "title"
    _share_statuses(rows)
    return {"summit": summit, "participants": list(roles.values()), "documents": rows}
