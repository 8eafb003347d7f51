"""How much a file may become before it is refused as `too-large`, checked while it is read.

A small file can hold a lot: a 5 MB .docx can unpack to gigabytes, a 300 KB PDF can draw one
content stream on thousands of pages. So besides its size on disk, a file's unpacked size, its
pages, its text and the time spent reading it are bounded, and each is checked before or while
the reader produces the text, never after it holds all of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# About 50 times the longest article of the bundled corpus and 1,000 pages of a report; spaCy
# extracts about 50,000 characters a second on one core, so an article at the limit takes minutes.
DEFAULT_MAX_CHARS = 5_000_000
DEFAULT_MAX_PAGES = 1_000
DEFAULT_MAX_READ_SECONDS = 60.0
# A Word file's parts (XML and media) may unpack to this many times the byte limit: text XML
# compresses about 10:1, media not at all.
UNPACKED_PER_BYTE = 5


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """The bounds on one input file: bytes on disk, unpacked bytes (a .docx), pages (a PDF),
    characters of text and seconds of reading."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = DEFAULT_MAX_CHARS
    max_pages: int = DEFAULT_MAX_PAGES
    max_read_seconds: float = DEFAULT_MAX_READ_SECONDS

    @property
    def max_unpacked(self) -> int:
        return UNPACKED_PER_BYTE * self.max_bytes

    def reading(self, source: str) -> ReadBudget:
        """A budget for reading `source`, its clock started now."""
        return ReadBudget(self, source)


def too_large(source: str, what: str) -> InputError:
    return InputError("too-large", source, f"too large ({what})")


class ReadBudget:
    """What a reader has spent on one file: characters of text so far and time since it began."""

    def __init__(self, limits: ReadLimits, source: str) -> None:
        self.limits = limits
        self.source = source
        self.chars = 0
        self.started = time.monotonic()

    def check_pages(self, pages: int) -> None:
        if pages > self.limits.max_pages:
            raise too_large(self.source, f"{pages:,} pages, limit {self.limits.max_pages:,}")

    def check_unpacked(self, size: int) -> None:
        if size > self.limits.max_unpacked:
            limit = f"limit {self.limits.max_unpacked:,}: {UNPACKED_PER_BYTE} times the byte limit"
            raise too_large(self.source, f"unpacks to {size:,} bytes, {limit}")

    def add(self, text: str, where: str = "") -> None:
        """Count `text` as read (at `where`, e.g. "page 3 of 40"); raises `too-large` past a limit."""
        self.chars += len(text)
        at = f" by {where}" if where else ""
        if self.chars > self.limits.max_chars:
            raise too_large(self.source, f"over {self.limits.max_chars:,} characters of text{at}")
        if time.monotonic() - self.started >= self.limits.max_read_seconds:
            raise too_large(
                self.source, f"reading it took {self.limits.max_read_seconds:g} s, the limit, and stopped{at}"
            )


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_MAX_READ_SECONDS",
    "ReadBudget",
    "ReadLimits",
    "too_large",
]
