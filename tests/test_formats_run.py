"""A folder of a saved news page, the same article printed to PDF and a broken PDF, through the real
pipeline; a multi-page PDF with a running header and page numbers; resuming by the files' bytes."""

from __future__ import annotations

import json

import jsonschema
import pytest
from documents import BOILERPLATE_NAMES, PARAGRAPHS, TITLE, news_page, printed_article, truncated, write_pdf

from summit_extract.batch import errors_path_for, run
from summit_extract.output.jsonl import iter_jsonl
from summit_extract.output.schema import extraction_schema

pytestmark = pytest.mark.model

DECLARATION = "Kazan Declaration on Strengthening Multilateralism for Just Global Development and Security"
MEMBERS = {"BRA", "RUS", "IND", "CHN", "ZAF", "EGY", "ETH", "IRN", "ARE"}


def records_of(output):
    return {data["doc_id"]: data for _, data in iter_jsonl(output)}


def errors_of(output):
    return [data for _, data in iter_jsonl(errors_path_for(output))]


@pytest.fixture
def news_folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "kazan.html").write_text(news_page(), encoding="utf-8")
    printed_article(folder / "kazan.pdf")
    truncated(folder / "broken.pdf", printed_article(tmp_path / "whole.pdf"))
    return folder


def test_page_and_its_printed_copy_give_the_article_and_the_broken_pdf_an_error(news_folder, tmp_path, extractor):
    output = tmp_path / "out.jsonl"
    summary = run([str(news_folder)], output, extractor=extractor)
    assert (summary.extracted, summary.failed) == (2, 1)
    records = records_of(output)
    assert sorted(records) == ["kazan.html", "kazan.pdf"]
    for doc_id, record in records.items():
        jsonschema.validate(record, extraction_schema())
        texts = [entity["text"] for entity in record["entities"]]
        # The title that the printed copy wraps over two lines comes out whole.
        assert DECLARATION in texts, doc_id
        countries = {entity["id"] for entity in record["entities"] if entity["label"] == "COUNTRY"}
        assert countries == MEMBERS, doc_id
        for name in BOILERPLATE_NAMES:
            assert name not in record["text"] and name not in texts, (doc_id, name)
        assert record["meta"]["title"] == TITLE
        # Raw offsets point into the text that was taken out of the file, written to the record.
        for entity in record["entities"]:
            raw = record["raw_text"][entity["raw_start"] : entity["raw_end"]]
            assert " ".join(raw.split()) == entity["text"], (doc_id, entity)
    html, pdf = records["kazan.html"], records["kazan.pdf"]
    assert html["meta"] == {"title": TITLE, "author": "Jane Doe", "published": "2024-10-23"}
    assert html["input"]["format"] == "html" and html["input"]["library"].startswith("trafilatura ")
    assert pdf["input"]["format"] == "pdf" and pdf["input"]["library"].startswith("pypdfium2 ")
    assert all(entity["page"] == 1 for entity in pdf["entities"])
    assert all("page" not in entity for entity in html["entities"])
    (error,) = errors_of(output)
    assert (error["doc_id"], error["error"]) == ("broken.pdf", "corrupt")
    assert error["message"] == f"{news_folder / 'broken.pdf'}: truncated PDF (no %%EOF marker at its end), skipped"


def test_glob_picks_one_format_and_resume_goes_by_the_files_bytes(news_folder, tmp_path, extractor):
    output = tmp_path / "out.jsonl"
    first = run([str(news_folder)], output, globs=["*.html"], extractor=extractor)
    assert (first.extracted, first.failed) == (1, 0)
    again = run([str(news_folder)], output, extractor=extractor)
    assert (again.skipped, again.extracted, again.failed) == (1, 1, 1)  # the page is done; the PDFs are new
    (news_folder / "kazan.html").write_text(news_page().replace("23 October", "24 October"), encoding="utf-8")
    changed = run([str(news_folder)], output, extractor=extractor)
    assert (changed.skipped, changed.extracted) == (1, 1)
    assert "24 October" in records_of(output)["kazan.html"]["text"]


# A report whose sentences run on over the page breaks, under a running header with page numbers.
REPORT_PAGES = [
    [TITLE, PARAGRAPHS[0], "Delegations from Kazakhstan and Uzbekistan followed the talks, while"],
    ["observers from Mongolia asked about the New Development Bank. " + PARAGRAPHS[2]],
    ["Egypt and Ethiopia took their seats as members of BRICS for the first time."],
]


def test_multi_page_pdf_without_running_header_and_with_pages(tmp_path, extractor):
    path = write_pdf(tmp_path / "brief.pdf", REPORT_PAGES, running_header="Policy Brief No. 14", page_numbers=True)
    output = tmp_path / "out.jsonl"
    run([str(path)], output, extractor=extractor)
    record = records_of(output)["brief.pdf"]
    assert "Policy Brief" not in record["text"] and "Policy Brief" not in record["raw_text"]
    # The sentence broken by the page break is whole again, with nothing spliced into it.
    assert "followed the talks, while observers from Mongolia asked" in record["text"]
    assert not any(paragraph.strip().isdigit() for paragraph in record["text"].split("\n\n"))
    pages = {(entity["text"], entity["page"]) for entity in record["entities"]}
    assert {("Kazakhstan", 1), ("Mongolia", 2), ("New Development Bank", 2), ("Ethiopia", 3), ("BRICS", 3)} <= pages
    assert ("BRICS", 1) in pages  # the title on the first page
    print(json.dumps(sorted(pages)))
