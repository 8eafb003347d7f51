"""Reading PDF, web page and Word files that the tests write: the article's text, nothing around it,
and one clear error for each kind of file that cannot be read."""

from __future__ import annotations

import codecs
import zipfile

import pytest
from documents import (
    BOILERPLATE_NAMES,
    NAVIGATION_PAGE,
    PARAGRAPHS,
    TITLE,
    WRAPPED_TITLE,
    news_page,
    printed_article,
    truncated,
    write_docx,
    write_pdf,
    write_scanned_pdf,
)

from summit_extract.cleanup.steps import clean_text
from summit_extract.reading.formats import format_of
from summit_extract.reading.formats.pdf import is_page_number, remove_running_lines
from summit_extract.reading.formats.webpage import declared_charset, decode_html
from summit_extract.reading.reader import InputError, read_article

# Three pages of a report whose sentences run on over the page breaks.
REPORT_PAGES = [
    ["Policy makers from Brazil and India discussed trade settlement in local currencies, while", "the proposed"],
    ["BRICS Grain Exchange was welcomed by South Africa.", "Egypt asked for a seat on the board of the"],
    ["New Development Bank before the summit closed."],
]
HEADER = "Policy Brief No. 14"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.pdf", "pdf"), ("A.PDF", "pdf"), ("a.html", "html"), ("a.htm", "html"), ("a.docx", "docx"),
     ("a.txt", "txt"), ("a.text", "txt"), ("README", "txt")],
)  # fmt: skip
def test_format_of_suffix(name, expected):
    assert format_of(name) == expected


# --- PDF: running headers and footers ------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # A header repeating on every page, its page number changing, goes; so do bare page numbers.
        ([["Brief No. 14 Page 1", "Body one.", "1"], ["Brief No. 14 Page 2", "Body two.", "2"]],
         [["Body one."], ["Body two."]]),
        # "Page 3 of 9", "- 4 -" and "4/9" are page numbers too.
        ([["Body one.", "Page 3 of 9"], ["- 4 -", "Body two."], ["Body three.", "5/9"]],
         [["Body one."], ["Body two."], ["Body three."]]),
        # A line on only one page of three is not running.
        ([["Annex", "Body one."], ["Body two."], ["Body three."]], [["Annex", "Body one."], ["Body two."], ["Body three."]]),
        # On two of three pages it is (more than half).
        ([["Draft", "Body one."], ["Draft", "Body two."], ["Body three."]], [["Body one."], ["Body two."], ["Body three."]]),
        # A number in the middle of a page is text, not a page number.
        ([["One", "Two", "Three", "42", "Four", "Five", "Six"]], [["One", "Two", "Three", "42", "Four", "Five", "Six"]]),
        # A one-page file has nothing to repeat: only its page number goes.
        ([["Policy Brief", "Body.", "1"]], [["Policy Brief", "Body."]]),
        # A long sentence that happens to open two pages stays: headers are short.
        ([[" ".join(["word"] * 20), "a"], [" ".join(["word"] * 20), "b"]], [[" ".join(["word"] * 20), "a"], [" ".join(["word"] * 20), "b"]]),
    ],
)  # fmt: skip
def test_remove_running_lines(pages, expected):
    assert remove_running_lines(pages) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [("7", True), ("Page 7", True), ("page 7 of 12", True), ("7 / 12", True), ("– 7 –", True),
     ("7 members", False), ("2024", True), ("Page seven", False)],
)  # fmt: skip
def test_is_page_number(line, expected):
    assert is_page_number(line) is expected


def test_pdf_without_running_header_and_page_numbers(tmp_path):
    path = write_pdf(tmp_path / "brief.pdf", REPORT_PAGES, running_header=HEADER, page_numbers=True)
    article = read_article(path)
    assert HEADER not in article.text and "Page " not in article.text
    lines = article.text.split("\n")
    assert not any(line.strip().isdigit() for line in lines)
    assert article.input.format == "pdf" and article.input.library.startswith("pypdfium2 ")
    # Each page starts where its first line is.
    assert len(article.page_starts) == 3
    for start, page in zip(article.page_starts, REPORT_PAGES):
        assert article.text[start:].startswith(page[0])


# A newline inside a paragraph breaks the PDF's line there; fpdf2 wraps this one at a soft hyphen
# (U+00AD) and prints a hyphen there. PDFium reports either hyphen at a line end as U+0002.
SOFT_HYPHENATED = (
    "The ministers " + "very " * 9 + "agreed on financing regional infra\u00adstruc\u00adture at the summit."
)


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("The summit of the Low-\nIncome Countries Forum closed.", "the Low-Income Countries Forum"),
        ("They adopted the Two-\nPillar Solution at the end.", "the Two-Pillar Solution"),
        ("The G20-\nled talks went on.", "The G20-led talks"),
        ("The leaders held inter-\nnational talks on trade.", "held international talks"),
        ("A co-operation plan and a well-known Two-Pillar deal.", "A co-operation plan and a well-known Two-Pillar"),
        (SOFT_HYPHENATED, SOFT_HYPHENATED.replace("\u00ad", "").strip()),
    ],
)
def test_pdf_line_end_hyphens(tmp_path, paragraph, expected):
    article = read_article(write_pdf(tmp_path / "hyphens.pdf", [[paragraph]]))
    assert "\x02" not in article.text
    assert expected in clean_text(article.text)


@pytest.mark.parametrize(
    ("make", "kind", "reason"),
    [
        (lambda p: write_pdf(p, [["Secret."]], user_password="open sesame"), "encrypted", "encrypted PDF"),
        (lambda p: truncated(p, write_pdf(p.with_name("whole.pdf"), REPORT_PAGES)), "corrupt", "truncated PDF"),
        (lambda p: truncated(p, write_pdf(p.with_name("whole.pdf"), REPORT_PAGES), 0.97), "corrupt", "truncated PDF"),
        (lambda p: p.write_bytes(b"<html><body>not a PDF</body></html>"), "corrupt", "not a PDF"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n garbage that is no PDF body \n%%EOF\n"), "corrupt", "corrupt PDF"),
        (write_scanned_pdf, "no-text-layer", "no text layer on any of its 1 pages"),
        (lambda p: p.write_bytes(b""), "empty", "empty file"),
    ],
)
def test_unreadable_pdfs(tmp_path, make, kind, reason):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert caught.value.kind == kind
    assert str(caught.value).startswith(f"{path}: {reason}")
    assert "\n" not in str(caught.value)


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    # Anyone may open it (viewers do); the owner password only restricts editing.
    path = write_pdf(tmp_path / "owner.pdf", [["Kazakhstan hosted the summit."]], owner_password="owner")
    assert read_article(path).text == "Kazakhstan hosted the summit."


# --- web pages ----------------------------------------------------------------------------


def test_news_page_is_reduced_to_its_article(tmp_path):
    path = tmp_path / "kazan.html"
    path.write_text(news_page(), encoding="utf-8")
    article = read_article(path)
    assert article.text.split("\n\n") == [TITLE, *PARAGRAPHS]
    for name in [*BOILERPLATE_NAMES, "cookies", "Most read", "Copyright"]:
        assert name not in article.text
    assert (article.meta.title, article.meta.author, article.meta.published) == (TITLE, "Jane Doe", "2024-10-23")
    assert article.input.format == "html" and article.input.library.startswith("trafilatura ")
    assert article.page_starts is None


def test_navigation_only_page_is_no_article(tmp_path):
    path = tmp_path / "sections.htm"
    path.write_text(NAVIGATION_PAGE, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert caught.value.kind == "no-article"
    assert str(caught.value) == f"{path}: no article text on the page (only navigation, links or boilerplate), skipped"


COPYRIGHT = "<p>Copyright 2024 World News Daily. All rights reserved. Offices in France and Norway. Contact us for subscriptions.</p>"
HEADLINE_LINKS = "<ul><li><a href='/x'>Kazakhstan and China sign a trade deal</a></li><li><a href='/y'>SCO summit opens</a></li></ul>"


@pytest.mark.parametrize(
    "body",
    [
        f"<footer>{COPYRIGHT}</footer>",
        f"<div class='footer'>{COPYRIGHT}</div>",
        f"<div id='site-footer'>{COPYRIGHT}</div>",
        f"<div role='contentinfo'>{COPYRIGHT}</div>",
        f"<header><nav><a href='/a'>World</a> <a href='/b'>Politics</a></nav></header>{HEADLINE_LINKS}"
        "<footer>Copyright 2024 News Daily, all rights reserved.</footer>",
    ],
)
def test_footer_or_navigation_only_page_is_no_article(tmp_path, body):
    path = tmp_path / "page.html"
    path.write_text(f"<html><body class='has-navbar'>{body}</body></html>", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert caught.value.kind == "no-article"


ARTICLE = "<p>Leaders of Kazakhstan and China met at the SCO summit in Astana and adopted a declaration on trade.</p>"


def _even(data: bytes) -> bytes:
    """An even number of bytes: what decodes as UTF-16 without an error."""
    return data + b" " * (len(data) % 2)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        # Deeper than libxml2's default limit of 255 nested elements.
        (("<html><body>" + "<div>" * 300 + ARTICLE + "</div>" * 300 + "</body></html>").encode(), "utf-8"),
        # 8-bit bytes that declare UTF-16 (without a byte order mark): read as UTF-8, else cp1252.
        (_even(f"<html><head><meta charset='utf-16'></head><body>{ARTICLE}</body></html>".encode()), "utf-8"),
        (_even(f"<html><head><meta charset='utf-16'></head><body>{ARTICLE.replace('China', 'Türkiye')}"
               "</body></html>".encode("cp1252")),
         "cp1252 (fallback: not valid UTF-8; the declared utf-16 needs a byte order mark)"),
        # A body named for a menu that is open still holds the article.
        (f"<html><body class='nav-open'>{ARTICLE}</body></html>".encode(), "utf-8"),
    ],
)  # fmt: skip
def test_page_read_whatever_its_nesting_or_declared_utf16(tmp_path, data, encoding):
    path = tmp_path / "page.html"
    path.write_bytes(data)
    article = read_article(path)
    assert "Leaders of Kazakhstan" in article.text
    assert article.input.encoding == encoding


TURKIYE = "<p>Türkiye and Côte d’Ivoire sent delegations to the summit in Kazan, Russia, this year.</p>"
MOSCOW = "<p>Москва приняла саммит, и делегации обсудили торговлю и безопасность в регионе.</p>"


@pytest.mark.parametrize(
    ("charset", "codec", "body", "expected_encoding"),
    [
        # Saved as UTF-8, still declaring Latin-1: the bytes decide.
        ("iso-8859-1", "utf-8", TURKIYE, "utf-8 (the page declares iso8859-1, which its bytes are not)"),
        # Declared UTF-8, written in cp1252: the cp1252 fallback, as for .txt files.
        ("utf-8", "cp1252", TURKIYE, "cp1252 (fallback: not valid UTF-8, as the page declares)"),
        # A right declaration of an 8-bit codec is followed.
        ("windows-1251", "cp1251", MOSCOW, "cp1251 (declared by the page)"),
        ("utf-8", "utf-8", TURKIYE, "utf-8"),
    ],
)
def test_html_charset(tmp_path, charset, codec, body, expected_encoding):
    path = tmp_path / "page.html"
    path.write_bytes(news_page(charset=charset, body=body).replace("–", "-").encode(codec))
    article = read_article(path)
    assert article.input.encoding == expected_encoding
    paragraph = body.removeprefix("<p>").removesuffix("</p>")
    assert paragraph in article.text.split("\n\n")


@pytest.mark.parametrize(
    ("head", "expected"),
    [(b'<meta charset="windows-1252">', "cp1252"), (b"<meta charset=UTF-8>", "utf-8"),
     (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "iso8859-1"),
     (b'<meta charset="no-such-codec">', None), (b"<title>none</title>", None)],
)  # fmt: skip
def test_declared_charset(head, expected):
    assert declared_charset(b"<html><head>" + head + b"</head></html>") == expected


def test_html_with_utf16_bom():
    data = codecs.BOM_UTF16_LE + news_page(charset="utf-16").encode("utf-16-le")
    text, encoding = decode_html(data, "page.html")
    assert encoding == "utf-16 (BOM)" and TITLE in text


# --- Word files ---------------------------------------------------------------------------


def test_docx_paragraphs_and_table_without_page_header(tmp_path):
    path = write_docx(
        tmp_path / "statement.docx",
        [TITLE, "", *PARAGRAPHS],
        table=[["Member", "Joined"], ["Egypt", "2024"]],
        header="Ministry of Foreign Affairs of Norway",
    )
    article = read_article(path)
    assert article.text.split("\n\n") == [TITLE, *PARAGRAPHS, "Member", "Joined", "Egypt", "2024"]
    assert "Norway" not in article.text
    assert article.input.format == "docx" and article.input.library.startswith("python-docx ")


@pytest.mark.parametrize(
    ("data", "kind", "reason"),
    [
        (b"PK\x03\x04 cut off", "corrupt", "corrupt .docx (BadZipFile"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "encrypted",
            "encrypted Word file",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"WordDocument", "corrupt", "not a .docx file"),
    ],
)
def test_unreadable_docx(tmp_path, data, kind, reason):
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert caught.value.kind == kind
    assert str(caught.value).startswith(f"{path}: {reason}")


def _with_content_type(path, old, new):
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.mark.parametrize(
    ("content_type", "what"),
    [
        ("application/vnd.ms-word.document.macroEnabled.main+xml", "a macro-enabled Word document (.docm)"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
         "a Word template (.dotx or .dotm)"),
    ],
)  # fmt: skip
def test_another_word_package_renamed_docx_is_named_for_what_it_is(tmp_path, content_type, what):
    path = _with_content_type(write_docx(tmp_path / "macro.docx", ["Leaders met."]), WORD_MAIN, content_type)
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert caught.value.kind == "corrupt"
    assert str(caught.value) == (
        f"{path}: not a .docx document but {what} (content type {content_type}); "
        "save it as a Word Document (.docx), skipped"
    )


def test_docx_of_only_invisible_characters_is_empty(tmp_path):
    path = write_docx(tmp_path / "zero-width.docx", ["\u200b\u200b", "\u2060 \u00ad"])
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert (caught.value.kind, caught.value.reason) == ("empty", "no text (only white space and invisible characters)")


def test_docx_without_text_is_empty(tmp_path):
    with pytest.raises(InputError) as caught:
        read_article(write_docx(tmp_path / "blank.docx", ["", "  "]))
    assert caught.value.kind == "empty"


def test_truncated_docx_is_corrupt(tmp_path):
    whole = write_docx(tmp_path / "whole.docx", PARAGRAPHS)
    with pytest.raises(InputError) as caught:
        read_article(truncated(tmp_path / "cut.docx", whole))
    assert caught.value.kind == "corrupt"


def test_printed_article_wraps_the_title(tmp_path):
    # The fixture itself: the printed copy breaks the declaration's title over two lines.
    text = read_article(printed_article(tmp_path / "kazan.pdf")).text
    assert "\n".join(WRAPPED_TITLE) in text


def test_same_bytes_same_hash_whatever_the_name(tmp_path):
    first = printed_article(tmp_path / "a.pdf")
    second = tmp_path / "b.pdf"
    second.write_bytes(first.read_bytes())
    assert read_article(first).input.sha256 == read_article(second).input.sha256
