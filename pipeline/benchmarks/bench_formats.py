"""`summit-extract bench --formats`: pages per second for PDF and web page input beside plain text.

The same benchmark articles are written as .txt files, as saved news pages (a menu, a sidebar
and a footer around the article) and as PDFs (a running header and page numbers), and each
folder is read and then extracted end to end in this process with one loaded pipeline (its
load time left out, so the formats compare by what reading them costs). A page is a PDF page;
a .txt file or a web page counts as one page.
"""

from __future__ import annotations

import html
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import require_extra
from .bench import BenchError, build_corpus, machine_info

FORMATS = ("txt", "html", "pdf")
DEFAULT_FORMAT_DOCS = 40
# A font with the corpus's typographic quotes, dashes and accents; without it, Helvetica and
# the text folded to Latin-1 (which only changes a few characters of the figures' words).
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PAGE_TEMPLATE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} – Daily</title></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
{paragraphs}
</article><aside class="sidebar"><h2>Most read</h2><ul><li><a href="/x">Another story</a></li></ul></aside></main>
<footer><p>Copyright Daily.</p></footer></body></html>
"""


def write_page(text: str, path: Path) -> None:
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    body = "\n".join(f"<p>{html.escape(' '.join(part.split()))}</p>" for part in paragraphs[1:])
    path.write_text(PAGE_TEMPLATE.format(title=html.escape(paragraphs[0]), paragraphs=body), encoding="utf-8")


def write_pdf(text: str, path: Path) -> None:
    require_extra("fpdf", "dev", "bench --formats (it writes its PDFs with fpdf2)")
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font(family, size=8)
            self.cell(0, 6, f"Summit Review    Page {self.page_no()}", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(family, size=8)
            self.cell(0, 6, str(self.page_no()), align="C")

    pdf = Report()
    family = "Helvetica"
    if UNICODE_FONT.exists():
        pdf.add_font("DejaVu", fname=str(UNICODE_FONT))
        family = "DejaVu"
    else:
        text = text.encode("latin-1", "replace").decode("latin-1")
    pdf.add_page()
    pdf.set_font(family, size=11)
    for part in (part for part in text.split("\n\n") if part.strip()):
        pdf.multi_cell(0, 5, " ".join(part.split()), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))


def write_format_corpus(folder: Path, docs: int, file_format: str, source: Path) -> list[Path]:
    """`docs` benchmark articles in `folder` as .txt, .html or .pdf files."""
    texts = build_corpus(folder / "_txt", docs, source)
    if file_format == "txt":
        return texts
    written = []
    for path in texts:
        target = folder / f"{path.stem}.{file_format}"
        (write_page if file_format == "html" else write_pdf)(path.read_text(encoding="utf-8"), target)
        written.append(target)
    return written


def format_times(docs: int = DEFAULT_FORMAT_DOCS, *, source: Path, model: str | None = None) -> dict[str, Any]:
    """Per format: files, pages, words, seconds to read the files and to extract them end to end."""
    from ..batch import run
    from ..extraction.extract import Extractor
    from ..reading.reader import read_article

    extractor = Extractor(model)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for file_format in FORMATS:
            folder = Path(scratch) / file_format
            paths = write_format_corpus(folder, docs, file_format, source)
            started = time.perf_counter()
            articles = [read_article(path) for path in paths]
            read_seconds = time.perf_counter() - started
            pages = sum(len(article.page_starts or (0,)) for article in articles)
            started = time.perf_counter()
            summary = run([str(path) for path in paths], Path(scratch) / f"{file_format}.jsonl", extractor=extractor)
            run_seconds = time.perf_counter() - started
            if summary.failed:
                raise BenchError(f"{summary.failed} {file_format} benchmark files failed; see {summary.errors_output}")
            results[file_format] = {
                "files": len(paths),
                "pages": pages,
                "words": summary.words,
                "read_seconds": round(read_seconds, 3),
                "read_pages_per_second": round(pages / read_seconds, 1),
                "run_seconds": round(run_seconds, 3),
                "run_pages_per_second": round(pages / run_seconds, 1),
                "words_per_second": round(summary.words / run_seconds),
            }
    return {"docs": docs, "formats": results, "machine": machine_info()}


def format_format_times(times: dict[str, Any]) -> str:
    from tabulate import tabulate

    rows = [
        [name, f["files"], f["pages"], f["words"], f["read_seconds"], f["read_pages_per_second"],
         f["run_seconds"], f["run_pages_per_second"], f["words_per_second"]]
        for name, f in times["formats"].items()
    ]  # fmt: skip
    headers = ["format", "files", "pages", "words", "read s", "read pages/s", "run s", "run pages/s", "words/s"]
    machine = times["machine"]
    return "\n".join(
        [
            tabulate(rows, headers=headers, tablefmt="simple"),
            f"machine: {machine['cpu_count']} CPUs, load average {machine['load_average']}",
        ]
    )


__all__ = ["DEFAULT_FORMAT_DOCS", "FORMATS", "format_format_times", "format_times", "write_format_corpus"]
