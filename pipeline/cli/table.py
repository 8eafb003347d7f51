"""`summit-extract table`: review tables over extraction output."""

from __future__ import annotations

import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._app import app, fail, refuse_overwrite, warn

if TYPE_CHECKING:
    from ..reporting.tables import LoadedRecords

STDIN = "-"
# The views and formats are spelled here, not imported from summit_extract.reporting.tables, so that `--help` does
# not import pandas; tests/test_cli_help.py checks that both lists match the library's.
VIEWS = (
    "mentions",
    "entities",
    "countries",
    "orgs",
    "documents",
    "catalog",
    "summits",
    "participants",
    "summit-documents",
    "roles",
)
TEXT_FORMATS = ("csv", "tsv", "jsonl", "md")
FORMATS = (*TEXT_FORMATS, "xlsx", "parquet")
FALLBACK_WIDTH = 100  # columns when the width of the terminal cannot be known (output to a pipe, no $COLUMNS)

View = Enum("View", {name: name for name in VIEWS}, type=str)
Format = Enum("Format", {name: name for name in FORMATS}, type=str)


def read_output(path: Path) -> LoadedRecords:
    """The records of an output file (`-`: standard input); each line left out is named on stderr."""
    from ..reporting.tables import load_records

    if str(path) == STDIN:
        loaded = load_records("<stdin>", stream=sys.stdin.buffer)
    else:
        loaded = load_records(path)
    for message in loaded.skipped:
        warn(f"warning: left out {message}")
    for message in loaded.duplicates:
        warn(f"warning: {message}")
    return loaded


def chosen_format(fmt: str | None, output: Path | None) -> str | None:
    """The format to write: --format, else the -o suffix; None for the terminal table.

    A binary format needs -o, and an -o suffix that names another format than --format is a mistake.
    """
    from ..reporting.tables import format_of_path

    if output is None:
        if fmt is not None and fmt not in TEXT_FORMATS:
            fail(f"--format {fmt} writes a binary file: add -o FILE.{fmt} (to stdout: {', '.join(TEXT_FORMATS)})", 2)
        return fmt
    if fmt is None:
        return format_of_path(output)
    suffix = output.suffix.lower().lstrip(".")
    if suffix in FORMATS and suffix != fmt:
        fail(f"-o {output} names the {suffix} format but --format is {fmt}; make them agree", 2)
    return fmt


def terminal_width() -> int:
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


@app.command("table")
def table_command(
    output_file: Annotated[
        Path,
        typer.Argument(
            metavar="EXTRACTIONS", help="Extraction output JSONL (from `summit-extract run`), or - for stdin."
        ),
    ],
    view: Annotated[View, typer.Option("--view", help="Which table.")] = View.mentions,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="csv, tsv, jsonl or md go to stdout (or -o); xlsx and parquet need -o. "
            "Default: from the -o suffix, else a table fitted to the terminal.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (its suffix names the format unless --format does)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the -o file if it exists.")] = False,
) -> None:
    """Show one table view of an extraction output, or write it as csv, tsv, jsonl, md, xlsx or parquet."""
    fmt_name = chosen_format(fmt.value if fmt else None, output)
    if output is not None:
        refuse_overwrite(output, force)
    from ..reporting.tables import build_view, terminal_table, to_text, write_table

    frame = build_view(read_output(output_file).records, view.value)
    if output is not None:
        write_table(frame, output, fmt_name, sheet_name=view.value)
        typer.echo(f"Wrote {len(frame)} rows of the {view.value} view to {output}")
        return
    if fmt_name is not None:
        typer.echo(to_text(frame, fmt_name), nl=False)
        return
    width = terminal_width()
    drawn = terminal_table(frame, width)
    typer.echo(drawn.text, nl=False)
    notes = []
    if drawn.cut:
        notes.append("long cells shortened (…)")
    if drawn.left_out:
        shown = ", ".join(drawn.left_out[:5]) + (
            f" and {len(drawn.left_out) - 5} more" if len(drawn.left_out) > 5 else ""
        )
        notes.append(f"{len(drawn.left_out)} columns left out ({shown})")
    if notes:
        typer.echo(
            f"summit-extract: note: fitted to {width} columns: {'; '.join(notes)}. "
            "--format csv (or -o FILE.xlsx) gives every column in full.",
            err=True,
        )


@app.command("catalog")
def catalog_command(
    output_file: Annotated[
        Path,
        typer.Argument(
            metavar="EXTRACTIONS", help="Extraction output JSONL (from `summit-extract run`), or - for stdin."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file: .csv, .tsv, .jsonl, .md, .xlsx or .parquet."),
    ] = None,
    fmt: Annotated[Format | None, typer.Option("--format", help="As for `table`.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the -o file if it exists.")] = False,
) -> None:
    """The corpus catalogue: one row per organisation or document with its name, every variant seen
    with counts, articles, mentions, first and last publication date and doc ids (`table --view catalog`)."""
    table_command(output_file, View.catalog, fmt, output, force)


__all__ = ["FORMATS", "STDIN", "VIEWS", "catalog_command", "chosen_format", "read_output", "table_command"]
