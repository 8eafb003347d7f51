"""The report in a real headless Chromium: counts, highlights, the filter, a screenshot."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import WRITER_META
from helpers import make_record as make_shared_record

from pipeline import report
from pipeline.gold import GoldDoc, GoldSpan
from pipeline.records import ArticleRecord

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("Chromium is not installed: install it with `apt-get install chromium` to run the browser test")


def make_record(doc_id: str, text: str, mentions: list[tuple[str, str, str]]) -> ArticleRecord:
    return make_shared_record(doc_id, text, mentions, meta=replace(WRITER_META, title=f"Summit in {doc_id}"))


RECORDS = [
    make_record(
        "astana",
        "The Shanghai Cooperation Organization (SCO) met in Astana. Kazakhstan hosted it.\n\n"
        "China and Kazakhstan signed the Astana Declaration. <script>document.title='hacked'</script>",
        [
            ("Shanghai Cooperation Organization", "ORG", "SCO"),
            ("SCO", "ORG", "SCO"),
            ("Kazakhstan", "COUNTRY", "KAZ"),
            ("China", "COUNTRY", "CHN"),
            ("Kazakhstan", "COUNTRY", "KAZ"),
            ("Astana Declaration", "DOCUMENT", "astana-declaration"),
        ],
    ),
    make_record(
        "kazan",
        "BRICS leaders met in Kazan, Russia. China and India joined. They adopted the Kazan Declaration.",
        [
            ("BRICS", "ORG", "BRICS"),
            ("Russia", "COUNTRY", "RUS"),
            ("China", "COUNTRY", "CHN"),
            ("India", "COUNTRY", "IND"),
            ("Kazan Declaration", "DOCUMENT", "kazan-declaration"),
        ],
    ),
    make_record("empty", "Nothing named here.", []),
]


def astana_gold() -> GoldDoc:
    record = RECORDS[0]
    spans = [GoldSpan(e.start, e.end, e.label, e.text, e.id) for e in record.entities if e.label == "COUNTRY"]
    start = record.text.index("Astana")
    spans.append(GoldSpan(start, start + 6, "ORG", "Astana", "astana"))  # a mention the extraction missed
    return GoldDoc("astana", record.source, record.text, tuple(sorted(spans, key=lambda s: s.start)))


@pytest.fixture(scope="module")
def page(tmp_path_factory, repo_root):
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    target = tmp_path_factory.mktemp("report") / "report.html"
    report.write_report(RECORDS, target, gold={"astana": astana_gold()}, source_name="extractions.jsonl")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(target.as_uri())
        yield page
        screenshot = repo_root / "outputs" / "report-test.png"
        screenshot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()


def test_article_count_is_shown(page):
    count = page.locator("#article-count")
    assert count.get_attribute("data-count") == "3"
    assert count.inner_text().split() == ["3", "articles"]
    assert page.locator("article").count() == 3


def test_highlighted_country_is_visible_with_its_label(page):
    mark = page.locator("article[data-doc-id='kazan'] mark.ent-COUNTRY", has_text="Russia")
    assert mark.is_visible()
    assert mark.locator(".ent-label").inner_text() == "COUNTRY"
    colour = mark.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(254, 202, 116)"  # the COUNTRY colour, #feca74


def test_gold_errors_have_their_own_styles(page):
    missed = page.locator("article[data-doc-id='astana'] span.fn", has_text="Astana")
    assert missed.first.is_visible()
    false_positive = page.locator("article[data-doc-id='astana'] mark.fp", has_text="Astana Declaration")
    assert false_positive.evaluate("element => getComputedStyle(element).outlineStyle") == "dashed"


def test_script_in_article_stays_text(page):
    assert page.title() != "hacked"
    assert (
        "<script>document.title='hacked'</script>"
        in page.locator("article[data-doc-id='astana'] .doc-text").inner_text()
    )


def visible_rows(page) -> list[str]:
    rows = page.locator("#mentions-table tbody tr:visible")
    return [rows.nth(index).locator("td").nth(2).inner_text() for index in range(rows.count())]


def test_typing_in_the_filter_narrows_the_table(page):
    assert len(visible_rows(page)) == 11
    page.fill("#mentions-filter", "kazakh")
    assert visible_rows(page) == ["Kazakhstan", "Kazakhstan"]
    assert page.locator("#mentions-count").inner_text() == "2 of 11 rows"
    page.fill("#mentions-filter", "")
    page.select_option("[data-filter-for='mentions-table'] .filter-label", "DOCUMENT")
    assert visible_rows(page) == ["Astana Declaration", "Kazan Declaration"]
    page.select_option("[data-filter-for='mentions-table'] .filter-label", "")
    assert len(visible_rows(page)) == 11


def test_clicking_a_header_sorts_the_table(page):
    header = page.locator("#mentions-table thead th").nth(2)  # the "text" column
    header.click()
    assert visible_rows(page)[:3] == ["Astana Declaration", "BRICS", "China"]
    header.click()
    assert visible_rows(page)[0] == "Shanghai Cooperation Organization"


@pytest.mark.parametrize(
    ("table", "query", "expected_rows"),
    [
        ("entities-table", "kazakh", 1),  # KAZ in astana, once with its two mentions
        ("orgs-table", "brics", 1),
        ("documents-table", "astana", 1),
    ],
)
def test_every_corpus_table_filters_by_text(page, table, query, expected_rows):
    search = page.locator(f"[data-filter-for='{table}'] .filter-text")
    search.fill(query)
    assert page.locator(f"#{table} tbody tr:visible").count() == expected_rows
    search.fill("")
