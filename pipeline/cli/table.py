"""`summit-extract table`: review tables over extraction output."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from ..jsonl import JsonlError
from ..tables import LoadedRecords, TableError, build_view, load_records, to_markdown, write_table
from ._app import app, fail


def read_output(path: Path) -> LoadedRecords:
    """The records of an output file; each line left out is named on stderr (output stays clean)."""
    loaded = load_records(path)
    for message in loaded.skipped:
        typer.echo(f"summit-extract: warning: left out {message}", err=True)
    return loaded


class View(str, Enum):
    mentions = "mentions"
    entities = "entities"
    countries = "countries"
    orgs = "orgs"
    documents = "documents"


class Format(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    md = "md"


@app.command("table")
def table_command(
    output_file: Path = typer.Argument(..., help="Extraction output JSONL (from `summit-extract run`)."),
    view: View = typer.Option(View.mentions, "--view", help="Which table: mentions, entities, countries, orgs, documents."),
    fmt: Format = typer.Option(Format.csv, "--format", help="File format with -o: csv, xlsx, parquet or md."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file; without it, print to the terminal."),
) -> None:
    """Show one table view of an extraction output, or write it as csv, xlsx, parquet or md."""
    try:
        frame = build_view(read_output(output_file).records, view.value)
        if output is None:
            typer.echo(to_markdown(frame))
            return
        write_table(frame, output, fmt.value, sheet_name=view.value)
    except (JsonlError, TableError, OSError) as error:
        fail(str(error))
    typer.echo(f"Wrote {len(frame)} rows of the {view.value} view to {output}")
