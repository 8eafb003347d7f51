"""`summit-extract run`: extract a corpus into JSONL, with a progress bar and a summary table."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..batch import DEFAULT_BATCH_SIZE, ENGINES
from ..output.jsonl import dumps
from ..reading.sources import STDIN_ARGUMENT, check_arguments
from ..records import LABELS, ErrorRecord
from ._app import app, fail, terminal_safe, warn
from .exit_codes import INTERRUPTED, USAGE_OR_DATA

if TYPE_CHECKING:
    from ..batch import RunSummary


DEFAULT_MAX_ROWS = 40
STDOUT = "-"  # -o - : the records to standard output
# The per-article counts are mentions (every occurrence), not distinct countries or organisations.
MENTION_COLUMNS = ["country mentions", "org mentions", "document mentions"]
Engine = Enum("Engine", {name: name for name in ENGINES}, type=str)


def format_summary(summary: RunSummary, *, max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """A readable end-of-run report; the per-article table only up to `max_rows` articles."""
    from tabulate import tabulate

    lines = []
    if summary.articles and len(summary.articles) <= max_rows:
        rows = [
            [terminal_safe(row.doc_id), row.status, row.countries, row.orgs, row.documents] for row in summary.articles
        ]
        lines.append(tabulate(rows, headers=["doc_id", "status", *MENTION_COLUMNS], tablefmt="simple"))
        lines.append("")
    elif summary.articles:
        lines.append(
            f"({len(summary.articles)} articles: per-article table left out above {max_rows}; "
            f"`summit-extract table {terminal_safe(summary.output)}` shows them)"
        )
        lines.append("")
    entities = ", ".join(f"{label} {summary.entities.get(label, 0)}" for label in LABELS)
    lines.append(
        f"articles: {summary.read} read, {summary.extracted} extracted, "
        f"{summary.skipped} skipped (already in the output), {summary.failed} failed"
    )
    lines.append(f"mentions extracted: {entities}")
    lines.append(
        f"time: {summary.seconds:.1f} s in all (start-up included), {summary.words} words extracted in "
        f"{summary.extract_seconds:.1f} s, {summary.words_per_second:,.0f} words/s "
        f"({summary.engine} engine, {summary.jobs} job{'s' if summary.jobs != 1 else ''})"
    )
    errors_output = terminal_safe(summary.errors_output)
    lines.append(f"output: {terminal_safe(summary.output)}")
    if summary.failures:
        lines.append(f"failed ({summary.failed}), details in {errors_output}:")
        lines.extend(f"  {terminal_safe(failure.source)} [{failure.error}]" for failure in summary.failures)
    if summary.skipped and not summary.extracted:
        if summary.failed:
            lines.append(
                f"nothing new extracted: {summary.skipped} already in the output, {summary.failed} failed again; "
                f"fix the failed files (details in {errors_output}) and run the same command again"
            )
        else:
            lines.append("every article was already in the output; pass --force to extract them again")
    return "\n".join(lines)


def _echo_error(error: ErrorRecord) -> None:
    warn(error.message)


def _stop_like_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@app.command("run")
def run_command(
    paths: list[str] = typer.Argument(
        ...,
        metavar="PATH",
        help="Article files, folders (every .txt, .pdf, .html/.htm and .docx inside, recursively), globs, "
        "or - for stdin.",
    ),
    globs: list[str] = typer.Option(
        None,
        "--glob",
        help="Which files of a folder to read, e.g. --glob '*.pdf' (repeatable; default: every format read).",
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The JSONL file to write (or resume), or - for standard output."
    ),
    model: str = typer.Option(None, "--model", help="spaCy model package or folder (default: en_core_web_sm)."),
    jobs: int = typer.Option(
        None, "--jobs", "-j", min=1, help="Worker processes (local) or workers (dask). Default: number of CPUs."
    ),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="Articles per nlp.pipe batch."),
    force: bool = typer.Option(False, "--force", help="Start the output over instead of resuming it."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="Where to run: worker processes here, or Dask."),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (--engine dask)."
    ),
    max_bytes: int = typer.Option(
        None,
        "--max-bytes",
        min=1,
        help="Refuse input files larger than this many bytes; a .docx may unpack to 5 times this (default: 20 MiB).",
    ),
    max_chars: int = typer.Option(
        None, "--max-chars", min=1, help="Refuse an article whose text is longer than this (default: 5,000,000)."
    ),
    max_pages: int = typer.Option(None, "--max-pages", min=1, help="Refuse a PDF of more pages (default: 1,000)."),
    max_read_seconds: float = typer.Option(
        None, "--max-read-seconds", min=1, help="Stop reading a file after this many seconds (default: 60)."
    ),
    partition_size: int = typer.Option(
        None, "--partition-size", min=1, help="Files per Dask task (--engine dask; default: chosen from the corpus)."
    ),
    patterns: Path = typer.Option(
        None,
        "--patterns",
        help="A folder of your own pattern files (organizations.jsonl, country_aliases.tsv, countries.tsv, "
        "name_rules.json), added to the bundled rules.",
    ),
    max_rows: int = typer.Option(
        DEFAULT_MAX_ROWS, "--max-rows", min=0, help="Print the per-article table only up to this many articles."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object instead of a table."),
    explain: bool = typer.Option(
        False, "--explain", help="Add to each record the spans that lost to others, with the reason (key 'rejected')."
    ),
    facts: bool = typer.Option(
        True, "--facts/--no-facts", help="Read each article's summit facts (key 'facts'); --no-facts: entities only."
    ),
    doc_id: str = typer.Option(
        None, "--doc-id", help=f"The doc id of the article read from standard input ({STDIN_ARGUMENT}; default: stdin)."
    ),
    jsonl_input: bool = typer.Option(
        False,
        "--jsonl-input",
        help=f'Standard input ({STDIN_ARGUMENT}) holds one article per line: a JSON object with "doc_id" and "text".',
    ),
) -> None:
    """Extract countries, organisations and documents from articles into one JSONL line per article.

    Re-running over an existing output resumes it; bad articles go to <output name>.errors.jsonl.
    With -o - the records go to standard output when the run ends, and the summary to stderr.
    Exit code 1 when any article failed, 2 when the job could not start.
    """
    import psutil
    from tqdm import tqdm

    from ..batch import run  # spaCy and the engines load when a run starts, not for --help

    for flag, given in (("--doc-id", doc_id is not None), ("--jsonl-input", jsonl_input)):
        if given and STDIN_ARGUMENT not in paths:
            fail(f"{flag} is about standard input; add {STDIN_ARGUMENT} to the paths", USAGE_OR_DATA)
    # A path that names no article is a usage error, found before the model loads or the output is made.
    check_arguments(paths, globs or None)

    def extract_into(target: Path) -> RunSummary:
        # `kill` stops the run the way Ctrl-C does: whole lines only, then a clear message.
        previous_handler = signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
        # The bar learns its total from the first report; it stays off when stderr is not a terminal.
        with tqdm(total=None, unit="article", disable=not sys.stderr.isatty()) as bar:

            def show_progress(done: int, total: int) -> None:
                if bar.total != total:
                    bar.total = total
                bar.update(done - bar.n)

            try:
                return run(
                    paths,
                    target,
                    model=model,
                    jobs=jobs or os.cpu_count() or 1,
                    batch_size=batch_size,
                    force=force,
                    engine=engine.value,
                    scheduler=scheduler,
                    max_bytes=max_bytes,
                    max_chars=max_chars,
                    max_pages=max_pages,
                    max_read_seconds=max_read_seconds,
                    globs=globs or None,
                    partition_size=partition_size,
                    on_error=_echo_error,
                    on_progress=show_progress,
                    patterns=patterns,
                    stdin_doc_id=doc_id,
                    jsonl_input=jsonl_input,
                    extractor_options={**({"explain": True} if explain else {}), **({} if facts else {"facts": False})},
                    started_at=psutil.Process().create_time(),  # the time reported includes Python's start-up
                )
            except KeyboardInterrupt:
                bar.close()
                if str(output) == STDOUT:
                    fail("interrupted; nothing was written to standard output", INTERRUPTED)
                fail(
                    f"interrupted; {output} holds the articles finished so far: run the same command again to resume",
                    INTERRUPTED,
                )
            finally:
                signal.signal(signal.SIGTERM, previous_handler)

    if str(output) == STDOUT:
        # The records are complete only after the run's second pass (ids learnt across articles):
        # the run writes a file of its own, which goes to standard output whole at the end.
        with tempfile.TemporaryDirectory(prefix="summit-extract-") as folder:
            summary = extract_into(Path(folder, "stdout.jsonl"))
            with open(summary.output, "rb") as records:
                shutil.copyfileobj(records, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        summary.output, summary.errors_output = "<stdout>", "the messages above"
    else:
        summary = extract_into(output)
    # The summary keeps standard output for the records when they go there.
    report = dumps(summary.to_dict()) if as_json else format_summary(summary, max_rows=max_rows)
    typer.echo(report, err=str(output) == STDOUT)
    raise typer.Exit(summary.exit_code)
