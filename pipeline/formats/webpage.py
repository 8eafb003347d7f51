"""A saved web page reduced to its article: no menus, sidebars, related links, cookie notices or footers.

trafilatura finds a page's main text: it scores the page's blocks by their text, link density
and the names sites give them ("nav", "sidebar", "related", "cookie", "footer") and reads the
title, author and date from the page's markup, and is the extractor that leads the published
comparisons of boilerplate removal. It runs with `favor_precision`, because a menu or a
"most read" link taken as text gives entities the article never named.
"""

from __future__ import annotations

import codecs
import re

from ..records import ArticleMeta
from .errors import InputError
from .extracted import ExtractedText, library_label
from .limits import ReadBudget
from .text import binary_reason, check_not_blank, decode_by_bom, decode_fallback

PARAGRAPH_SEPARATOR = "\n\n"  # trafilatura gives one block per line; each is a paragraph of its own
CHARSET_SEARCH_BYTES = 4096  # browsers look for a <meta charset> in the first 1024 bytes; some pages bury it
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def declared_charset(data: bytes) -> str | None:
    """The codec name a page's <meta charset> (or http-equiv content type) declares, if Python knows it."""
    match = _DECLARED_CHARSET.search(data[:CHARSET_SEARCH_BYTES])
    if not match:
        return None
    try:
        return codecs.lookup(match[1].decode("ascii", "replace")).name
    except LookupError:
        return None


def decode_html(data: bytes, source: str) -> tuple[str, str]:
    """Decode a page's bytes; returns (text, encoding).

    A declaration is often wrong (a page saved as UTF-8 still says windows-1252), so bytes that
    are valid UTF-8 are read as UTF-8 whatever the page declares: text in another 8-bit codec is
    practically never valid UTF-8. Otherwise the declared charset, then cp1252 as for .txt.
    """
    decoded = decode_by_bom(data, source)
    if decoded is None:
        reason = binary_reason(data)
        if reason:
            raise InputError("binary", source, reason)
        declared = declared_charset(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            decoded = _decode_declared(data, declared)
        else:
            wrong = declared not in (None, "utf-8", "ascii") and not data.isascii()
            decoded = text, f"utf-8 (the page declares {declared}, which its bytes are not)" if wrong else "utf-8"
    check_not_blank(decoded[0], data, source)
    return decoded


def _decode_declared(data: bytes, declared: str | None) -> tuple[str, str]:
    if declared not in (None, "utf-8"):
        try:
            return data.decode(declared), f"{declared} (declared by the page)"
        except UnicodeDecodeError:
            return decode_fallback(data, f"UTF-8 or the declared {declared}")
    return decode_fallback(data, "UTF-8, as the page declares" if declared else "UTF-8")


def read_html(data: bytes, source: str, budget: ReadBudget) -> ExtractedText:
    """The article of a web page, one paragraph per block, with the page's title, author and date."""
    import trafilatura

    page, encoding = decode_html(data, source)
    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        # Only dates the markup states: a date guessed from the text may be any date it names.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    text = getattr(document, "text", None) or ""
    blocks = [line.strip() for line in text.split("\n") if line.strip()]
    if not blocks:
        raise InputError("no-article", source, "no article text on the page (only navigation, links or boilerplate)")
    budget.add(text)
    date = getattr(document, "date", None)
    meta = ArticleMeta(
        title=getattr(document, "title", None) or None,
        author=getattr(document, "author", None) or None,
        published=date if date and _ISO_DATE.match(date) else None,
    )
    return ExtractedText(
        text=PARAGRAPH_SEPARATOR.join(blocks), encoding=encoding, library=library_label("trafilatura"), meta=meta
    )


__all__ = ["declared_charset", "decode_html", "read_html"]
