"""The one interface every engine implements, and the two small objects that travel to workers.

An engine turns a `BatchJob` into one outcome per source, in input order; where the work runs
(this process, a process pool, a Dask cluster) is its own business. Workers never receive a
loaded pipeline: they receive an `ExtractorSpec` and build their own `Extractor` from it once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..reading.formats.limits import ReadLimits
from ..reading.sources import Source
from .outcomes import DoneKey, Outcome
from .work import DEFAULT_BATCH_SIZE, process_sources

if TYPE_CHECKING:
    from ..extraction.extract import Extractor


@dataclass(frozen=True, slots=True)
class ExtractorSpec:
    """How to build the `Extractor` where it runs: the model and any further keyword options
    of `Extractor` (passed on as they are, so a new option reaches every worker unchanged).

    Options must be picklable; they are also part of `key`, so workers of a shared cluster
    keep one pipeline per distinct spec.
    """

    model: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def load(self) -> Extractor:
        from ..extraction.extract import Extractor

        return Extractor(self.model, **self.options)

    @property
    def key(self) -> str:
        """A stable name of this spec: 'default', 'en_core_web_md', 'en_core_web_md;patterns=...'."""
        options = ";".join(f"{name}={value!s}" for name, value in sorted(self.options.items()))
        return (self.model or "default") + (f";{options}" if options else "")


@dataclass(frozen=True, slots=True)
class BatchJob:
    """Everything an engine needs besides the extractor: the sources in order and how to treat them.

    `done` maps doc ids already in the output to their resume key; `stdin_articles` are the
    articles of standard input by doc id, read once by the caller (a worker cannot read it);
    `output` is where the records end up, next to which an engine may keep work files.
    """

    sources: Sequence[Source]
    output: Path
    done: Mapping[str, DoneKey] = field(default_factory=dict)
    batch_size: int = DEFAULT_BATCH_SIZE
    limits: ReadLimits | None = None
    stdin_articles: Mapping[str, Any] = field(default_factory=dict)

    def part(self, start: int, stop: int) -> BatchJob:
        """The job for `sources[start:stop]`, carrying only what those sources need (it is pickled)."""
        sources = list(self.sources[start:stop])
        return BatchJob(
            sources=sources,
            output=self.output,
            done={s.doc_id: self.done[s.doc_id] for s in sources if s.doc_id in self.done},
            batch_size=self.batch_size,
            limits=self.limits,
            stdin_articles={s.doc_id: self.stdin_articles[s.doc_id] for s in sources if s.is_stdin},
        )

    def parts(self, size: int) -> Iterator[BatchJob]:
        for start in range(0, len(self.sources), size):
            yield self.part(start, start + size)

    def outcomes(self, extractor: Any) -> Iterator[Outcome]:
        """Run this job with a loaded extractor, here: what every engine ends up doing somewhere."""
        return process_sources(
            self.sources,
            extractor,
            self.done,
            limits=self.limits,
            batch_size=self.batch_size,
            stdin_articles=self.stdin_articles,
        )


class Engine(Protocol):
    """Runs a batch job somewhere and hands back its outcomes in input order."""

    name: str  # reported in the run summary: "local" or "dask"
    jobs: int  # processes (or Dask workers) the work runs on

    def outcomes(self, job: BatchJob) -> Iterator[Outcome]:
        """One outcome per source of `job`, in input order; closing the iterator stops the work."""
        ...


__all__ = ["BatchJob", "Engine", "ExtractorSpec"]
