"""PDF, web page and Word files that tests write themselves: fpdf2, plain HTML, python-docx."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import docx
from fpdf import FPDF

TITLE = "BRICS leaders adopt Kazan Declaration"
# The article of the news page and of its printed copy. A line break inside the title of the
# declaration stands for where the printed line wraps.
PARAGRAPHS = [
    "Leaders of Brazil, Russia, India, China and South Africa met in Kazan on 23 October and adopted the "
    "Kazan Declaration on Strengthening Multilateralism for Just Global Development and Security.",
    "The summit welcomed Egypt, Ethiopia, Iran and the United Arab Emirates as full members of the group, "
    "and the New Development Bank presented its lending plan.",
    "Officials said the declaration sets out a common position on the reform of the United Nations Security Council.",
]
WRAPPED_TITLE = ("Kazan Declaration on Strengthening", "Multilateralism for Just Global Development and Security")
# What a news site puts around an article: none of it is the article, and none of its names may be extracted.
BOILERPLATE_NAMES = [
    "NATO",
    "ASEAN",
    "Japan",
    "Canada",
    "Mexico",
    "Ottawa Accord",
    "Germany",
    "Argentina",
    "France",
    "Norway",
]


def news_page(*, charset: str = "utf-8", body: str | None = None) -> str:
    """A saved news page: a menu, a cookie notice, the article, a "most read" sidebar, related links, a footer."""
    article = body if body is not None else "\n".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{TITLE} – World News Daily</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-10-23T10:00:00Z">
</head><body>
<header class="site-header"><a href="/">World News Daily</a>
<nav class="menu"><ul><li><a href="/world">World</a></li><li><a href="/nato">NATO</a></li>
<li><a href="/asean">ASEAN</a></li><li><a href="/japan">Japan</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies or manage your privacy settings.</div>
<main><article>
<h1>{TITLE}</h1>
{article}
</article>
<aside class="sidebar"><h2>Most read</h2><ul>
<li><a href="/a">Canada and Mexico sign the Ottawa Accord</a></li>
<li><a href="/b">Germany hosts a summit in Elmau</a></li></ul></aside>
<section class="related"><h2>Related articles</h2><ul><li><a href="/c">Argentina joins a trade pact</a></li></ul></section>
</main>
<footer class="site-footer"><p>Copyright 2024 World News Daily. Offices in France and Norway.</p>
<ul><li><a href="/privacy">Privacy</a></li></ul></footer>
</body></html>
"""


NAVIGATION_PAGE = """<html><head><title>Sections</title></head><body>
<nav><ul><li><a href="/world">World</a></li><li><a href="/nato">NATO news</a></li>
<li><a href="/asean">ASEAN summit coverage</a></li></ul></nav><footer>Copyright 2024</footer></body></html>
"""


class _Brief(FPDF):
    """A report with a running header (its name and the page number) and a page number as footer."""

    running_header: str | None = None
    page_number_footer = False

    def header(self) -> None:
        if self.running_header:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"{self.running_header}    Page {self.page_no()}", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        if self.page_number_footer:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, str(self.page_no()), align="C")


def write_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    running_header: str | None = None,
    page_numbers: bool = False,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> Path:
    """A PDF with a text layer: each page's paragraphs as written (a newline inside one breaks the line)."""
    pdf = _Brief()
    pdf.running_header = running_header
    pdf.page_number_footer = page_numbers
    pdf.set_auto_page_break(False)
    for paragraphs in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    if user_password or owner_password:
        pdf.set_encryption(owner_password=owner_password or "owner", user_password=user_password)
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF whose page holds only a picture (a filled rectangle), no text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60, style="F")
    pdf.output(str(path))
    return path


def printed_article(path: Path, **options: object) -> Path:
    """The news page's article as a printed PDF: the title, then the paragraphs, the declaration's title wrapped."""
    first = PARAGRAPHS[0].replace(" ".join(WRAPPED_TITLE), "\n".join(WRAPPED_TITLE))
    return write_pdf(path, [[TITLE, first, *PARAGRAPHS[1:]]], **options)  # type: ignore[arg-type]


def write_docx(
    path: Path, paragraphs: list[str], *, table: list[list[str]] | None = None, header: str | None = None
) -> Path:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.save(str(path))
    return path


def truncated(path: Path, source: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


# How a news site prints: its print stylesheet hides everything but the article.
PRINT_STYLE = "<style>@media print { header, nav, aside, footer, .related, .cookie-banner { display: none } }</style>"


def print_to_pdf(page: Path, target: Path, chromium: str) -> Path:
    """Chromium's print-to-PDF of a saved page, with its running header (date, title) and footer
    (address, "1/2"); the last paragraph starts a new page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            tab.pdf(path=str(target), display_header_footer=True, format="A4", margin={"top": "2cm", "bottom": "2cm"})
        finally:
            browser.close()
    return target


def write_large_docx(path: Path, chars: int, *, paragraph_chars: int = 1_000) -> Path:
    """A .docx made by python-docx whose body is then at least `chars` characters of text in paragraphs,
    streamed into the zip: a small file that unpacks to a large one (a bomb, at gigabytes)."""
    marker = "PLACEHOLDER"
    template = path.with_suffix(".template.docx")
    write_docx(template, [marker])
    words = b"summit " * (paragraph_chars // 7)
    paragraphs = -(-chars // len(words))
    per_chunk = max(1, (1 << 20) // len(words))
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "word/document.xml":
                package.writestr(info, data)
                continue
            head, _, tail = data.partition(marker.encode())
            with package.open(info.filename, "w", force_zip64=True) as part:
                part.write(head)
                for start in range(0, paragraphs, per_chunk):
                    part.write((words + b"</w:t></w:r></w:p><w:p><w:r><w:t>") * min(per_chunk, paragraphs - start))
                part.write(tail)
    template.unlink()
    return path


def write_shared_stream_pdf(path: Path, pages: int, lines: int = 5_000) -> Path:
    """A PDF of `pages` pages that all draw one compressed content stream of `lines` lines of text.

    Written by hand: fpdf2 gives every page a content stream of its own, and the point of this file
    is that one small stream costs a reader its full parse on every page."""
    body = b"BT /F1 10 Tf 12 TL 20 800 Td " + b"(Leaders met at the SCO summit.) ' " * lines + b"ET"
    stream = zlib.compress(body, 9)
    kids = " ".join(f"{5 + page} 0 R" for page in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        *[page] * pages,
    ]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(data))
    return path
