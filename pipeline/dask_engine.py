"""`summit-extract run --engine dask`: the same job spread over a Dask cluster.

The input list is cut into partitions of a few files. A worker reads, cleans and extracts one
partition with the pipeline it loaded once (through a worker plugin, never shipped from the
client) and writes the partition's records and errors as JSONL into a work folder next to the
output. The client takes the partitions back in input order, so the merged output equals the
local engine's.
"""

from __future__ import annotations

import json
import math
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from .jsonl import write_line
from .records import ArticleRecord, ErrorRecord
from .run import DoneKey, Outcome, RunError, Skipped, process_sources
from .sources import Source

# Partitions per worker thread: enough to balance uneven articles, few enough to keep the
# scheduler's bookkeeping small.
PARTITIONS_PER_THREAD = 4
MAX_PARTITION_SIZE = 64
CONNECT_TIMEOUT = "10s"


class ExtractorPlugin(WorkerPlugin):
    """Loads the extraction pipeline once on every worker, including workers that join later."""

    def __init__(self, model: str | None, explain: bool = False) -> None:
        self.model = model
        self.explain = explain
        self.name = plugin_name(model, explain)
        self.extractor: Any = None
        self.lock: threading.Lock | None = None
        self.loads = 0

    def setup(self, worker: Any) -> None:
        from .extract import Extractor

        self.extractor = Extractor(self.model, explain=self.explain)
        self.loads += 1
        # One pipeline per worker: threads of the same worker take turns with it.
        self.lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # Only the model name travels; the pipeline is loaded where it runs.
        return {"model": self.model, "explain": self.explain, "name": self.name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.model = state["model"]
        self.explain = state["explain"]
        self.name = state["name"]
        self.extractor = None
        self.lock = None
        self.loads = 0


def plugin_name(model: str | None, explain: bool = False) -> str:
    return f"summit-extract-extractor:{model or 'default'}{':explain' if explain else ''}"


@dataclass(slots=True)
class PartitionResult:
    """What a worker did with one partition; the records themselves are in `records_path`."""

    index: int
    records_path: str
    errors_path: str
    order: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, doc_id, source)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "records_path": self.records_path,
            "errors_path": self.errors_path,
            "order": [list(entry) for entry in self.order],
        }


def partition_paths(work_dir: Path, index: int) -> tuple[Path, Path]:
    return work_dir / f"part-{index:05d}.jsonl", work_dir / f"part-{index:05d}.errors.jsonl"


def run_partition(
    index: int,
    sources: list[Source],
    done: dict[str, DoneKey],
    work_dir: str,
    name: str,
    batch_size: int,
    max_bytes: int | None,
    stdin_article: Any = None,
) -> PartitionResult:
    """Runs on a worker: extract one partition into its own pair of JSONL files."""
    from distributed import get_worker

    plugin = get_worker().plugins[name]
    records_path, errors_path = partition_paths(Path(work_dir), index)
    result = PartitionResult(index, str(records_path), str(errors_path))
    # Written under temporary names and renamed, so a half-done partition is never merged.
    records_tmp = records_path.with_suffix(".tmp")
    errors_tmp = errors_path.with_suffix(".tmp")
    with (
        plugin.lock,
        records_tmp.open("w", encoding="utf-8") as records_out,
        errors_tmp.open("w", encoding="utf-8") as errors_out,
    ):
        for outcome in process_sources(
            sources,
            plugin.extractor,
            done,
            max_bytes=max_bytes,
            batch_size=batch_size,
            stdin_article=stdin_article,
        ):
            if isinstance(outcome, ArticleRecord):
                write_line(records_out, outcome.to_dict())
                result.order.append(("record", outcome.doc_id, outcome.source))
            elif isinstance(outcome, ErrorRecord):
                write_line(errors_out, outcome.to_dict())
                result.order.append(("error", outcome.doc_id, outcome.source))
            else:
                result.order.append(("skipped", outcome.doc_id, outcome.source))
    records_tmp.replace(records_path)
    errors_tmp.replace(errors_path)
    return result


def read_partition(result: PartitionResult) -> Iterator[Outcome]:
    """The partition's outcomes in input order, read back from its files."""
    with (
        open(result.records_path, encoding="utf-8") as records_in,
        open(result.errors_path, encoding="utf-8") as errors_in,
    ):
        for kind, doc_id, source in result.order:
            if kind == "record":
                yield ArticleRecord.from_dict(json.loads(records_in.readline()), where=result.records_path)
            elif kind == "error":
                yield ErrorRecord(**json.loads(errors_in.readline()))
            else:
                yield Skipped(doc_id, source)


def work_dir_for(output: Path) -> Path:
    """`out/extractions.jsonl` -> `out/.extractions.parts/`, next to the output."""
    return output.with_name(f".{output.stem}.parts")


def choose_partition_size(count: int, threads: int) -> int:
    return max(1, min(MAX_PARTITION_SIZE, math.ceil(count / max(1, threads * PARTITIONS_PER_THREAD))))


def start_client(scheduler: str | None, jobs: int) -> tuple[Any, Any]:
    """A client of `scheduler`, or of a new LocalCluster on loopback with `jobs` worker processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as error:
            raise RunError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
    cluster = LocalCluster(
        n_workers=jobs,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
    )
    return Client(cluster), cluster


def dask_outcomes(
    sources: list[Source],
    done: dict[str, DoneKey],
    *,
    output: Path,
    model: str | None,
    scheduler: str | None = None,
    jobs: int = 1,
    batch_size: int = 16,
    max_bytes: int | None = None,
    partition_size: int | None = None,
    stdin_article: Any = None,
    client: Any = None,
    explain: bool = False,
) -> Iterator[Outcome]:
    """Outcomes of every source in input order, computed on a Dask cluster.

    Partitions are merged as soon as they and all partitions before them are finished.
    """
    from distributed import as_completed

    own_client = client is None
    cluster = None
    if own_client:
        client, cluster = start_client(scheduler, jobs)
    work_dir = work_dir_for(output)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    try:
        plugin = ExtractorPlugin(model, explain)
        try:
            client.register_plugin(plugin)
        except Exception as error:  # noqa: BLE001 - whatever a worker raised while loading the model
            raise RunError(
                f"the Dask workers could not load the pipeline ({type(error).__name__}: {error}); "
                "every worker needs summit-extract and the spaCy model installed"
            ) from error
        threads = sum(client.nthreads().values()) or 1
        size = partition_size or choose_partition_size(len(sources), threads)
        futures = []
        for index, start in enumerate(range(0, len(sources), size)):
            partition = sources[start : start + size]
            futures.append(
                client.submit(
                    run_partition,
                    index,
                    partition,
                    {s.doc_id: done[s.doc_id] for s in partition if s.doc_id in done},
                    str(work_dir),
                    plugin.name,
                    batch_size,
                    max_bytes,
                    stdin_article if any(s.is_stdin for s in partition) else None,
                    key=f"summit-extract-partition-{index}-{work_dir.name}-{id(futures)}",
                    pure=False,
                )
            )
        finished: dict[int, PartitionResult] = {}
        next_index = 0
        for future in as_completed(futures):
            result: PartitionResult = future.result()
            finished[result.index] = result
            future.release()
            while next_index in finished:
                ready = finished.pop(next_index)
                yield from read_partition(ready)
                Path(ready.records_path).unlink(missing_ok=True)
                Path(ready.errors_path).unlink(missing_ok=True)
                next_index += 1
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()
        shutil.rmtree(work_dir, ignore_errors=True)
