"""`summit-extract bench`: speed and memory of the pipeline against plain spaCy."""

from __future__ import annotations

from pathlib import Path

import typer

from ..benchmarks.bench import (
    DEFAULT_DOCS,
    DEFAULT_ROUNDS,
    MEMORY_CHECK_DOCS,
    bench,
    format_memory_check,
    format_result,
    format_stage_times,
    memory_check,
    stage_times,
)
from ..benchmarks.bench_formats import format_format_times, format_times
from ..output.jsonl import dumps
from ..records import DEFAULT_MAX_ARTICLES
from ._app import app, fail, warn
from .exit_codes import USAGE_OR_DATA


@app.command("bench")
def bench_command(
    docs: int = typer.Option(DEFAULT_DOCS, "--docs", min=1, help="Articles in the synthetic corpus."),
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1, help="Processes for every variant (and a one-job pipeline run)."
    ),
    model: str = typer.Option(None, "--model", help="spaCy model package or folder (default: en_core_web_sm)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles per nlp.pipe batch."),
    rounds: int = typer.Option(
        DEFAULT_ROUNDS, "--rounds", min=1, help="Runs of each variant, in turn (A B C A B C ...); the median is shown."
    ),
    long_lines: int = typer.Option(
        0,
        "--long-lines",
        min=0,
        help="Also run the pipeline over one article of this many short lines (e.g. 200000), in every round.",
    ),
    facts_off: bool = typer.Option(
        False, "--facts-off", help="Also run the pipeline without the facts (run --no-facts), in every round."
    ),
    source: Path = typer.Option(
        None, "--source", help="Folder of real articles (*.txt) to cycle and vary; needed except with --report."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    check_memory: bool = typer.Option(
        False,
        "--memory-check",
        help=f"Only the pipeline, at {' and '.join(map(str, MEMORY_CHECK_DOCS))} articles: is peak memory flat?",
    ),
    stages: bool = typer.Option(
        False, "--stages", help="Seconds per pipeline stage over --docs articles in this process: what holds it back."
    ),
    formats: bool = typer.Option(
        False,
        "--formats",
        help="Pages per second for .txt, web page and PDF input (the same --docs articles in each; keep it small).",
    ),
    report: bool = typer.Option(
        False,
        "--report",
        help="Only the HTML report: its size, build seconds and seconds until it is usable in Chromium.",
    ),
    articles: int = typer.Option(
        10_000, "--articles", min=1, help="With --report: synthetic articles (a run's records repeated, new ids)."
    ),
    report_source: Path = typer.Option(
        None,
        "--report-source",
        help="With --report (and needed there): the run output whose records are repeated.",
    ),
    max_articles: int = typer.Option(
        DEFAULT_MAX_ARTICLES, "--max-articles", min=0, help="With --report: highlighted articles in the report."
    ),
) -> None:
    """Words per second, start-up and peak memory of the pipeline (A), NER-only spaCy (B) and stock spaCy (C).

    Each run is a subprocess of its own; the variants run in turn, --rounds times, and each figure is the
    median of its runs. The load average is printed with the figures: run it when the machine is quiet.
    """
    if report:
        from ..benchmarks.bench_report import (  # pandas loads here, not for every --help
            bench_report,
            format_report_bench,
        )

        if report_source is None:
            fail("--report needs --report-source FILE: an output of `summit-extract run` to repeat", USAGE_OR_DATA)
        measured = bench_report(articles, source=report_source, max_articles=max_articles)
        typer.echo(dumps(measured.to_dict()) if as_json else format_report_bench(measured))
        return
    if source is None:
        fail("bench needs --source DIR: a folder of real articles (*.txt) to cycle and vary", USAGE_OR_DATA)
    if formats:
        by_format = format_times(docs, source=source, model=model)
        typer.echo(dumps(by_format) if as_json else format_format_times(by_format))
        return
    if stages:
        times = stage_times(docs, source=source, model=model)
        typer.echo(dumps(times) if as_json else format_stage_times(times))
        return
    if check_memory:
        check = memory_check(source=source, model=model, jobs=jobs, batch_size=batch_size)
        typer.echo(dumps(check) if as_json else format_memory_check(check))
        return
    result = bench(
        docs,
        jobs=jobs,
        model=model,
        batch_size=batch_size,
        rounds=rounds,
        long_lines=long_lines,
        facts_off=facts_off,
        source=source,
    )
    typer.echo(dumps(result.to_dict()) if as_json else format_result(result))
    if result.busy_warning():
        warn(result.busy_warning())
