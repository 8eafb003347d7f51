"""How the HTML report scales: build time, file size and time to interactive in Chromium.

Synthetic runs repeat a real run's records under new doc ids, so the tables grow as a real
run over that many articles would, with real text, entities and facts.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import require_extra
from ..records import ArticleRecord
from ..reporting.report import DEFAULT_MAX_ARTICLES, write_report
from ..reporting.tables import load_records
from .bench import BenchError

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# The page is interactive once the script has drawn the first page of the mentions table.
READY = "() => document.querySelector('#mentions-count')?.textContent !== ''"


@dataclass(frozen=True, slots=True)
class ReportBench:
    """One measured report: its size, how long it took to write and to open in Chromium."""

    articles: int
    mentions: int
    highlighted: int
    bytes: int
    build_seconds: float
    open_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "mentions": self.mentions,
            "highlighted": self.highlighted,
            "bytes": self.bytes,
            "build_seconds": round(self.build_seconds, 2),
            "open_seconds": round(self.open_seconds, 2),
        }


def synthetic_records(records: list[ArticleRecord], count: int) -> list[ArticleRecord]:
    """`count` records cycling `records`; every copy after the first gets a new doc id (`<id>~<n>`)."""
    if not records:
        raise BenchError("no records to repeat: the extraction file is empty")
    copies = []
    for index in range(count):
        lap, record = divmod(index, len(records))[0], records[index % len(records)]
        copies.append(record if lap == 0 else replace(record, doc_id=f"{record.doc_id}~{lap}"))
    return copies


def chromium_executable() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    raise BenchError("Chromium is not installed: install it with `apt-get install chromium`")


def open_seconds(path: Path) -> float:
    """Seconds from navigation to the first table drawn, in headless Chromium (best of one cold open)."""
    require_extra("playwright.sync_api", "dev", "bench --report (it opens the report in Chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            started = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_function(READY, timeout=120_000)
            return time.perf_counter() - started
        finally:
            browser.close()


def bench_report(articles: int, *, source: Path, max_articles: int = DEFAULT_MAX_ARTICLES) -> ReportBench:
    """Write a report over `articles` synthetic records and open it in Chromium."""
    if not source.exists():
        raise BenchError(f"{source}: no extraction file to repeat; give an output of `summit-extract run`")
    records = synthetic_records(list(load_records(source).records), articles)
    with tempfile.TemporaryDirectory(prefix="summit-report-bench-") as folder:
        target = Path(folder) / "report.html"
        started = time.perf_counter()
        summary = write_report(records, target, source_name=f"{articles} synthetic articles", max_articles=max_articles)
        build = time.perf_counter() - started
        opened = open_seconds(target)
        return ReportBench(
            articles=summary.articles,
            mentions=summary.mentions,
            highlighted=min(articles, max_articles),
            bytes=target.stat().st_size,
            build_seconds=build,
            open_seconds=opened,
        )


def format_report_bench(result: ReportBench) -> str:
    return (
        f"report over {result.articles} articles ({result.mentions} mentions, {result.highlighted} highlighted): "
        f"{result.bytes / 1e6:.1f} MB, built in {result.build_seconds:.1f} s, "
        f"interactive in Chromium after {result.open_seconds:.2f} s"
    )
