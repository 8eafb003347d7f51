"""The work on each article, the same in every engine: read, skip what is done, extract in batches.

One failing article never takes its batch down: it becomes an error record of its own.
"""

from __future__ import annotations

import contextlib
import io
import sys
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from ..reading.formats.errors import one_line
from ..reading.formats.limits import ReadLimits
from ..reading.sources import STDIN_ID, STDIN_SOURCE, Source, bytes_safe
from ..records import ArticleRecord, ErrorRecord
from .errors import StdinError
from .outcomes import DoneKey, Outcome, Skipped

DEFAULT_BATCH_SIZE = 16


def extraction_error(doc_id: str, source: str, error: BaseException) -> ErrorRecord:
    detail = str(error).splitlines()[0] if str(error) else ""
    return ErrorRecord(
        doc_id=doc_id,
        source=source,
        error="extract",
        message=f"{source}: extraction failed ({type(error).__name__}{': ' + detail if detail else ''})",
    )


def input_error(doc_id: str, source: str, error: Exception) -> ErrorRecord:
    """An `InputError` from the reader (or any failure to read) as an error record; the reader's
    message names the path as found, made `bytes_safe` here like `source`."""
    kind = getattr(error, "kind", None) or "unreadable"
    message = bytes_safe(str(error).splitlines()[0]) if str(error) else f"{source}: cannot be read"
    if one_line(source) not in message:  # the reader writes a line break of a name as `\\n`
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


def read_source(source: Source, limits: ReadLimits | None, stdin_articles: Mapping[str, Any] | None = None) -> Any:
    """The decoded article behind `source`, read within `limits`; raises the reader's `InputError`."""
    from ..reading.reader import read_article

    if source.is_stdin:
        article = (stdin_articles or {})[source.doc_id]
        if isinstance(article, Exception):
            raise article
        return article
    return read_article(source.path, limits=limits)


def _read_or_error(stream: IO[bytes], limits: ReadLimits | None) -> Any:
    """One plain-text article from `stream`, or the error reading it (reported as that article's)."""
    from ..reading.reader import read_stdin

    try:
        return read_stdin(stream, limits=limits)
    except Exception as error:  # noqa: BLE001 - handed on and reported as this article's error
        return error


def read_stdin_articles(
    limits: ReadLimits | None = None, *, doc_id: str = STDIN_ID, jsonl: bool = False, stream: IO[bytes] | None = None
) -> dict[str, Any]:
    """Standard input read once, up front (a worker process cannot read it), as {doc id: article}:
    one article under `doc_id`, or with `jsonl` one per line `{"doc_id": ..., "text": ...}`.

    A JSONL line that is not such an object, or a doc id given twice, is a `StdinError` naming
    the line: nothing is extracted rather than one article silently replacing another."""
    from ..output.jsonl import iter_jsonl

    stream = sys.stdin.buffer if stream is None else stream
    if not jsonl:
        return {doc_id: _read_or_error(stream, limits)}
    articles: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for line_no, data in iter_jsonl(STDIN_SOURCE, stream=stream):
        given = data.get("doc_id") if isinstance(data, dict) else None
        if not isinstance(given, str) or not given.strip() or not isinstance(data.get("text"), str):
            raise StdinError(
                f'standard input, line {line_no}: expected an object with a "doc_id" (a non-empty string) '
                'and a "text" (a string)'
            )
        if given in first_line:
            raise StdinError(
                f"standard input, line {line_no}: doc id {given!r} is already taken by line {first_line[given]}; "
                "give each article its own doc id"
            )
        first_line[given] = line_no
        articles[given] = _read_or_error(io.BytesIO(data["text"].encode("utf-8")), limits)
    if not articles:
        raise StdinError("standard input holds no JSONL line: give one article object per line")
    return articles


def process_sources(
    sources: Iterable[Source],
    extractor: Any,
    done: Mapping[str, DoneKey] | None = None,
    *,
    limits: ReadLimits | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    stdin_articles: Mapping[str, Any] | None = None,
) -> Iterator[Outcome]:
    """Read, skip what is already done, extract in batches: one outcome per source, in order.

    An article of standard input whose doc id names another text in the output fails with
    `duplicate-id`: it has no file name to tell the two apart, and must not replace the other."""
    from ..extraction.extract import ArticleInput

    done = done or {}
    version, model = extractor.pipeline_info.version, extractor.pipeline_info.model
    explain, facts = bool(getattr(extractor, "explain", False)), bool(getattr(extractor, "facts", True))
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
            article = read_source(source, limits, stdin_articles)
        except Exception as error:  # noqa: BLE001 - InputError or an OS error: this article fails alone
            pending.append(input_error(source.doc_id, source.name, error))
        else:
            key = (article.input.sha256, version, model, explain, facts) if article.input is not None else None
            earlier = done.get(source.doc_id)
            if source.is_stdin and earlier is not None and key is not None and earlier[0] != key[0]:
                pending.append(
                    ErrorRecord(
                        doc_id=source.doc_id,
                        source=source.name,
                        error="duplicate-id",
                        message=(
                            f"{source.name}: doc id {source.doc_id!r} already names another article in the output; "
                            "give this one its own doc id (--doc-id, or the doc_id of its JSONL line)"
                        ),
                    )
                )
            elif key is not None and earlier == key:
                pending.append(Skipped(source.doc_id, source.name))
            else:
                pending.append(None)
                batch.append(
                    ArticleInput(
                        source.doc_id, source.name, article.text, article.input, article.page_starts, article.meta
                    )
                )
        if len(batch) >= batch_size:
            yield from flush()
        elif batch == [] and pending:
            # Nothing waits for extraction: hand skipped and failed articles on at once.
            yield from pending
            pending.clear()
    yield from flush()


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "WARM_UP_ARTICLES",
    "extract_batch",
    "extraction_error",
    "input_error",
    "memory_zone",
    "process_sources",
    "read_source",
    "read_stdin_articles",
]
