"""The batch job behind `summit-extract run`: read, clean, extract and write a corpus as JSONL.

Articles stream through in input order and each record is written as one whole line the
moment it exists, so memory stays flat however large the corpus. One bad article becomes a
line in `<output stem>.errors.jsonl` and never stops the others. Re-running over an existing
output resumes it: articles whose (doc id, input hash, pipeline version, model) are already
there are skipped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .jsonl import JsonlError, dumps, iter_jsonl, write_line
from .model import resolve_model
from .records import LABELS, ArticleRecord, ErrorRecord
from .sources import Source, expand_paths

# A resumable article is identified by what went in and what processed it.
DoneKey = tuple[str, str, str, bool]  # (input sha256, pipeline version, model, with rejected spans)

ENGINES = ("local", "dask")
DEFAULT_BATCH_SIZE = 16
DEFAULT_MAX_ROWS = 40


class RunError(RuntimeError):
    """The job cannot start (for example the output file is not one of ours); nothing was written."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article already in the output with the same input hash, pipeline version and model."""

    doc_id: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "source": self.source}


Outcome = ArticleRecord | ErrorRecord | Skipped


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of the per-article summary table."""

    doc_id: str
    status: str  # "extracted", "skipped" or "failed"
    countries: int = 0
    orgs: int = 0
    documents: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "status": self.status,
            "countries": self.countries,
            "orgs": self.orgs,
            "documents": self.documents,
        }


def label_counts(entities: Iterable[Any]) -> Counter[str]:
    """Entities per label, from `Entity` objects or their dicts."""
    return Counter(entity["label"] if isinstance(entity, dict) else entity.label for entity in entities)


def row_for(doc_id: str, status: str, counts: Counter[str] | None = None) -> ArticleRow:
    counts = counts or Counter()
    return ArticleRow(doc_id, status, counts["COUNTRY"], counts["ORG"], counts["DOCUMENT"])


@dataclass(slots=True)
class RunSummary:
    """What a run did, returned by `run()` and printed by the CLI."""

    output: str
    errors_output: str
    engine: str = "local"
    jobs: int = 1
    read: int = 0
    extracted: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0
    entities: Counter[str] = field(default_factory=Counter)
    failures: list[ErrorRecord] = field(default_factory=list)
    articles: list[ArticleRow] = field(default_factory=list)
    interrupted: bool = False

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.interrupted else 0

    def add(self, outcome: Outcome, previous: dict[str, Counter[str]] | None = None) -> None:
        """Count one outcome; `previous` holds label counts of records already in the output."""
        self.read += 1
        if isinstance(outcome, ArticleRecord):
            counts = label_counts(outcome.entities)
            self.extracted += 1
            self.words += len(outcome.text.split())
            self.entities.update(counts)
            self.articles.append(row_for(outcome.doc_id, "extracted", counts))
        elif isinstance(outcome, Skipped):
            self.skipped += 1
            self.articles.append(row_for(outcome.doc_id, "skipped", (previous or {}).get(outcome.doc_id)))
        else:
            self.add_failure(outcome, counted=True)

    def add_failure(self, error: ErrorRecord, *, counted: bool = False) -> None:
        if not counted:
            self.read += 1
        self.failed += 1
        self.failures.append(error)
        self.articles.append(row_for(error.doc_id, "failed"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "errors_output": self.errors_output,
            "engine": self.engine,
            "jobs": self.jobs,
            "read": self.read,
            "extracted": self.extracted,
            "skipped": self.skipped,
            "failed": self.failed,
            "entities": {label: self.entities.get(label, 0) for label in LABELS},
            "failures": [failure.to_dict() for failure in self.failures],
            "articles": [row.to_dict() for row in self.articles],
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "words_per_second": round(self.words_per_second, 1),
            "interrupted": self.interrupted,
        }


# ---------------------------------------------------------------------------
# Per-article work, shared by every engine


def errors_path_for(output: str | Path) -> Path:
    """`out/extractions.jsonl` -> `out/extractions.errors.jsonl`."""
    output = Path(output)
    return output.with_name(f"{output.stem}.errors.jsonl")


def extraction_error(doc_id: str, source: str, error: BaseException) -> ErrorRecord:
    detail = str(error).splitlines()[0] if str(error) else ""
    return ErrorRecord(
        doc_id=doc_id,
        source=source,
        error="extract",
        message=f"{source}: extraction failed ({type(error).__name__}{': ' + detail if detail else ''})",
    )


def input_error(doc_id: str, source: str, error: Exception) -> ErrorRecord:
    """An `InputError` from the reader (or any failure to read) as an error record."""
    kind = getattr(error, "kind", None) or "unreadable"
    message = str(error).splitlines()[0] if str(error) else f"{source}: cannot be read"
    if source not in message:
        message = f"{source}: {message}"
    return ErrorRecord(doc_id=doc_id, source=source, error=kind, message=message)


# The first articles an extractor sees are extracted outside memory zones, so their words
# (most of a corpus's everyday vocabulary) stay in the vocabulary for good. Inside a zone a
# word new to the vocabulary gets a fresh lexeme in every batch: tokenising 300 benchmark
# articles in zones of 16 took 0.92 s against 0.15 s outside zones. The warm-up costs a
# one-off few thousand strings.
WARM_UP_ARTICLES = 64
_articles_seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def memory_zone(nlp: Any) -> contextlib.AbstractContextManager:
    """Strings a batch adds to the vocabulary are dropped when it ends (spaCy >= 3.8).

    Without it the string store grows with every new token of a long run.
    """
    zone = getattr(nlp, "memory_zone", None)
    return zone() if zone is not None else contextlib.nullcontext()


def warmed_up(extractor: Any, articles: int) -> bool:
    """Whether `extractor` is past its warm-up; counts `articles` more as seen."""
    try:
        seen = _articles_seen.get(extractor, 0)
        _articles_seen[extractor] = seen + articles
    except TypeError:  # an object that takes no weak reference: always use zones
        return True
    return seen >= WARM_UP_ARTICLES


def extract_batch(extractor: Any, items: Sequence[Any], *, zone: bool = True) -> list[ArticleRecord | ErrorRecord]:
    """Extract `items` (ArticleInput) in one `nlp.pipe` pass; one failing article fails alone.

    On an exception the batch is retried one article at a time, so only the article that
    raised becomes an error record. With `zone` the batch runs in a memory zone.
    """
    if not items:
        return []
    try:
        with memory_zone(extractor.nlp) if zone else contextlib.nullcontext():
            records = list(extractor.extract_many(items, batch_size=len(items)))
        if len(records) != len(items):
            raise RuntimeError(f"expected {len(items)} records from the batch, got {len(records)}")
        return records
    except Exception as error:  # noqa: BLE001 - any failure of one article must not stop the others
        if len(items) == 1:
            return [extraction_error(items[0].doc_id, items[0].source, error)]
        outcomes: list[ArticleRecord | ErrorRecord] = []
        for item in items:
            outcomes.extend(extract_batch(extractor, [item], zone=zone))
        return outcomes


def read_source(source: Source, max_bytes: int | None, stdin_article: Any = None) -> Any:
    """The decoded article behind `source`; raises the reader's `InputError`."""
    from .reader import read_article

    if source.is_stdin:
        if isinstance(stdin_article, Exception):
            raise stdin_article
        return stdin_article
    if max_bytes is None:
        return read_article(source.path)
    return read_article(source.path, max_bytes=max_bytes)


def read_stdin_article(max_bytes: int | None = None) -> Any:
    """Standard input read once, up front (it cannot be read by a worker process)."""
    from .reader import read_stdin

    try:
        return read_stdin() if max_bytes is None else read_stdin(max_bytes=max_bytes)
    except Exception as error:  # noqa: BLE001 - handed on and reported as this article's error
        return error


def process_sources(
    sources: Iterable[Source],
    extractor: Any,
    done: dict[str, DoneKey] | None = None,
    *,
    max_bytes: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    stdin_article: Any = None,
) -> Iterator[Outcome]:
    """Read, skip what is already done, extract in batches: one outcome per source, in order."""
    from .extract import ArticleInput

    done = done or {}
    version, model = extractor.pipeline_info.version, extractor.pipeline_info.model
    pending: list[Outcome | None] = []  # outcomes in order; None marks an article awaiting extraction
    batch: list[Any] = []

    def flush() -> Iterator[Outcome]:
        records = iter(extract_batch(extractor, batch, zone=warmed_up(extractor, len(batch))))
        for outcome in pending:
            yield next(records) if outcome is None else outcome
        pending.clear()
        batch.clear()

    for source in sources:
        try:
            article = read_source(source, max_bytes, stdin_article)
        except Exception as error:  # noqa: BLE001 - InputError or an OS error: this article fails alone
            pending.append(input_error(source.doc_id, source.name, error))
        else:
            explain = getattr(extractor, "explain", False)
            key = (article.input.sha256, version, model, explain) if article.input is not None else None
            if key is not None and done.get(source.doc_id) == key:
                pending.append(Skipped(source.doc_id, source.name))
            else:
                pending.append(None)
                batch.append(ArticleInput(source.doc_id, source.name, article.text, article.input))
        if len(batch) >= batch_size:
            yield from flush()
        elif batch == [] and pending:
            # Nothing waits for extraction: hand skipped and failed articles on at once.
            yield from pending
            pending.clear()
    yield from flush()


# ---------------------------------------------------------------------------
# The output file: refuse what is not ours, resume what is


@dataclass(slots=True)
class OutputState:
    """What an existing output already holds."""

    done: dict[str, DoneKey] = field(default_factory=dict)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    lines: int = 0
    duplicates: bool = False
    truncated_bytes: int = 0


def truncate_partial_line(path: Path) -> int:
    """Cut a trailing line without its newline (left by a killed run); returns bytes removed."""
    if not path.is_file():
        return 0
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        # Read backwards in blocks until the last newline: records can be long.
        position, block = size, 65536
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        while position > 0:
            start = max(0, position - block)
            handle.seek(start)
            chunk = handle.read(position - start)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                handle.truncate(keep)
                return size - keep
            position = start
        handle.truncate(0)
        return size


def looks_like_record(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("doc_id"), str)
        and isinstance(data.get("text"), str)
        and isinstance(data.get("entities"), list)
        and isinstance(data.get("pipeline"), dict)
    )


def scan_output(path: Path) -> OutputState:
    """Read an existing output for resuming; raises `RunError` if it is not a summit-extract output."""
    state = OutputState()
    with path.open("rb") as handle:
        head = handle.read(64).lstrip()
    if head and not head.startswith(b"{"):
        raise RunError(
            f"{path} exists and is not a summit-extract output (it does not start with a JSON object); "
            "choose another -o file or pass --force to overwrite it"
        )
    state.truncated_bytes = truncate_partial_line(path)
    try:
        for line_no, data in iter_jsonl(path):
            if not looks_like_record(data):
                raise RunError(
                    f"{path}, line {line_no}: not a summit-extract record; "
                    "choose another -o file or pass --force to overwrite it"
                )
            doc_id = data["doc_id"]
            if doc_id in state.done:
                state.duplicates = True
            pipeline = data["pipeline"]
            sha = (data.get("input") or {}).get("sha256", "")
            explained = "rejected" in data  # a run with --explain redoes records made without it, and back
            state.done[doc_id] = (str(sha), str(pipeline.get("version")), str(pipeline.get("model")), explained)
            state.counts[doc_id] = label_counts(e for e in data["entities"] if isinstance(e, dict))
            state.lines += 1
    except JsonlError as error:
        raise RunError(f"{error}; choose another -o file or pass --force to overwrite it") from error
    return state


def prepare_output(output: Path, *, force: bool) -> OutputState:
    """Make `output` ready for appending and tell what it already holds."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists() and not output.is_file():
        raise RunError(f"{output} is not a regular file; choose another -o path")
    if force or not output.exists():
        output.write_bytes(b"")
        return OutputState()
    return scan_output(output)


def keep_latest_records(output: Path) -> int:
    """Rewrite `output` with one record per doc id (the last written); returns lines dropped.

    Needed only when a changed input or model replaced an article already in the output.
    """
    last_line: dict[str, int] = {}
    for line_no, data in iter_jsonl(output):
        last_line[data["doc_id"]] = line_no
    keep = set(last_line.values())
    temporary = output.with_name(f".{output.name}.compact")
    dropped = 0
    with output.open("r", encoding="utf-8") as source, temporary.open("w", encoding="utf-8") as target:
        for line_no, line in enumerate(source, start=1):
            if not line.strip():
                continue
            if line_no in keep:
                target.write(line)
            else:
                dropped += 1
        target.flush()
        os.fsync(target.fileno())
    temporary.replace(output)
    return dropped


# ---------------------------------------------------------------------------
# Engines: each yields one outcome per source, in input order


def local_outcomes(
    sources: list[Source],
    done: dict[str, DoneKey],
    *,
    model: str | None,
    batch_size: int,
    max_bytes: int | None,
    stdin_article: Any,
    extractor: Any = None,
    explain: bool = False,
) -> Iterator[Outcome]:
    if extractor is None:
        from .extract import Extractor

        extractor = Extractor(model, explain=explain)
    yield from process_sources(
        sources, extractor, done, max_bytes=max_bytes, batch_size=batch_size, stdin_article=stdin_article
    )


_WORKER_EXTRACTOR: Any = None


def _exit_when_parent_dies(parent_pid: int, interval: float = 1.0) -> None:
    """A worker whose run was killed (kill -9 leaves no time to stop the pool) ends itself.

    Without this the workers wait on their task queue forever, each holding a loaded model.
    """
    import psutil

    try:
        parent = psutil.Process(parent_pid)
        while parent.is_running() and parent.status() != psutil.STATUS_ZOMBIE:
            time.sleep(interval)
    except psutil.Error:
        pass
    os._exit(1)


def _init_pool_worker(model: str | None, parent_pid: int, explain: bool = False) -> None:
    """Load the pipeline once per worker process; Ctrl-C is the parent's to handle."""
    global _WORKER_EXTRACTOR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_parent_dies, args=(parent_pid,), daemon=True).start()
    from .extract import Extractor

    _WORKER_EXTRACTOR = Extractor(model, explain=explain)


def _pool_chunk(
    chunk: list[Source], done: dict[str, DoneKey], max_bytes: int | None, batch_size: int, stdin_article: Any
) -> list[Outcome]:
    return list(
        process_sources(
            chunk, _WORKER_EXTRACTOR, done, max_bytes=max_bytes, batch_size=batch_size, stdin_article=stdin_article
        )
    )


def default_start_method() -> str:
    """forkserver where the platform has it, else spawn: never fork a parent that may hold threads."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


def pool_outcomes(
    sources: list[Source],
    done: dict[str, DoneKey],
    *,
    model: str | None,
    jobs: int,
    batch_size: int,
    max_bytes: int | None,
    stdin_article: Any,
    start_method: str | None = None,
    explain: bool = False,
) -> Iterator[Outcome]:
    """Chunks of `batch_size` articles over `jobs` processes, results taken back in input order.

    At most two chunks per worker are in flight, so memory does not grow with the corpus.
    """
    context = multiprocessing.get_context(start_method or default_start_method())
    window = 2 * jobs
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_pool_worker, initargs=(model, os.getpid(), explain)
    ) as pool:
        pending: deque = deque()
        try:
            for start in range(0, len(sources), batch_size):
                chunk = sources[start : start + batch_size]
                chunk_done = {s.doc_id: done[s.doc_id] for s in chunk if s.doc_id in done}
                chunk_stdin = stdin_article if any(s.is_stdin for s in chunk) else None
                pending.append(pool.submit(_pool_chunk, chunk, chunk_done, max_bytes, batch_size, chunk_stdin))
                while len(pending) >= window:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


# ---------------------------------------------------------------------------
# The job


def run(
    paths: Sequence[str],
    output: str | Path,
    *,
    model: str | None = None,
    jobs: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    max_bytes: int | None = None,
    partition_size: int | None = None,
    start_method: str | None = None,
    progress: bool | None = None,
    on_error: Callable[[ErrorRecord], None] | None = None,
    extractor: Any = None,
    explain: bool = False,
) -> RunSummary:
    """Extract every article named by `paths` into `output`; returns what was done.

    Raises `ModelNotFoundError` when the model is missing and `RunError` when the job cannot
    start; everything that goes wrong with a single article ends up in the summary and in
    `<output stem>.errors.jsonl` instead. A loaded `extractor` is reused by the one-process
    local engine (worker processes and Dask workers load their own). `explain` adds each
    record's `rejected` list (the spans that lost, and why).
    """
    if engine not in ENGINES:
        raise RunError(f"Unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if jobs < 1:
        raise RunError(f"Invalid --jobs {jobs}: expected 1 or more")
    if batch_size < 1:
        raise RunError(f"Invalid --batch-size {batch_size}: expected 1 or more")
    if max_bytes is not None and max_bytes < 1:
        raise RunError(f"Invalid --max-bytes {max_bytes}: expected 1 or more")
    if scheduler and engine != "dask":
        raise RunError("--scheduler is for --engine dask; add --engine dask or drop --scheduler")
    model = resolve_model(model) if scheduler is None else model  # a remote cluster checks its own
    output = Path(output)
    errors_output = errors_path_for(output)
    expansion = expand_paths(paths)
    sources = expansion.sources
    state = prepare_output(output, force=force)

    summary = RunSummary(output=str(output), errors_output=str(errors_output), engine=engine, jobs=jobs)
    started = time.perf_counter()
    show_progress = sys.stderr.isatty() if progress is None else progress
    stdin_article = read_stdin_article(max_bytes) if any(source.is_stdin for source in sources) else None
    replaced = False

    with (
        output.open("a", encoding="utf-8") as records_out,
        errors_output.open("w", encoding="utf-8") as errors_out,
        tqdm(total=len(sources) + len(expansion.problems), unit="article", disable=not show_progress) as bar,
    ):

        def report_error(error: ErrorRecord) -> None:
            write_line(errors_out, error.to_dict())
            if on_error is not None:
                on_error(error)

        for problem in expansion.problems:
            summary.add_failure(problem)
            report_error(problem)
            bar.update()

        if engine == "dask":
            from .dask_engine import dask_outcomes

            outcomes: Iterator[Outcome] = dask_outcomes(
                sources,
                state.done,
                output=output,
                model=model,
                scheduler=scheduler,
                jobs=jobs,
                batch_size=batch_size,
                max_bytes=max_bytes,
                partition_size=partition_size,
                stdin_article=stdin_article,
                explain=explain,
            )
        elif jobs > 1 and len(sources) >= 2 * batch_size:
            # Fewer articles than two batches finish before worker processes have loaded the model.
            outcomes = pool_outcomes(
                sources,
                state.done,
                model=model,
                jobs=jobs,
                batch_size=batch_size,
                max_bytes=max_bytes,
                stdin_article=stdin_article,
                start_method=start_method,
                explain=explain,
            )
        else:
            summary.jobs = 1
            outcomes = local_outcomes(
                sources,
                state.done,
                model=model,
                batch_size=batch_size,
                max_bytes=max_bytes,
                stdin_article=stdin_article,
                extractor=extractor,
                explain=explain,
            )

        try:
            for outcome in outcomes:
                if isinstance(outcome, ArticleRecord):
                    write_line(records_out, outcome.to_dict())
                    replaced = replaced or outcome.doc_id in state.done
                elif isinstance(outcome, ErrorRecord):
                    report_error(outcome)
                summary.add(outcome, state.counts)
                bar.update()
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            close = getattr(outcomes, "close", None)
            if close is not None:
                close()  # stops a worker pool or cluster client promptly
            summary.seconds = time.perf_counter() - started

    # Ctrl-C can land inside a write: leave only whole lines behind.
    truncate_partial_line(output)
    if (replaced or state.duplicates) and not summary.interrupted:
        keep_latest_records(output)
    if summary.interrupted:
        raise KeyboardInterrupt
    return summary


# ---------------------------------------------------------------------------
# Printing the summary


def format_summary(summary: RunSummary, *, max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """A readable end-of-run report; the per-article table only up to `max_rows` articles."""
    from tabulate import tabulate

    lines = []
    if summary.articles and len(summary.articles) <= max_rows:
        rows = [[row.doc_id, row.status, row.countries, row.orgs, row.documents] for row in summary.articles]
        lines.append(tabulate(rows, headers=["doc_id", "status", "countries", "orgs", "documents"], tablefmt="simple"))
        lines.append("")
    elif summary.articles:
        lines.append(
            f"({len(summary.articles)} articles: per-article table left out above {max_rows}; "
            f"`summit-extract table {summary.output}` shows them)"
        )
        lines.append("")
    entities = ", ".join(f"{label} {summary.entities.get(label, 0)}" for label in LABELS)
    lines.append(
        f"articles: {summary.read} read, {summary.extracted} extracted, "
        f"{summary.skipped} skipped (already in the output), {summary.failed} failed"
    )
    lines.append(f"entities extracted: {entities}")
    lines.append(
        f"time: {summary.seconds:.1f} s, {summary.words} words, {summary.words_per_second:,.0f} words/s "
        f"({summary.engine} engine, {summary.jobs} job{'s' if summary.jobs != 1 else ''})"
    )
    lines.append(f"output: {summary.output}")
    if summary.failures:
        lines.append(f"failed ({summary.failed}), details in {summary.errors_output}:")
        lines.extend(f"  {failure.source} [{failure.error}]" for failure in summary.failures)
    if summary.skipped and not summary.extracted:
        lines.append("every article was already in the output; pass --force to extract them again")
    return "\n".join(lines)


def summary_json(summary: RunSummary) -> str:
    return dumps(summary.to_dict())


__all__ = [
    "ArticleRow",
    "RunError",
    "RunSummary",
    "Skipped",
    "errors_path_for",
    "extract_batch",
    "format_summary",
    "process_sources",
    "run",
    "scan_output",
    "truncate_partial_line",
]
