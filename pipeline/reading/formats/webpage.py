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

from ...records import ArticleMeta
from .errors import InputError
from .extracted import ExtractedText, library_label
from .limits import ReadBudget
from .text import binary_reason, check_not_blank, decode_by_bom, decode_fallback

PARAGRAPH_SEPARATOR = "\n\n"  # trafilatura gives one block per line; each is a paragraph of its own
CHARSET_SEARCH_BYTES = 4096  # browsers look for a <meta charset> in the first 1024 bytes; some pages bury it
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WIDE_CODECS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
# Containers that hold no article: taken out before trafilatura looks, because when its main
# extractor finds no article its fallbacks take whatever text is left, a footer or a menu included.
BOILERPLATE_TAGS = frozenset({"nav", "footer", "aside"})
BOILERPLATE_ROLES = frozenset({"navigation", "contentinfo", "complementary"})
_BOILERPLATE_NAME = re.compile(r"(?i)(?:^|[\s_-])(?:footer|nav|navbar|navigation|menu|sidebar|cookies?)(?:$|[\s_-])")
# A name on these says nothing of their own content ("<body class='has-navbar'>").
_PAGE_TAGS = frozenset({"html", "body", "main", "article"})


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
    if declared in WIDE_CODECS:
        # As browsers do (the HTML standard reads a declared UTF-16 as UTF-8): a page without a
        # byte order mark that declares UTF-16 is 8-bit text, and would decode to nonsense.
        return decode_fallback(data, f"UTF-8; the declared {declared} needs a byte order mark")
    if declared not in (None, "utf-8"):
        try:
            return data.decode(declared), f"{declared} (declared by the page)"
        except UnicodeDecodeError:
            return decode_fallback(data, f"UTF-8 or the declared {declared}")
    return decode_fallback(data, "UTF-8, as the page declares" if declared else "UTF-8")


def _is_boilerplate(element: object) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""  # type: ignore[attr-defined]
    if tag in BOILERPLATE_TAGS or element.get("role") in BOILERPLATE_ROLES:  # type: ignore[attr-defined]
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"  # type: ignore[attr-defined]
    return tag not in _PAGE_TAGS and bool(_BOILERPLATE_NAME.search(names))


def page_tree(page: str) -> object:
    """The page as an lxml tree without its navigation, footers and sidebars.

    Parsed here with `huge_tree`: libxml2 otherwise stops at 255 nested elements and drops the
    text below them, which trafilatura would report as a page without an article."""
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    tree = lxml.html.document_fromstring(page.encode("utf-8", "surrogatepass"), parser=parser)
    for element in [element for element in tree.iter() if _is_boilerplate(element)]:
        element.drop_tree()
    return tree


def read_html(data: bytes, source: str, budget: ReadBudget) -> ExtractedText:
    """The article of a web page, one paragraph per block, with the page's title, author and date."""
    import trafilatura

    page, encoding = decode_html(data, source)
    document = trafilatura.bare_extraction(
        page_tree(page),
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
