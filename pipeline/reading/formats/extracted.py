"""What a reader hands on: the text it found, how, and what the file says about the article."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from ...records import ArticleMeta


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """The text a reader found, before cleanup: entity raw offsets point into `text`.

    `page_starts[i]` is where page i + 1 begins in `text` (PDF only); `meta` is what the file
    itself says about the article (a web page's title, author and date), None when nothing.
    """

    text: str
    encoding: str
    library: str | None = None
    page_starts: tuple[int, ...] | None = None
    meta: ArticleMeta | None = None


def library_label(name: str) -> str:
    """'pypdfium2 4.30.0': the library that read a file, as the record's `input.library` says."""
    try:
        return f"{name} {version(name)}"
    except PackageNotFoundError:
        return name


__all__ = ["ExtractedText", "library_label"]
