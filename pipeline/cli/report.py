"""`summit-extract report`: one self-contained HTML report over extraction output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..records import DEFAULT_MAX_ARTICLES
from ._app import app, refuse_overwrite
from .table import read_output


@app.command("report")
def report_command(
    output_file: Annotated[
        Path, typer.Argument(metavar="EXTRACTIONS", help="Extraction output JSONL (from `summit-extract run`).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the HTML file.")],
    gold: Annotated[
        Path | None, typer.Option("--gold", help="Gold file or folder: adds scores and marks errors in the text.")
    ] = None,
    force: bool = typer.Option(False, "--force", help="Overwrite the HTML file if it exists."),
    max_articles: Annotated[
        int,
        typer.Option(
            "--max-articles",
            min=0,
            help="Highlighted articles to include (an even sample when there are more); tables keep every row.",
        ),
    ] = DEFAULT_MAX_ARTICLES,
) -> None:
    """Write an HTML report: highlighted articles, sortable tables, charts and, with --gold, scores."""
    from ..evaluation.gold import load_gold
    from ..reporting.report import write_report  # pandas loads for a report, not for every --help

    refuse_overwrite(output, force)
    records = read_output(output_file).records
    gold_docs = load_gold(gold) if gold is not None else None
    summary = write_report(
        records,
        output,
        gold=gold_docs,
        max_articles=max_articles,
        source_name=str(output_file),
        gold_name=str(gold) if gold else None,
    )
    line = f"Wrote {summary.path}: {summary.articles} articles, {summary.mentions} mentions"
    if gold_docs is not None:
        line += (
            f"; {summary.gold_articles} compared with gold, {summary.highlighted_fp} false positives and "
            f"{summary.highlighted_fn} missed gold spans highlighted"
        )
    typer.echo(line)
