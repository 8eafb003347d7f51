"""`summit-extract table`: review tables over extraction output."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..tables import (
    LoadedRecords,
    build_view,
    load_records,
    to_markdown,
    write_table,
)
from ._app import app


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


def read_output(path: Path) -> LoadedRecords:
    """The records of an output file; each line left out is named on stderr (output stays clean)."""
    loaded = load_records(path)
    for message in loaded.skipped:
        typer.echo(f"summit-extract: warning: left out {message}", err=True)
    for message in loaded.duplicates:
        typer.echo(f"summit-extract: warning: {message}", err=True)
    return loaded


def format_for(path: Path) -> Format:
    """The format a file name asks for (".xlsx" -> xlsx); csv when the suffix names none."""
    suffix = path.suffix.lower().lstrip(".")
    return Format(suffix) if suffix in Format.__members__ else Format.csv


@app.command("table")
def table_command(
    output_file: Annotated[
        Path, typer.Argument(metavar="EXTRACTIONS", help="Extraction output JSONL (from `summit-extract run`).")
    ],
    view: Annotated[
        View, typer.Option("--view", help="Which table: mentions, entities, countries, orgs, documents.")
    ] = View.mentions,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", help="File format with -o: csv, xlsx, parquet or md (default: from the -o suffix, else csv)."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file; without it, print to the terminal.")
    ] = None,
) -> None:
    """Show one table view of an extraction output, or write it as csv, xlsx, parquet or md."""
    frame = build_view(read_output(output_file).records, view.value)
    if output is None:
        typer.echo(to_markdown(frame))
        return
    write_table(frame, output, (fmt or format_for(output)).value, sheet_name=view.value)
    typer.echo(f"Wrote {len(frame)} rows of the {view.value} view to {output}")
