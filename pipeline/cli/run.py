"""`summit-extract run`: extract a corpus into JSONL."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import typer

from ..model import ModelNotFoundError
from ..records import ErrorRecord
from ..run import DEFAULT_BATCH_SIZE, DEFAULT_MAX_ROWS, ENGINES, RunError, format_summary, run, summary_json
from ._app import app, fail


def _echo_error(error: ErrorRecord) -> None:
    typer.echo(f"summit-extract: {error.message}", err=True)


def _stop_like_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@app.command("run")
def run_command(
    paths: list[str] = typer.Argument(
        ..., metavar="PATH...", help="Article files, folders (every *.txt inside, recursively), globs, or - for stdin."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="The JSONL file to write (or resume)."),
    model: str = typer.Option(None, "--model", help="spaCy model package or folder (default: en_core_web_sm)."),
    jobs: int = typer.Option(
        None, "--jobs", "-j", min=1, help="Worker processes (local) or workers (dask). Default: number of CPUs."
    ),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="Articles per nlp.pipe batch."),
    force: bool = typer.Option(False, "--force", help="Start the output over instead of resuming it."),
    engine: str = typer.Option("local", "--engine", help=f"Where to run: {' or '.join(ENGINES)}."),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (--engine dask)."
    ),
    max_bytes: int = typer.Option(
        None, "--max-bytes", min=1, help="Refuse input files larger than this many bytes (default: the reader's limit)."
    ),
    partition_size: int = typer.Option(
        None, "--partition-size", min=1, help="Files per Dask task (--engine dask; default: chosen from the corpus)."
    ),
    max_rows: int = typer.Option(
        DEFAULT_MAX_ROWS, "--max-rows", min=0, help="Print the per-article table only up to this many articles."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object instead of a table."),
    explain: bool = typer.Option(
        False, "--explain", help="Add to each record the spans that lost to others, with the reason (key 'rejected')."
    ),
) -> None:
    """Extract countries, organisations and documents from articles into one JSONL line per article.

    Re-running over an existing output resumes it; bad articles go to <output stem>.errors.jsonl.
    Exit code 1 when any article failed, 2 when the job could not start.
    """
    if engine not in ENGINES:
        fail(f"unknown --engine {engine!r}: use one of {', '.join(ENGINES)}", 2)
    # `kill` stops the run the way Ctrl-C does: whole lines only, then a clear message.
    previous_handler = signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    try:
        summary = run(
            paths,
            output,
            model=model,
            jobs=jobs or os.cpu_count() or 1,
            batch_size=batch_size,
            force=force,
            engine=engine,
            scheduler=scheduler,
            max_bytes=max_bytes,
            partition_size=partition_size,
            on_error=_echo_error,
            explain=explain,
        )
    except ModelNotFoundError as error:
        fail(str(error), 2)
    except RunError as error:
        fail(str(error), 2)
    except KeyboardInterrupt:
        fail(f"interrupted; {output} holds the articles finished so far: run the same command again to resume", 130)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    typer.echo(summary_json(summary) if as_json else format_summary(summary, max_rows=max_rows))
    raise typer.Exit(summary.exit_code)
