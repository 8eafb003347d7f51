"""Title, byline and publication date found at the top of a cleaned article.

The same line shapes (a byline, a "Published on ..." line, a bare date) also tell the
cleanup where the article's header lines end, so they live here and cleanup imports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from dateutil import parser as date_parser

from ..records import ArticleMeta
from ..rules import bundled_file

HEADER_PARAGRAPHS = 6  # metadata is only looked for this close to the top
MAX_TITLE_WORDS = 25
MAX_BYLINE_WORDS = 40
MAX_DATE_LINE_WORDS = 15
MAX_LABEL_WORDS = 4
MAX_LABELS_ABOVE_TITLE = 2

_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_YEAR_FIRST_DATE = re.compile(r"\b(\d{4})([-/.])(\d{1,2})\2(\d{1,2})\b")
_FIELD_SEPARATOR = re.compile(r"\s+[|•·]\s+|\s+[–—]\s+|\s+-\s+|;")
# A dateline: "ASTANA, July 4, 2024 (Kazinform) – ...", or a line "Hiroshima, 21 May 2023".
_DATELINE = re.compile(r"^[A-Z][\w.'’ -]{1,40},\s+(?P<date>[^()–—]{3,40}?)\s*(?:\(|[–—]|\s-\s|$)")
_DATELINE_ONLY = re.compile(r"^[A-Z][\w.'’ -]{1,40},\s+[^()–—]{3,40}?(?:\s*\([^()]{1,40}\))?$")
# A wire dateline opening a report's first paragraph, with or without a year: the place in capitals
# (maybe a region), then a date ("MOSCOW, May 3.", "NIAMEY, Niger, July 7", "ASHGABAT, 11 October"),
# an agency in brackets ("BISHKEK (AKIpress) -") or a dash before a capitalised word ("JOHANNESBURG — Leaders").
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_WIRE_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+)*"
    rf"(?:,(?:\s+[A-Z][\w.'’ -]{{1,30}},)?\s+(?:{_MONTH}\s+\d|\d{{1,2}}\s+{_MONTH}\s)"
    r"|\s*\([^()]{1,40}\)(?:\s*[-–—/]|$)"
    r"|\s+(?:[-–—]|--)(?:\s+[\"“]?[A-Z]|$))"
)
_LEADING_DATE = re.compile(r"^.{0,30}?\b(?:1[89]|20)\d\d\b")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class HeaderCues:
    """Cue words of byline and date lines, from patterns/cleanup.json."""

    byline: re.Pattern[str]
    date: re.Pattern[str]
    updated: frozenset[str]


def _cue_pattern(cues: list[str]) -> re.Pattern[str]:
    # Longest cue first so "published on" wins over "published".
    alternatives = "|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True))
    return re.compile(rf"^(?P<cue>{alternatives})(?:\s+|(?<=:))(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=1)
def header_cues() -> HeaderCues:
    """Load the byline and date cue words once."""
    data = bundled_file("cleanup.json")  # checked by the rule loader
    return HeaderCues(
        byline=_cue_pattern(data["byline_cues"]),
        date=_cue_pattern(data["date_cues"]),
        updated=frozenset(cue.lower() for cue in data["updated_cues"]),
    )


def parse_date(text: str, *, fuzzy: bool = True) -> str | None:
    """An ISO 8601 date (YYYY-MM-DD) from a date phrase, or None when it lacks a year or day."""
    year_first = _YEAR_FIRST_DATE.search(text)
    if year_first:
        # "2024-07-04", "2024/07/04": year, month, day, whatever the day-first default says.
        try:
            return datetime(int(year_first[1]), int(year_first[3]), int(year_first[4])).date().isoformat()
        except ValueError:
            return None
    if not _YEAR.search(text):
        return None
    try:
        # Two different defaults reveal fields the phrase does not give (a missing day).
        first = date_parser.parse(text, dayfirst=True, fuzzy=fuzzy, ignoretz=True, default=datetime(2000, 1, 1))
        second = date_parser.parse(text, dayfirst=True, fuzzy=fuzzy, ignoretz=True, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    return first.date().isoformat()


def _words(text: str) -> int:
    return len(text.split())


def byline_text(line: str) -> str | None:
    """The author part of a byline ("By Jane Doe, Reuters" -> "Jane Doe, Reuters"), else None."""
    match = header_cues().byline.match(line)
    if not match or _words(line) > MAX_BYLINE_WORDS:
        return None
    rest = match["rest"]
    if not rest[0].isupper():
        return None
    # "By Jane Doe | 4 July 2024": the author is the part before a field separator.
    return _FIELD_SEPARATOR.split(rest, maxsplit=1)[0].strip() or None


def date_cue_match(line: str) -> re.Match[str] | None:
    """The match of a "Published on ..."/"Updated: ..." line that carries a digit, else None."""
    match = header_cues().date.match(line)
    if match and _words(line) <= MAX_DATE_LINE_WORDS and any(ch.isdigit() for ch in match["rest"]):
        return match
    return None


def bare_date(line: str) -> str | None:
    """The date of a short line that opens with a date ("Thursday, 4 July 2024", "Jul 8, 2024 | 10:05"), else None."""
    if _words(line) > MAX_DATE_LINE_WORDS or _SENTENCE_END.search(line):
        return None
    lead = _LEADING_DATE.match(line)
    if not lead:
        return None
    # Strict parsing of the words up to the year, or of the first field: a sentence is no date line.
    first_field = _FIELD_SEPARATOR.split(line, maxsplit=1)[0]
    return parse_date(lead.group(), fuzzy=False) or parse_date(first_field, fuzzy=False)


def is_bare_date_line(line: str) -> bool:
    """True for a short line that opens with a date, e.g. "Thursday, 4 July 2024"."""
    return bare_date(line) is not None


def dateline_date(line: str) -> str | None:
    """The date of a dateline that gives a year ("Hiroshima, 21 May 2023", "ASTANA, July 4, 2024 (Kazinform) –")."""
    match = _DATELINE.match(line)
    return parse_date(match["date"]) if match else None


def is_dateline_only(line: str) -> bool:
    """True for a line that is only a place and a date, maybe with a source:
    "Bishkek, 13 October 2023 (Staff report)"."""
    return _words(line) <= MAX_DATE_LINE_WORDS and bool(_DATELINE_ONLY.match(line)) and dateline_date(line) is not None


def is_date_line(line: str) -> bool:
    """True for a line that is only a date or a place and date: it always stands as its own paragraph."""
    return is_bare_date_line(line) or is_dateline_only(line)


def is_header_line(line: str) -> bool:
    """True for a byline or a date line: lines that stand as their own paragraph."""
    return byline_text(line) is not None or date_cue_match(line) is not None or is_date_line(line)


def opens_wire_dateline(line: str) -> bool:
    """True for a line that opens with a wire dateline: "DUSHANBE, Sept 16 (Agency) -", "JOHANNESBURG — Leaders ..."."""
    return _WIRE_DATELINE.match(line) is not None


def starts_like_header(line: str) -> bool:
    """True when a line opens like a byline, a date cue, a dated dateline or a wire dateline.

    A prefix test, so it holds for the whole paragraph the line begins as well.
    """
    if not line[:1].isupper():
        return False  # "by China, Japan and ..." at the start of a wrapped line goes on a sentence
    cues = header_cues()
    byline = cues.byline.match(line)
    if byline and byline["rest"][:1].isupper():
        return True
    dated = cues.date.match(line)
    if dated and any(ch.isdigit() for ch in dated["rest"][:12]):
        return True
    return dateline_date(line) is not None or opens_wire_dateline(line)


def is_title_like(paragraph: str) -> bool:
    """True for a short paragraph without a final period that is not a byline or a date."""
    if not paragraph or _words(paragraph) > MAX_TITLE_WORDS or paragraph.endswith((".", ",", ";")):
        return False
    return not is_header_line(paragraph)


# A text that opens with an ISO date ("2024-07-04 ...", "Date 2024-07-04 ..."), as a page's date is often
# rendered before its headline, is dated by it whatever follows on the line.
_OPENING_ISO_DATE = re.compile(r"(?:date:?\s+)?(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)


def _published(paragraphs: list[str]) -> str | None:
    """The publication date: a "Published" cue first, then "Updated", an opening ISO date, a bare date, a dateline."""
    updated: str | None = None
    for paragraph in paragraphs:
        match = date_cue_match(paragraph)
        if match:
            date = parse_date(_FIELD_SEPARATOR.split(match["rest"], maxsplit=1)[0])
            if date and match["cue"].lower() not in header_cues().updated:
                return date
            updated = updated or date
    if updated:
        return updated
    opening = _OPENING_ISO_DATE.match(paragraphs[0]) if paragraphs else None
    if opening and parse_date(opening.group(1)):
        return parse_date(opening.group(1))
    for paragraph in paragraphs:
        date = bare_date(paragraph)
        if date:
            return date
        byline = header_cues().byline.match(paragraph)
        if byline and byline_text(paragraph):
            # "By Jane Doe | 4 July 2024": a date after the author.
            for part in _FIELD_SEPARATOR.split(byline["rest"])[1:]:
                date = parse_date(part)
                if date:
                    return date
    return next(filter(None, map(dateline_date, paragraphs)), None)


def is_label(paragraph: str) -> bool:
    """True for a short all-capitals label above a title ("PRESS RELEASE", "OPINION")."""
    return paragraph.isupper() and _words(paragraph) <= MAX_LABEL_WORDS


def title_of(paragraphs: list[str]) -> str | None:
    """The title: the first paragraph after any label, when title-like; "Opinion | Title" gives "Title"."""
    first = next((p for p in paragraphs[: MAX_LABELS_ABOVE_TITLE + 1] if not is_label(p)), None)
    if first is None or not is_title_like(first):
        return None
    # A section name or a site name beside the title is shorter than the title itself.
    return max(first.split(" | "), key=len).strip()


def extract_metadata(text: str) -> ArticleMeta:
    """Title, author and publication date from the first paragraphs of cleaned text."""
    paragraphs = [p.strip() for p in text.split("\n\n", HEADER_PARAGRAPHS)[:HEADER_PARAGRAPHS] if p.strip()]
    title = title_of(paragraphs)
    author = next((name for name in map(byline_text, paragraphs) if name), None)
    return ArticleMeta(title=title, author=author, published=_published(paragraphs))
