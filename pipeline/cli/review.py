"""`summit-extract review export|import`: a review sheet of mentions, and its verdicts merged into gold."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._app import command_group
from .table import read_output

if TYPE_CHECKING:
    from ..reporting.review import DocChanges

DEFAULT_EXTRACTIONS = Path("outputs/extractions.jsonl")
DEFAULT_GOLD = Path("corpus/gold")

review_app = command_group("review", "Review extracted mentions in a spreadsheet and merge the verdicts into gold.")


@review_app.command("export")
def export_command(
    output_file: Annotated[
        Path, typer.Argument(metavar="EXTRACTIONS", help="Extraction output JSONL (from `summit-extract run`).")
    ],
    sheet: Annotated[
        Path,
        typer.Option("-o", "--output", help="Where to write the review sheet: CSV, or a workbook for a .xlsx name."),
    ] = Path("review.csv"),
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            help="Gold folder (or file) the verdicts will go into; the sheet notes each article's gold version "
            f"so an import refuses articles whose gold changed meanwhile (default: {DEFAULT_GOLD} when it exists).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing sheet.")] = False,
) -> None:
    """Write a review sheet: one row per mention, with empty verdict and fix columns to fill in."""
    from ..reporting.review import export_sheet

    if gold is None and DEFAULT_GOLD.exists():
        gold = DEFAULT_GOLD
    count = export_sheet(read_output(output_file).records, sheet, gold=gold, force=force)
    typer.echo(f"Wrote {count} mention rows to {sheet}; fill in 'verdict', then run `summit-extract review import`")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _span(span: dict[str, Any]) -> str:
    return f"{span['label']} {span['text']!r} {span['start']}-{span['end']} ({span['id']})"


def describe(change: DocChanges) -> list[str]:
    """The summary line of one article's changes and one line per changed span."""
    lines = [change.summary()]
    lines += [f"  + {_span(span)}" for span in change.added]
    lines += [f"  - {_span(span)}" for span in change.removed]
    for kind, (old, new) in (
        [("relabelled", pair) for pair in change.relabelled]
        + [("re-bounded", pair) for pair in change.rebounded]
        + [("re-identified", pair) for pair in change.reidentified]
    ):
        lines.append(f"  ~ {kind}: {_span(old)} -> {_span(new)}")
    return lines


@review_app.command("import")
def import_command(
    sheet: Annotated[
        Path,
        typer.Argument(
            metavar="SHEET", help="The filled-in review sheet: CSV (comma, semicolon or tab) or an .xlsx workbook."
        ),
    ],
    gold: Annotated[Path, typer.Option("--gold", help="Gold folder (or file) to merge the verdicts into.")],
    extractions: Annotated[
        Path | None,
        typer.Option(
            "--extractions",
            help="Extraction output the sheet was exported from; needed for articles without gold "
            f"(default: {DEFAULT_EXTRACTIONS} when it exists).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the sheet and show the changes without writing gold.")
    ] = False,
    patterns: Annotated[
        Path | None,
        typer.Option(
            "--patterns",
            help="Patterns folder to write the sheet's merges to (id_aliases.tsv), read by the next "
            "`run --patterns DIR`; default: summit-patterns/.",
        ),
    ] = None,
) -> None:
    """Check a review sheet and merge its verdicts into gold, printing what changed per article; its
    'same as ID' / 'not the same as ID' merges go to the alias file the next run reads."""
    if extractions is None and DEFAULT_EXTRACTIONS.exists():
        extractions = DEFAULT_EXTRACTIONS
    records = {record.doc_id: record for record in read_output(extractions).records} if extractions else {}
    from ..reporting.review import DEFAULT_ALIAS_FOLDER, import_sheet, sheet_merges, write_aliases

    merges = sheet_merges(sheet)  # checked before any gold is written
    result = import_sheet(sheet, gold, extractions=records, dry_run=dry_run)
    for change in result.changes:
        for line in describe(change):
            typer.echo(line)
    skipped = f", {_count(result.blank_rows, 'row')} without a verdict skipped" if result.blank_rows else ""
    typer.echo(
        f"{_count(result.decided_rows, 'row')} with a verdict{skipped}; "
        f"{_count(len(result.changes), 'article')} changed"
    )
    if dry_run:
        typer.echo("Dry run: no gold file written")
    else:
        for path in result.written:
            typer.echo(f"Wrote {path}")
    if merges and not dry_run:
        folder = patterns or DEFAULT_ALIAS_FOLDER
        written = write_aliases(folder, merges)
        typer.echo(f"Wrote {_count(len(merges), 'merge')} to {written}; the next `run --patterns {folder}` uses them")
