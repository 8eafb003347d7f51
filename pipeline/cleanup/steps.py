"""Raw article text (often copied out of a PDF) to clean paragraphs, with a map back to the raw text.

Character repairs come first (line endings, mojibake, invisible characters, NFC, spaces),
then layout (hyphenation at line ends, lines joined into paragraphs). Every rule is a
`textmap.substitute` call, so `CleanText.raw_span` maps any clean range back to the raw string.
Output: paragraphs separated by one blank line, single spaces, no newline inside a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import ftfy

from ..reading.formats.text import INVISIBLE
from ..rules import bundled_file
from .metadata import (
    HEADER_PARAGRAPHS,
    MAX_TITLE_WORDS,
    is_date_line,
    is_header_line,
    is_title_like,
    starts_like_header,
)
from .textmap import MappedText, substitute


@dataclass(frozen=True, slots=True)
class CleanText(MappedText):
    """Cleaned article text; `raw_span(start, end)` gives the raw range behind `text[start:end]`."""


@dataclass(frozen=True, slots=True)
class CleanupWords:
    """Word lists from patterns/cleanup.json that steer hyphenation and line joining."""

    hyphen_keeping_prefixes: frozenset[str]
    line_end_function_words: frozenset[str]
    abbreviations: frozenset[str]


@lru_cache(maxsize=1)
def cleanup_words() -> CleanupWords:
    """Load the cleanup word lists once."""
    data = bundled_file("cleanup.json")  # checked by the rule loader
    keys = ("hyphen_keeping_prefixes", "line_end_function_words", "abbreviations_not_ending_a_sentence")
    prefixes, function_words, abbreviations = (frozenset(v.lower() for v in data[key]) for key in keys)
    return CleanupWords(prefixes, function_words, abbreviations)


# --- character repairs -------------------------------------------------------------------

_CARRIAGE_RETURN = re.compile(r"\r\n?")
_OTHER_LINE_BREAK = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# Anchored at line or word starts so a long ASCII run is scanned once, not once per position.
_NON_ASCII_LINE = re.compile(r"(?m)^.*[^\x00-\x7f].*$")
_NON_ASCII_WORD = re.compile(r"(?<!\S)\S*[^\x00-\x7f]\S*")
_SOFT_HYPHEN_AT_LINE_END = re.compile(r"\u00ad[^\S\n]*\n\s*(?=\w)")
_ODD_SPACE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
_MOJIBAKE_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def normalise_line_endings(text: MappedText) -> MappedText:
    """CRLF and CR become LF."""
    return substitute(text, _CARRIAGE_RETURN, "\n")


def repair_mojibake(text: MappedText) -> MappedText:
    """Undo wrong-codec decoding ("TÃ¼rkiye" -> "Türkiye") with ftfy, line by line, nothing else."""
    if text.text.isascii():
        return text
    return substitute(text, _NON_ASCII_LINE, lambda m: ftfy.fix_text(m.group(), _MOJIBAKE_ONLY), align="words")


def normalise_line_breaks(text: MappedText) -> MappedText:
    """Vertical tab, form feed, NEL and Unicode line/paragraph separators become LF."""
    return substitute(text, _OTHER_LINE_BREAK, "\n")


def join_soft_hyphenation(text: MappedText) -> MappedText:
    """A soft hyphen at a line end joins the word halves with nothing between them."""
    if "\u00ad" not in text.text:
        return text
    return substitute(text, _SOFT_HYPHEN_AT_LINE_END, "")


def remove_invisible(text: MappedText) -> MappedText:
    """Drop control characters, soft hyphens, zero-width and direction marks, stray surrogates."""
    return substitute(text, INVISIBLE, "")


def normalise_unicode(text: MappedText) -> MappedText:
    """NFC, word by word so untouched words keep an exact map."""
    if text.text.isascii() or unicodedata.is_normalized("NFC", text.text):
        return text
    return substitute(text, _NON_ASCII_WORD, lambda m: unicodedata.normalize("NFC", m.group()))


def normalise_spaces(text: MappedText) -> MappedText:
    """Tabs, no-break and other Unicode spaces become one plain space; runs collapse to one."""
    return substitute(text, _ODD_SPACE, " ")


CHARACTER_STEPS: tuple[Callable[[MappedText], MappedText], ...] = (
    normalise_line_endings,
    repair_mojibake,
    normalise_line_breaks,
    join_soft_hyphenation,
    remove_invisible,
    normalise_unicode,
    normalise_spaces,
)


# --- layout ------------------------------------------------------------------------------

_LINE_EDGE_SPACE = re.compile(r"(?m)^ | $")
_PAGE_NUMBER_LINE = re.compile(r"(?im)^(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^[-–—]\s?\d{1,3}\s?[-–—]$")
_LEADING_NEWLINES = re.compile(r"\A\n+")
_TRAILING_NEWLINES = re.compile(r"\n+\Z")
_HYPHEN_AT_LINE_END = re.compile(r"(?<=\w)-\n+(?=(\w+))")
_HYPHENATED_COMPOUND = re.compile(r"\w+(?:-\w+)+")
_WORD_BEFORE_HYPHEN = re.compile(r"(?:\w+-)*\w+\Z")
LONGEST_HYPHENATED_WORD = 80  # how far back to look for the word before a line-end hyphen
_LINE_BOUNDARY = re.compile(r"\n+")
_LIST_ITEM = re.compile(r"^(?:[-•*▪◦‣–·]\s|\(?(?:\d{1,3}|[ivxlc]{1,4}|[a-z])[.)]\s|\(?[A-Z]\)\s)")
_FIRST_LETTER = re.compile(r"^[\"'“‘(\[«]*([^\W\d_])")
_CLOSING_MARKS = "\"'”’)]»"
_OPENING_MARKS = "\"'“‘([«"
_MID_SENTENCE_MARKS = (",", ";", "(", "[", "/", "&", "–", "—", "-")
_SPACE = " "

# Proportional fonts make lines of one column differ in characters: a line counts as wrapped
# when the next word would have pushed it past this share of the column width.
WRAP_SLACK = 0.9
MAX_WRAP_WIDTH = 150  # longer "lines" are whole paragraphs, not hard-wrapped text
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100


def strip_line_edges(text: MappedText) -> MappedText:
    """Remove the space at the start and end of each line."""
    return substitute(text, _LINE_EDGE_SPACE, "")


def strip_outer_newlines(text: MappedText) -> MappedText:
    """Remove blank lines before the first and after the last line of text."""
    text = substitute(text, _LEADING_NEWLINES, "")
    # Searching from where the trailing newlines begin avoids trying every newline in the text.
    return substitute(text, _TRAILING_NEWLINES, "", start=len(text.text.rstrip("\n")))


def remove_page_numbers(text: MappedText) -> MappedText:
    """Empty the lines a PDF copy leaves for page numbers ("12", "Page 3", "3 of 10", "- 4 -")."""
    return substitute(text, _PAGE_NUMBER_LINE, "")


def keeps_hyphen(word: str, next_word: str, compounds: frozenset[str] = frozenset()) -> bool:
    """True when a hyphen broken at a line end is a real one ("Kassym-Jomart", "2025-2027", "self-", "SCO-").

    `compounds` are the hyphenated pairs the same article spells elsewhere ("multi-vector"):
    the article itself says the hyphen belongs there.
    """
    last_part = word.rsplit("-", 1)[-1]
    return (
        next_word[:1].isupper()
        or next_word[:1].isdigit()
        or "-" in word
        or any(ch.isdigit() for ch in word)
        or (len(word) > 1 and word.isupper())
        or word.lower() in cleanup_words().hyphen_keeping_prefixes
        or f"{last_part}-{next_word}".lower() in compounds
    )


def hyphenated_pairs(text: str) -> frozenset[str]:
    """Every pair of hyphen-joined words in `text`, lower case ("well-to-do" -> "well-to", "to-do")."""
    pairs = set()
    for compound in _HYPHENATED_COMPOUND.findall(text):
        parts = compound.lower().split("-")
        pairs.update(f"{left}-{right}" for left, right in pairwise(parts))
    return frozenset(pairs)


def join_hyphenation(text: MappedText) -> MappedText:
    """Join a word split by a hyphen at a line end; drop the hyphen unless it is a real one."""
    if "-\n" not in text.text:
        return text
    compounds = hyphenated_pairs(text.text)

    def rejoin(match: re.Match[str]) -> str:
        before = match.string[max(0, match.start() - LONGEST_HYPHENATED_WORD) : match.start()]
        word = _WORD_BEFORE_HYPHEN.search(before)
        return "-" if keeps_hyphen(word.group() if word else "", match[1], compounds) else ""

    return substitute(text, _HYPHEN_AT_LINE_END, rejoin)


def is_list_item(line: str) -> bool:
    """True for a line opening with a list marker: "- ", "• ", "1. ", "a) ", "iv. "."""
    return _LIST_ITEM.match(line) is not None


def starts_lowercase(line: str) -> bool:
    """True when the first letter (after opening quotes or brackets) is lower case."""
    match = _FIRST_LETTER.match(line)
    return bool(match and match[1].islower())


def ends_sentence(line: str) -> bool:
    """True for final punctuation that is not an abbreviation such as "Mr." or an initial "J."."""
    core = line.rstrip(_CLOSING_MARKS)
    if not core.endswith((".", "!", "?", "…")):
        return False
    if not core.endswith(".") or core.endswith(".."):
        return True
    word = core.rsplit(None, 1)[-1][:-1].lstrip(_OPENING_MARKS)
    is_initial = len(word) == 1 and word.isupper()
    return not is_initial and word.lower() not in cleanup_words().abbreviations


def ends_mid_sentence(line: str) -> bool:
    """True for a line ending in a comma, an open bracket, a dash or a function word ("in", "the")."""
    if line.endswith(_MID_SENTENCE_MARKS):
        return True
    # Only the last word is looked at: lines can be whole paragraphs long.
    last_word = line[line.rfind(" ") + 1 :]
    return last_word.isalpha() and last_word.lower() in cleanup_words().line_end_function_words


def is_heading_shaped(paragraph: str) -> bool:
    """True for a short line opening with a capital or digit and ending without punctuation."""
    if len(paragraph) > MAX_HEADING_CHARS or len(paragraph.split()) > MAX_HEADING_WORDS:
        return False
    if is_list_item(paragraph):
        return False
    match = _FIRST_LETTER.match(paragraph)
    opens_well = paragraph[:1].isdigit() or bool(match and match[1].isupper())
    return opens_well and not paragraph.endswith((".", ",", ";", ":", "!", "?", "…"))


def wrap_width(lines: list[str], blank_after: list[bool]) -> int | None:
    """The column width of hard-wrapped text, or None when lines are whole paragraphs."""
    # Lines followed directly by another line are the ones a wrap could have ended.
    lengths = sorted(len(line) for line, blank in zip(lines, blank_after) if not blank)
    if len(lengths) < 3:
        return None
    width = lengths[(len(lengths) * 9) // 10]
    return width if width <= MAX_WRAP_WIDTH else None


def is_wrapped(line: str, following: str, width: int | None) -> bool:
    """True when the next line's first word would not have fitted on `line`: the column ended it."""
    if width is None:
        return False
    next_word = following.split(" ", 1)[0]
    return len(line) + 1 + len(next_word) > WRAP_SLACK * width


@dataclass(slots=True)
class _Paragraph:
    """The paragraph being built while planning: its lines, word count, and position."""

    lines: list[str]
    words: int
    index: int

    @property
    def text(self) -> str:
        return _SPACE.join(self.lines)


def breaks_paragraph(paragraph: _Paragraph, line: str, following: str, blank: bool, width: int | None) -> bool:
    """Whether the boundary between `line` (the end of `paragraph`) and `following` ends the paragraph.

    Rules only use the paragraph so far, a prefix of the next line and the wrap width (unknown
    in cleaned text, which has no single newlines), and blank lines only ever favour a break;
    so cleaned text, cleaned again, gets the same decisions (idempotence).
    """
    first_line = paragraph.lines[0]
    short = paragraph.words <= MAX_TITLE_WORDS * 2
    in_header = paragraph.index < HEADER_PARAGRAPHS
    # Without blank lines between, a break ends a block only if the column did not end the line.
    deliberate = blank or not is_wrapped(line, following, width)
    if is_list_item(following):
        return True
    if is_list_item(first_line) and blank:
        return deliberate
    # The next line opens a byline, a date line or a wire dateline ("DUSHANBE, Sept 16 (Agency) -"): a paragraph
    # of the header zone too, even after a headline or byline as long as the column, which looks wrapped.
    if paragraph.index + 1 < HEADER_PARAGRAPHS and starts_like_header(following) and not ends_mid_sentence(line):
        return True
    if in_header and short and is_header_line(paragraph.text):
        if blank or is_date_line(paragraph.text):
            return True
        # A byline or "Published ..." line wrapped onto the next line continues there.
        return not (ends_mid_sentence(line) or starts_lowercase(following) or not deliberate)
    if starts_lowercase(following) or ends_mid_sentence(line):
        return False
    if ends_sentence(line):
        return deliberate
    if paragraph.words <= MAX_HEADING_WORDS and is_heading_shaped(paragraph.text):
        return deliberate
    if blank and paragraph.index == 0 and paragraph.words <= MAX_TITLE_WORDS:
        # The first line, set off by a blank line, is the title.
        return is_title_like(paragraph.text)
    # A colon at a line end introduces what follows: a list, a quote, a new block.
    return line.endswith(":") and deliberate


def plan_paragraph_breaks(text: str) -> list[bool]:
    """For each run of newlines in `text`, whether it is a paragraph break (else a wrapped line)."""
    boundaries = list(_LINE_BOUNDARY.finditer(text))
    if not boundaries:
        return []
    edges = [0, *(pos for b in boundaries for pos in b.span()), len(text)]
    lines = [text[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]
    blank_after = [len(b.group()) > 1 for b in boundaries]
    width = wrap_width(lines[:-1], blank_after)
    decisions = []
    paragraph = _Paragraph([lines[0]], len(lines[0].split()), 0)
    for position, blank in enumerate(blank_after):
        line, following = lines[position], lines[position + 1]
        is_break = breaks_paragraph(paragraph, line, following, blank, width)
        decisions.append(is_break)
        if is_break:
            paragraph = _Paragraph([following], len(following.split()), paragraph.index + 1)
        else:
            paragraph.words += len(following.split())
            # Only short paragraphs are ever looked at as a whole; long ones need no lines kept.
            if paragraph.words <= MAX_TITLE_WORDS * 2:
                paragraph.lines.append(following)
    return decisions


def join_wrapped_lines(text: MappedText) -> MappedText:
    """Join lines of one paragraph with a space; separate paragraphs by exactly one blank line."""
    decisions = iter(plan_paragraph_breaks(text.text))
    return substitute(text, _LINE_BOUNDARY, lambda _: "\n\n" if next(decisions) else _SPACE)


LAYOUT_STEPS: tuple[Callable[[MappedText], MappedText], ...] = (
    strip_line_edges,
    remove_page_numbers,
    strip_outer_newlines,
    join_hyphenation,
    join_wrapped_lines,
)

MAX_ROUNDS = 4  # a repair can expose another (e.g. a removed zero-width space joins mojibake)


def _run(text: MappedText, steps: tuple[Callable[[MappedText], MappedText], ...]) -> MappedText:
    for step in steps:
        text = step(text)
    return text


def clean(raw: str) -> CleanText:
    """Clean raw article text into paragraphs, keeping a map from every clean character to the raw text."""
    text = _run(_run(MappedText.identity(raw), CHARACTER_STEPS), LAYOUT_STEPS)
    for _ in range(MAX_ROUNDS):
        # Joining lines can make a line another step removes ("-⏎⏎4 -" becomes the page number "- 4 -"):
        # layout runs to a fixed point, so cleaning clean text changes nothing.
        again = _run(text, LAYOUT_STEPS)
        if again is text:
            break
        text = again
    if not text.text.isascii():
        # Steps return the very same object when they change nothing: "is" detects a fixed point.
        for _ in range(MAX_ROUNDS):
            repaired = _run(text, CHARACTER_STEPS)
            if repaired is text:
                break
            text = _run(repaired, LAYOUT_STEPS)
    return CleanText(text.text, text.raw_starts, text.raw_ends, text.raw_length)


def clean_text(raw: str) -> str:
    """The cleaned text alone: `clean(raw).text`."""
    return clean(raw).text
