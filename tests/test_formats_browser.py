"""A news page printed to PDF by a real headless Chromium gives the page's entities, on their pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from documents import BOILERPLATE_NAMES, PARAGRAPHS, PRINT_STYLE, news_page, print_to_pdf

from summit_extract.batch import run
from summit_extract.output.jsonl import iter_jsonl

pytestmark = [pytest.mark.browser, pytest.mark.model]


def chromium_path() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("Chromium is not installed: install it with `apt-get install chromium` to run the browser test")


def test_printed_page_equals_the_saved_page(tmp_path, extractor):
    pytest.importorskip("playwright.sync_api")
    chromium = chromium_path()
    folder = tmp_path / "inbox"
    folder.mkdir()
    last = PARAGRAPHS[-1]
    html = (
        news_page()
        .replace("</head>", PRINT_STYLE + "</head>")
        .replace(f"<p>{last}", f"<p style='break-before: page'>{last}")
    )
    page = folder / "kazan.html"
    page.write_text(html, encoding="utf-8")
    print_to_pdf(page, folder / "kazan.pdf", chromium)
    output = tmp_path / "out.jsonl"
    summary = run([str(folder)], output, extractor=extractor)
    assert (summary.extracted, summary.failed) == (2, 0)
    records = {data["doc_id"]: data for _, data in iter_jsonl(output)}
    html_record, pdf_record = records["kazan.html"], records["kazan.pdf"]
    # Chromium's header (date, title) and footer (file address, "1/2") are gone, the text is the page's.
    assert pdf_record["text"] == html_record["text"]
    assert "file://" not in pdf_record["raw_text"] and "1/2" not in pdf_record["raw_text"]

    def mentions(record):
        return [(e["label"], e["text"], e["id"]) for e in record["entities"]]

    assert mentions(pdf_record) == mentions(html_record)
    assert not {name for name in BOILERPLATE_NAMES if any(name in text for _, text, _ in mentions(pdf_record))}
    pages = {e["text"]: e["page"] for e in pdf_record["entities"]}
    assert (pages["Brazil"], pages["United Nations Security Council"]) == (1, 2)
