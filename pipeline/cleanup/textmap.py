"""Text that remembers, for every character, the range of the original string it came from.

Every cleanup rule is a regex substitution applied through `substitute`, which keeps the
map: characters outside a match keep their ranges, and inside a match the replacement is
aligned with what it replaces (common prefix and suffix, or a character diff), so copied
characters map exactly and rewritten ones map to the range they were rewritten from.
Invariants: raw starts and raw ends are each non-decreasing and start <= end per character.
"""

from __future__ import annotations

import difflib
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

Replacement = str | Callable[[re.Match[str]], str]
Alignment = Literal["affix", "diff", "words"]


@dataclass(frozen=True, slots=True)
class MappedText:
    """A string plus the raw range `[raw_starts[i], raw_ends[i])` behind each of its characters."""

    text: str
    raw_starts: array
    raw_ends: array
    raw_length: int

    @classmethod
    def identity(cls, raw: str) -> MappedText:
        """The raw string mapped onto itself, one character to one character."""
        # numpy fills the ranges at C speed; array("q", range(n)) costs ~0.1 µs per character.
        positions = np.arange(len(raw) + 1, dtype=np.int64)
        return cls(raw, array("q", positions[:-1].tobytes()), array("q", positions[1:].tobytes()), len(raw))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw range `[raw_start, raw_end)` that produced `text[start:end]`."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"Invalid span ({start}, {end}): expected 0 <= start <= end <= {len(self.text)}")
        if start == end:
            point = self._raw_point(start)
            return point, point
        return self.raw_starts[start], self.raw_ends[end - 1]

    def _raw_point(self, index: int) -> int:
        """The raw position of the gap just before `text[index]`."""
        if index < len(self.text):
            return self.raw_starts[index]
        return self.raw_ends[-1] if self.text else 0


def _copy(starts: array, ends: array, source: MappedText, begin: int, stop: int) -> None:
    starts.extend(source.raw_starts[begin:stop])
    ends.extend(source.raw_ends[begin:stop])


def _fill(starts: array, ends: array, source: MappedText, begin: int, stop: int, count: int) -> None:
    """Map `count` new characters onto the old characters `[begin, stop)` as one range."""
    if count <= 0:
        return
    if begin < stop:
        span_start, span_end = source.raw_starts[begin], source.raw_ends[stop - 1]
    else:
        # Pure insertion: an empty range that stays ordered with both neighbours.
        following = source.raw_starts[begin] if begin < len(source.text) else None
        preceding = source.raw_ends[begin - 1] if begin > 0 else None
        if following is None:
            span_start = span_end = preceding if preceding is not None else 0
        else:
            span_start = following
            span_end = max(following, preceding if preceding is not None else following)
    starts.extend([span_start] * count)
    ends.extend([span_end] * count)


def _align_affix(old: str, new: str, offset: int, source: MappedText, starts: array, ends: array) -> None:
    """Map the shared prefix and suffix exactly, the rewritten middle as one range."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    _copy(starts, ends, source, offset, offset + prefix)
    _fill(starts, ends, source, offset + prefix, offset + len(old) - suffix, len(new) - prefix - suffix)
    _copy(starts, ends, source, offset + len(old) - suffix, offset + len(old))


def _align_diff(old: str, new: str, offset: int, source: MappedText, starts: array, ends: array) -> None:
    """Map characters a diff finds unchanged exactly, each changed block as one range."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, old_begin, old_end, new_begin, new_end in matcher.get_opcodes():
        if tag == "equal":
            _copy(starts, ends, source, offset + old_begin, offset + old_end)
        else:
            _fill(starts, ends, source, offset + old_begin, offset + old_end, new_end - new_begin)


def _align_words(old: str, new: str, offset: int, source: MappedText, starts: array, ends: array) -> None:
    """Diff word by word when the spaces line up (a fast path for long lines), else diff it all."""
    old_words, new_words = old.split(" "), new.split(" ")
    if len(old_words) != len(new_words):
        _align_diff(old, new, offset, source, starts, ends)
        return
    position = offset
    for index, (old_word, new_word) in enumerate(zip(old_words, new_words)):
        if index:
            _copy(starts, ends, source, position, position + 1)  # the space between words
            position += 1
        if old_word == new_word:
            _copy(starts, ends, source, position, position + len(old_word))
        else:
            _align_diff(old_word, new_word, position, source, starts, ends)
        position += len(old_word)


_ALIGNERS = {"affix": _align_affix, "diff": _align_diff, "words": _align_words}


def substitute(
    source: MappedText,
    pattern: re.Pattern[str],
    replacement: Replacement,
    *,
    align: Alignment = "affix",
    start: int = 0,
) -> MappedText:
    """Replace every match of `pattern` (from `start`), keeping the character map; unchanged input is returned as is."""
    text = source.text
    aligner = _ALIGNERS[align]
    pieces: list[str] = []
    starts, ends = array("q"), array("q")
    done = 0
    for match in pattern.finditer(text, start):
        old = match.group()
        new = replacement(match) if callable(replacement) else replacement
        if new == old:
            continue
        begin, stop = match.span()
        pieces.append(text[done:begin])
        _copy(starts, ends, source, done, begin)
        aligner(old, new, begin, source, starts, ends)
        pieces.append(new)
        done = stop
    if not pieces:
        return source
    pieces.append(text[done:])
    _copy(starts, ends, source, done, len(text))
    return MappedText("".join(pieces), starts, ends, source.raw_length)
