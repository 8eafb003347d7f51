"""A PDF's text layer, page by page, without its running headers, footers and page numbers.

pypdfium2 (Google's PDFium, the engine of Chromium's viewer, as a wheel with no system
dependency) reads the text layer: it is fast, keeps the reading order of ordinary one-column
pages and tells a password-protected file from a damaged one by its error code. OCR is out of
scope: a PDF whose pages hold no text is reported as such.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from .errors import InputError
from .extracted import ExtractedText, library_label
from .limits import ReadBudget

PAGE_SEPARATOR = "\n\n"  # a blank line: cleanup joins a sentence across it when it runs on
EDGE_LINES = 3  # running headers and footers are looked for among a page's first and last lines
RUNNING_SHARE = 0.5  # a line on more than half of the pages (and on two at least) is running
MAX_RUNNING_WORDS = 15  # a header or footer is a short line; a sentence that repeats stays
HEADER_SEARCH_BYTES = 1024  # PDF readers accept the %PDF- header and %%EOF this far from the edge
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"(?i)^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s?\d{1,4}\s?[-–—]$")
# PDFium reports a hyphen at a line end (a real one or a soft one it wrapped at) as U+0002, and
# mostly leaves out the line break after it ("Low\x02Income"). Both come back, so that cleanup
# decides, as for any text, whether the hyphen stays ("Low-Income") or the halves join ("inter-national").
_LINE_END_HYPHEN = re.compile("[\x02\ufffe]\n?")


def _line_key(line: str) -> str:
    """A line with its numbers blanked, so "Policy Brief No. 14 Page 2" and "... Page 3" are one."""
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _edge_indexes(lines: Sequence[str]) -> list[int]:
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def is_page_number(line: str) -> bool:
    """True for "7", "Page 7", "7 of 12", "7/12", "- 7 -"."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def remove_running_lines(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each page's lines without running headers and footers: a line near the top or bottom of a
    page that repeats, numbers aside, on most pages, and a bare page number there."""
    edges = [_edge_indexes(lines) for lines in pages]
    counts: Counter[str] = Counter()
    for lines, indexes in zip(pages, edges):
        counts.update({_line_key(lines[index]) for index in indexes})
    needed = max(2, math.floor(RUNNING_SHARE * len(pages)) + 1)
    running = {key for key, count in counts.items() if count >= needed and len(key.split()) <= MAX_RUNNING_WORDS}
    kept = []
    for lines, indexes in zip(pages, edges):
        dropped = {i for i in indexes if _line_key(lines[i]) in running or is_page_number(lines[i])}
        kept.append([line for i, line in enumerate(lines) if i not in dropped])
    return kept


def _check_envelope(data: bytes, source: str) -> None:
    if b"%PDF-" not in data[:HEADER_SEARCH_BYTES]:
        raise InputError("corrupt", source, "not a PDF (no %PDF- header)")
    # PDFium rebuilds a damaged cross-reference table and would read a cut-off file's first
    # pages without a word of warning; a file without its end marker is refused instead.
    if b"%%EOF" not in data[-HEADER_SEARCH_BYTES:]:
        raise InputError("corrupt", source, "truncated PDF (no %%EOF marker at its end)")


def page_lines(document: object, budget: ReadBudget) -> list[list[str]]:
    """The lines of each page's text layer, page by page within `budget`."""
    pages = []
    count = len(document)  # type: ignore[arg-type]
    budget.check_pages(count)
    for index in range(count):
        page = document[index]  # type: ignore[index]
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
            page.close()
        budget.add(text, f"page {index + 1} of {count}")
        text = _LINE_END_HYPHEN.sub("-\n", text.replace("\r\n", "\n").replace("\r", "\n"))
        pages.append(text.split("\n"))
    return pages


def read_pdf(data: bytes, source: str, budget: ReadBudget) -> ExtractedText:
    """The text of a PDF's pages, joined by blank lines, with where each page starts."""
    import pypdfium2

    _check_envelope(data, source)
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == pypdfium2.raw.FPDF_ERR_PASSWORD:
            raise InputError("encrypted", source, "encrypted PDF (it needs a password to open)") from error
        reason = str(error).split("(PDFium: ")[-1].rstrip(").") or str(error)
        raise InputError("corrupt", source, f"corrupt PDF ({reason})") from error
    try:
        if len(document) == 0:
            raise InputError("corrupt", source, "corrupt PDF (no pages)")
        pages = page_lines(document, budget)
    finally:
        document.close()
    if not any(line.strip() for lines in pages for line in lines):
        raise InputError(
            "no-text-layer", source, f"no text layer on any of its {len(pages)} pages (a scan? it needs OCR first)"
        )
    texts = ["\n".join(line.strip() for line in lines).strip("\n") for lines in remove_running_lines(pages)]
    starts, cursor = [], 0
    for text in texts:
        starts.append(cursor)
        cursor += len(text) + len(PAGE_SEPARATOR)
    return ExtractedText(
        text=PAGE_SEPARATOR.join(texts),
        encoding="pdf text layer",
        library=library_label("pypdfium2"),
        page_starts=tuple(starts),
    )


__all__ = ["is_page_number", "read_pdf", "remove_running_lines"]
