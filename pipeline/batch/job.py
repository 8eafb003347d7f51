"""`run()`: read, clean, extract and write a corpus as JSONL, on the engine asked for.

Articles stream through in input order and each record is written as one whole line the
moment it exists, so memory stays flat however large the corpus. One bad article becomes a
line in `<output name>.errors.jsonl` and never stops the others. Re-running over an existing
output resumes it: articles whose (doc id, input hash, pipeline version, model) are already
there are skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import require_extra
from ..extraction.organizations import canonicaliser
from ..reading.formats.limits import ReadLimits
from ..reading.sources import STDIN_ARGUMENT, STDIN_ID, expand_paths
from ..records import ArticleRecord, ErrorRecord
from ..rules import load_rules
from .corpus_ids import apply_corpus_ids
from .engine import BatchJob, Engine, ExtractorSpec
from .errors import OptionConflictError, OptionError, OutputError, OutputIncompleteError, UnmatchedPatternError
from .outcomes import Outcome
from .output import (
    LineWriter,
    OutputLock,
    OutputState,
    errors_path_for,
    keep_latest_records,
    make_parent,
    prepare_output,
    remove_work_files,
    resolved_output,
    truncate_partial_line,
)
from .summary import RunSummary
from .work import DEFAULT_BATCH_SIZE, read_stdin_articles

ENGINES = ("local", "dask")


def check_options(
    *, engine: str | Engine, jobs: int, batch_size: int, scheduler: str | None, **limits: float | None
) -> None:
    """Raise `OptionError` / `OptionConflictError` before anything is touched; `limits` are the
    `ReadLimits` fields given (None: the default)."""
    if isinstance(engine, str) and engine not in ENGINES:
        raise OptionError("engine", engine, f"one of {', '.join(ENGINES)}")
    for name, value in (("jobs", jobs), ("batch_size", batch_size), *limits.items()):
        if value is not None and value < 1:
            raise OptionError(name, value, "1 or more")
    if scheduler and engine != "dask":
        raise OptionConflictError("scheduler", "engine", "dask")


def choose_engine(
    engine: str | Engine,
    spec: ExtractorSpec,
    *,
    sources: int,
    jobs: int,
    batch_size: int,
    scheduler: str | None = None,
    partition_size: int | None = None,
    start_method: str | None = None,
    extractor: Any = None,
) -> Engine:
    """The engine for `engine` ("local", "dask" or an engine object, used as it is)."""
    if not isinstance(engine, str):
        return engine
    if engine == "dask":
        require_extra("distributed", "cluster", "the dask engine")
        from .dask_engine import DaskEngine

        return DaskEngine(spec, scheduler=scheduler, jobs=jobs, partition_size=partition_size)
    # Fewer articles than two batches finish before worker processes have loaded the model.
    if jobs > 1 and sources >= 2 * batch_size:
        from .local import ProcessPoolEngine

        return ProcessPoolEngine(spec, jobs=jobs, start_method=start_method)
    from .local import InProcessEngine

    return InProcessEngine(spec, extractor=extractor)


def run(
    paths: Sequence[str],
    output: str | Path,
    *,
    model: str | None = None,
    patterns: str | Path | None = None,
    extractor_options: Mapping[str, Any] | None = None,
    jobs: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
    engine: str | Engine = "local",
    scheduler: str | None = None,
    max_bytes: int | None = None,
    max_chars: int | None = None,
    max_pages: int | None = None,
    max_read_seconds: float | None = None,
    globs: Sequence[str] | None = None,
    partition_size: int | None = None,
    start_method: str | None = None,
    stdin_doc_id: str | None = None,
    jsonl_input: bool = False,
    on_error: Callable[[ErrorRecord], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    extractor: Any = None,
    started_at: float | None = None,
) -> RunSummary:
    """Extract every article named by `paths` into `output`; returns what was done.

    `patterns`: a folder of the user's own pattern files added to the bundled rules (`RuleError`
    when one is malformed), checked here before anything is written and passed to every worker
    as an absolute path. `extractor_options` are further keyword arguments of `Extractor`.
    `globs` choose which files a folder contributes (default: every `.txt`, `.pdf`, `.html`,
    `.htm` and `.docx`); files named directly are read whatever their names.
    `stdin_doc_id` is the doc id of the article read from standard input (`-`; default "stdin");
    with `jsonl_input` standard input holds one article per line, `{"doc_id": ..., "text": ...}`
    (`StdinError` for a line that is not one, or a doc id given twice).
    A glob among `paths` that matches no file is an `UnmatchedPatternError`, a mistyped pattern
    refused before anything is written. `on_error` hears each failed article as it happens,
    `on_progress` (articles done, total) after each article. A loaded `extractor` is reused by
    the in-process engine (worker processes and Dask workers build their own). The summary's
    `seconds` count from `started_at` (a `time.time()`; default: this call), so they include
    loading the model and starting the engine.

    Raises `ModelNotFoundError` when the model is missing and a `RunError` when the job cannot
    start; everything that goes wrong with a single article ends up in the summary and in
    `<output name>.errors.jsonl` instead.
    """
    started = time.time() if started_at is None else started_at
    given = {
        "max_bytes": max_bytes,
        "max_chars": max_chars,
        "max_pages": max_pages,
        "max_read_seconds": max_read_seconds,
    }
    check_options(engine=engine, jobs=jobs, batch_size=batch_size, scheduler=scheduler, **given)
    limits = ReadLimits(**{name: value for name, value in given.items() if value is not None})
    for pattern in globs or ():
        if not pattern.strip():
            # Named "glob" as the command line spells the option (one pattern per use).
            raise OptionError("glob", repr(pattern), "a file name pattern such as '*.pdf'")
    if stdin_doc_id is not None and (not stdin_doc_id.strip() or any(c in stdin_doc_id for c in "\r\n")):
        raise OptionError("stdin_doc_id", stdin_doc_id, "a non-empty doc id on one line")
    if jsonl_input and stdin_doc_id is not None:
        raise OptionError("stdin_doc_id", stdin_doc_id, "none with jsonl_input: each JSONL line names its doc id")
    # spaCy is imported here, not with the module: `summit-extract --help` needs ENGINES but not spaCy.
    from ..extraction.model import resolve_model

    model = resolve_model(model) if scheduler is None else model  # a remote cluster checks its own
    options = dict(extractor_options or {})
    if patterns:
        patterns = str(Path(patterns).expanduser().resolve())
        load_rules(patterns)
        options["patterns"] = patterns
    spec = ExtractorSpec(model, options)
    # A link to the output and its target are one output: one lock, one errors file, and the
    # rewrites replace the target, not the link.
    output = resolved_output(output)
    errors_output = errors_path_for(output)
    stdin_articles = (
        read_stdin_articles(limits, doc_id=stdin_doc_id or STDIN_ID, jsonl=jsonl_input)
        if STDIN_ARGUMENT in paths
        else {}
    )
    expansion = expand_paths(paths, globs, stdin_ids=list(stdin_articles))
    if expansion.unmatched_patterns:
        raise UnmatchedPatternError(expansion.unmatched_patterns)
    # An output named *.txt inside an input folder is not an article of the next run.
    ours = {output, errors_output}
    sources = [source for source in expansion.sources if source.is_stdin or resolved_output(source.path) not in ours]
    chosen = choose_engine(
        engine,
        spec,
        sources=len(sources),
        jobs=jobs,
        batch_size=batch_size,
        scheduler=scheduler,
        partition_size=partition_size,
        start_method=start_method,
        extractor=extractor,
    )
    make_parent(output)
    try:
        with OutputLock(output):
            start = getattr(chosen, "start", None)
            if start is not None:
                start()  # a cluster is reached before the output is touched
            remove_work_files(output)
            state = prepare_output(output, force=force)
            summary = _run_job(
                chosen,
                BatchJob(
                    sources=sources,
                    output=output,
                    done=state.done,
                    batch_size=batch_size,
                    limits=limits,
                    stdin_articles=stdin_articles,
                ),
                state,
                expansion.problems,
                errors_output,
                on_error=on_error,
                on_progress=on_progress,
            )
            # The second pass: names learnt in one article name the same thing in the others.
            try:
                summary.corpus_id_records = apply_corpus_ids(output, canonicaliser(load_rules(patterns or None)))
            except OutputError as error:  # every record is written: the same command redoes only this pass
                raise OutputIncompleteError(error.path, error.reason, summary.extracted) from error
            summary.seconds = time.time() - started
            return summary
    finally:
        close = getattr(chosen, "close", None)
        if close is not None:
            close()


def _run_job(
    chosen: Engine,
    job: BatchJob,
    state: OutputState,
    problems: Sequence[ErrorRecord],
    errors_output: Path,
    *,
    on_error: Callable[[ErrorRecord], None] | None,
    on_progress: Callable[[int, int], None] | None,
) -> RunSummary:
    """Run `job` into its output (locked and prepared by the caller) and its errors file."""
    output = job.output
    summary = RunSummary(output=str(output), errors_output=str(errors_output), engine=chosen.name, jobs=chosen.jobs)
    started = time.perf_counter()
    total = len(job.sources) + len(problems)
    replaced = False

    def progressed() -> None:
        if on_progress is not None:
            on_progress(summary.read, total)

    records_out = LineWriter(output, output=output)
    try:
        with records_out, LineWriter(errors_output, output=output, start_over=True) as errors_out:

            def report_error(error: ErrorRecord) -> None:
                errors_out.write(error.to_dict())
                if on_error is not None:
                    on_error(error)

            progressed()
            for problem in problems:
                summary.add_failure(problem)
                report_error(problem)
                progressed()

            outcomes: Iterator[Outcome] = chosen.outcomes(job)
            try:
                for outcome in outcomes:
                    if isinstance(outcome, ArticleRecord):
                        records_out.write(outcome.to_dict())
                        replaced = replaced or outcome.doc_id in state.done
                    elif isinstance(outcome, ErrorRecord):
                        report_error(outcome)
                    summary.add(outcome, state.counts)
                    progressed()
            except KeyboardInterrupt:
                summary.interrupted = True
            finally:
                close = getattr(outcomes, "close", None)
                if close is not None:
                    close()  # stops a worker pool or cluster client promptly
                summary.extract_seconds = time.perf_counter() - started

        # Ctrl-C can land inside a write: leave only whole lines behind.
        truncate_partial_line(output)
        if (replaced or state.duplicates) and not summary.interrupted:
            keep_latest_records(output)
    except OutputError as error:
        if records_out.lines == 0:
            raise  # nothing of this run was written: it could not start
        raise OutputIncompleteError(error.path, error.reason, records_out.lines) from error
    if summary.interrupted:
        raise KeyboardInterrupt
    return summary


__all__ = ["ENGINES", "check_options", "choose_engine", "run"]
