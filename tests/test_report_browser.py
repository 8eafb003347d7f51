"""The report in a real headless Chromium: counts, highlights, the filter, a screenshot."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import WRITER_META
from helpers import make_record as make_shared_record

from summit_extract.evaluation.gold import GoldDoc, GoldSpan
from summit_extract.records import ArticleRecord, DocumentFact, Facts, Participant, Summit
from summit_extract.reporting import report

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
def browser():
    """One Chromium for the module: Playwright's sync API allows one running instance at a time."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory, repo_root):
    target = tmp_path_factory.mktemp("report") / "report.html"
    report.write_report(RECORDS, target, gold={"astana": astana_gold()}, source_name="extractions.jsonl")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(target.as_uri())
    yield page
    screenshot = repo_root / "outputs" / "report-test.png"
    screenshot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()


def test_article_count_is_shown(page):
    count = page.locator("#article-count")
    assert count.get_attribute("data-count") == "3"
    assert count.inner_text().split() == ["3", "articles"]
    assert page.locator("article").count() == 3


def shown_article(page, doc_id: str):
    """The article scrolled to: off-screen articles are not rendered (content-visibility) until then."""
    article = page.locator(f"article[data-doc-id='{doc_id}']")
    article.scroll_into_view_if_needed()
    article.locator("h3").evaluate(
        "h => new Promise((done) => { const wait = () => h.innerText ? done() : requestAnimationFrame(wait); wait(); })"
    )
    return article


def test_highlighted_country_is_visible_with_its_label(page):
    shown_article(page, "kazan")
    mark = page.locator("article[data-doc-id='kazan'] mark.ent-COUNTRY", has_text="Russia")
    assert mark.is_visible()
    assert mark.locator(".ent-label").inner_text() == "COUNTRY"
    colour = mark.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(254, 202, 116)"  # the COUNTRY colour, #feca74


def test_gold_errors_have_their_own_styles(page):
    shown_article(page, "astana")
    missed = page.locator("article[data-doc-id='astana'] span.fn", has_text="Astana")
    assert missed.first.is_visible()
    false_positive = page.locator("article[data-doc-id='astana'] mark.fp", has_text="Astana Declaration")
    assert false_positive.evaluate("element => getComputedStyle(element).outlineStyle") == "dashed"


def test_script_in_article_stays_text(page):
    shown_article(page, "astana")
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


# A 2,000-article report: the tables page, search, filter and download; the articles shown are capped.
COUNTRIES = [("Türkiye", "TUR"), ("Kazakhstan", "KAZ"), ("China", "CHN"), ("Brazil", "BRA")]
LARGE_COUNT = 2000


def large_record(index: int) -> ArticleRecord:
    country, code = COUNTRIES[index % len(COUNTRIES)]
    text = f"BRICS leaders met in Kazan. {country} joined. They adopted the Kazan Declaration."
    meta = replace(WRITER_META, title=f"Kazan <b>{index}</b>", published=f"2024-{index % 12 + 1:02d}-01")
    record = make_shared_record(
        f"a{index:04d}",
        text,
        [("BRICS", "ORG", "BRICS"), (country, "COUNTRY", code), ("Kazan Declaration", "DOCUMENT", "kazan-declaration")],
        meta=meta,
    )
    found_by = {"organization": "window", "edition": "window", "city": "dateline", "country": "default",
                "year": "dateline", "start": "window", "end": "window"}  # fmt: skip
    facts = Facts(
        summit=Summit(
            "BRICS",
            edition=16,
            city="Kazan",
            country="RUS",
            year=2024,
            start="2024-10-22",
            end="2024-10-24",
            found_by=found_by,
        ),
        # Every other article's country was found by a guess: the participants view lists those first.
        participants=(
            Participant(
                code, ("host", "guest"), found_by={"host": "structure", "guest": "default" if index % 2 else "list"}
            ),
        ),
        documents=(
            DocumentFact(
                "kazan-declaration", "adopted", proposer="RUS", found_by={"status": "title", "proposer": "window"}
            ),
        ),
    )
    return replace(record, facts=facts)


@pytest.fixture(scope="module")
def large_page(browser, tmp_path_factory):
    target = tmp_path_factory.mktemp("large") / "report.html"
    report.write_report([large_record(index) for index in range(LARGE_COUNT)], target, source_name="large.jsonl")
    page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page.goto(target.as_uri())
    yield page
    page.close()


def mentions_box(page):
    return page.locator(".data-table[data-table='mentions-table']")


def first_cells(page, column: int) -> list[str]:
    rows = page.locator("#mentions-table tbody tr")
    return [rows.nth(index).locator("td").nth(column).inner_text() for index in range(rows.count())]


def test_large_report_caps_the_highlighted_articles(large_page):
    assert large_page.locator("#article-count").get_attribute("data-count") == str(LARGE_COUNT)
    assert large_page.locator("article").count() == report.DEFAULT_MAX_ARTICLES
    assert large_page.locator("#articles-shown").get_attribute("data-shown") == str(report.DEFAULT_MAX_ARTICLES)
    articles = large_page.locator(".data-table[data-table='articles-table'] .filter-count")
    assert articles.inner_text() == f"{LARGE_COUNT} of {LARGE_COUNT} rows"  # the table keeps every article


def test_large_table_pages_through(large_page):
    box = mentions_box(large_page)
    assert large_page.locator("#mentions-table tbody tr").count() == 50
    assert box.locator(".page-info").inner_text() == "page 1 of 120"
    assert box.locator(".page-prev").is_disabled()
    first_page = first_cells(large_page, 0)
    box.locator(".page-next").click()
    assert box.locator(".page-info").inner_text() == "page 2 of 120"
    assert first_cells(large_page, 0)[0] == "a0016"  # 3 mentions an article: row 51 is a0016's third
    assert first_cells(large_page, 0) != first_page
    box.locator(".page-prev").click()
    assert first_cells(large_page, 0) == first_page


@pytest.mark.parametrize(
    ("query", "label", "expected"),
    [
        ("turkiye", "", "500 of 6000 rows"),  # accent-insensitive: finds Türkiye
        ("TÜRKIYE", "", "500 of 6000 rows"),
        ("kazan declaration", "DOCUMENT", "2000 of 6000 rows"),
        ("", "ORG", "2000 of 6000 rows"),
        ("a1999", "", "3 of 6000 rows"),
        ("no such thing", "", "0 of 6000 rows"),
    ],
)
def test_large_table_searches_and_filters(large_page, query, label, expected):
    box = mentions_box(large_page)
    box.locator(".filter-label").select_option(label)
    box.locator(".filter-text").fill(query)
    assert large_page.locator("#mentions-count").inner_text() == expected
    if query == "turkiye":
        assert set(first_cells(large_page, 2)) == {"Türkiye"}
    box.locator(".filter-text").fill("")
    box.locator(".filter-label").select_option("")
    assert large_page.locator("#mentions-count").inner_text() == "6000 of 6000 rows"


def test_clicking_a_bar_filters_the_table_and_the_chip_clears_it(large_page):
    large_page.locator("#chart-countries g.bar[data-key='KAZ']").click()
    assert large_page.locator("#mentions-count").inner_text() == "500 of 6000 rows"
    chip = mentions_box(large_page).locator(".filter-key")
    assert chip.is_visible() and chip.inner_text().startswith("id = KAZ")
    assert set(first_cells(large_page, 3)) == {"KAZ"}
    chip.click()
    assert large_page.locator("#mentions-count").inner_text() == "6000 of 6000 rows"
    large_page.locator("#chart-timeline g.bar[data-key='2024-03']").click()
    articles = large_page.locator(".data-table[data-table='articles-table'] .filter-count")
    assert articles.inner_text() == f"{LARGE_COUNT // 12 + 1} of {LARGE_COUNT} rows"  # 167 of 2000 in March


def test_the_filtered_table_downloads_as_csv(large_page):
    box = mentions_box(large_page)
    box.locator(".filter-text").fill("turkiye")
    with large_page.expect_download() as download:
        box.locator(".csv").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    box.locator(".filter-text").fill("")
    assert download.value.suggested_filename == "mentions.csv"
    assert lines[0] == "doc_id,label,text,id,norm,source,start,context"
    assert len(lines) == 501
    assert lines[1].startswith("a0000,COUNTRY,Türkiye,TUR,")


def test_summit_panel_shows_the_summit_participants_and_documents(large_page):
    panel = shown_article(large_page, "a0000").locator(".summit-panel")
    facts = panel.locator(".summit-facts").inner_text().split("\n")
    assert facts == [
        "organisation", "BRICS medium", "edition", "16 medium", "city", "Kazan high", "country", "RUS low",
        "year", "2024 high", "dates", "2024-10-22 – 2024-10-24 medium",
    ]  # fmt: skip
    assert panel.locator("table.participants tbody tr").inner_text().split("\t") == [
        "TUR", "Türkiye", "host, guest", "host: structure; guest: list", "medium",
    ]  # fmt: skip
    assert panel.locator("table.summit-documents tbody tr").inner_text().split("\t") == [
        "kazan-declaration", "Kazan Declaration", "adopted", "RUS", "status: title; proposer: window", "medium",
    ]  # fmt: skip
    assert "<b>0</b>" in large_page.locator("article[data-doc-id='a0000'] h3").inner_text()  # a title stays text


def test_roles_matrix_has_a_row_per_participant_and_a_column_per_summit(large_page):
    header = large_page.locator("#roles-table thead th")
    assert [header.nth(index).inner_text() for index in range(header.count())] == [
        "id", "norm", "BRICS 2024", "found_by", "confidence",
    ]  # fmt: skip
    box = large_page.locator(".data-table[data-table='roles-table']")
    box.locator(".filter-text").fill("brazil")
    assert large_page.locator("#roles-table tbody tr").inner_text().split("\t") == [
        "BRA", "Brazil", "host, guest", "default, structure", "low",
    ]  # fmt: skip
    box.locator(".filter-text").fill("")


def test_the_low_confidence_facts_come_first_and_stand_out(large_page):
    # Participants: KAZ and BRA (the odd articles) have a guessed guest role, TUR and CHN none.
    rows = large_page.locator("#participants-table tbody tr")
    cells = [rows.nth(index).inner_text().split("\t") for index in range(rows.count())]
    assert [(row[1], row[-1]) for row in cells] == [
        ("BRA", "low"),
        ("KAZ", "low"),
        ("CHN", "medium"),
        ("TUR", "medium"),
    ]
    low = rows.first
    assert low.get_attribute("data-confidence") == "low"
    assert low.locator("td").first.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(255, 244, 243)"
    medium = rows.nth(2).locator("td").first
    assert medium.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgba(0, 0, 0, 0)"  # not marked
    # The filter keeps only the low ones.
    box = large_page.locator(".data-table[data-table='participants-table']")
    box.locator(".filter-text").fill("low")
    assert box.locator(".filter-count").inner_text() == "2 of 4 rows"
    box.locator(".filter-text").fill("")
    # In an article's panel, a guessed field is marked low in its own colour.
    marker = shown_article(large_page, "a0000").locator(".summit-facts .confidence-low")
    assert marker.inner_text() == "low" and marker.get_attribute("title") == "found by default"
    assert marker.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(253, 226, 225)"
    # Only the low rows of the panel's tables are tinted (this article's participant is medium).
    medium_row = shown_article(large_page, "a0000").locator("table.participants tbody tr").first
    for element in (medium_row, medium_row.locator("td").first):
        assert element.evaluate("element => getComputedStyle(element).backgroundColor") == "rgba(0, 0, 0, 0)"
