"""The same job spread over a Dask cluster.

The input list is cut into partitions of a few files. A worker reads, cleans and extracts one
partition with the pipeline it built once from the `ExtractorSpec` (through a worker plugin;
the pipeline is never shipped from the client) and writes the partition's records and errors
as JSONL into a work folder next to the output. The client takes the partitions back in input
order, so the merged output equals the local engines'.
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from ..output.jsonl import write_line
from ..records import ArticleRecord, ErrorRecord
from .engine import BatchJob, ExtractorSpec
from .errors import SchedulerUnreachableError, WorkersCannotLoadError
from .outcomes import Outcome, Skipped
from .output import work_dir_for

# Partitions per worker thread: enough to balance uneven articles, few enough to keep the
# scheduler's bookkeeping small.
PARTITIONS_PER_THREAD = 4
MAX_PARTITION_SIZE = 64
CONNECT_TIMEOUT = 10.0  # seconds, for the connection and the handshake together


def plugin_name(spec: ExtractorSpec) -> str:
    return f"summit-extract-extractor:{spec.key}"


class ExtractorPlugin(WorkerPlugin):
    """Builds the extraction pipeline once on every worker, including workers that join later."""

    def __init__(self, spec: ExtractorSpec) -> None:
        self.spec = spec
        self.name = plugin_name(spec)
        self.extractor: Any = None
        self.lock: threading.Lock | None = None
        self.loads = 0

    def setup(self, worker: Any) -> None:
        self.extractor = self.spec.load()
        self.loads += 1
        # One pipeline per worker: threads of the same worker take turns with it.
        self.lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # Only the spec travels; the pipeline is built where it runs.
        return {"spec": self.spec, "name": self.name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.spec = state["spec"]
        self.name = state["name"]
        self.extractor = None
        self.lock = None
        self.loads = 0


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


def run_partition(index: int, part: BatchJob, work_dir: str, name: str) -> PartitionResult:
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
        for outcome in part.outcomes(plugin.extractor):
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


def choose_partition_size(count: int, threads: int) -> int:
    return max(1, min(MAX_PARTITION_SIZE, math.ceil(count / max(1, threads * PARTITIONS_PER_THREAD))))


async def _identify(address: str, timeout: float) -> Any:
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def check_scheduler(address: str, timeout: float | None = None) -> None:
    """Ask `address` who it is, within `timeout` seconds in all (`CONNECT_TIMEOUT` by default);
    `SchedulerUnreachableError` unless a Dask scheduler answers.

    `Client(address, timeout=...)` bounds only the TCP connection: a server that accepts and then
    says nothing keeps it waiting for ever, and one that sends other bytes (HTTP, SSH) makes it
    read a huge frame length and fail with a MemoryError. The scheduler's own `identity` call,
    under one deadline, answers both.
    """
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        answer = asyncio.run(asyncio.wait_for(_identify(address, timeout), timeout))
    except (TimeoutError, asyncio.TimeoutError):
        raise SchedulerUnreachableError(address, f"no answer within {timeout:g} s") from None
    except Exception as error:  # noqa: BLE001 - whatever a server that is not Dask made the client raise
        raise SchedulerUnreachableError(address, f"{type(error).__name__}: {str(error)[:200]}") from error
    if not (isinstance(answer, dict) and answer.get("type") == "Scheduler"):
        raise SchedulerUnreachableError(address, "the server there is not a Dask scheduler")


def start_client(scheduler: str | None, jobs: int) -> tuple[Any, Any]:
    """A client of `scheduler`, or of a new LocalCluster on loopback with `jobs` worker processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        check_scheduler(scheduler)
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as error:
            raise SchedulerUnreachableError(scheduler, str(error)) from error
    cluster = LocalCluster(
        n_workers=jobs,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
    )
    return Client(cluster), cluster


class DaskEngine:
    """Partitions of the job on a Dask cluster: the one at `scheduler`, a given `client`'s, or
    (with neither) a new LocalCluster of `jobs` single-threaded worker processes on loopback."""

    name = "dask"

    def __init__(
        self,
        spec: ExtractorSpec,
        *,
        scheduler: str | None = None,
        jobs: int = 1,
        partition_size: int | None = None,
        client: Any = None,
    ) -> None:
        self.spec = spec
        self.scheduler = scheduler
        self.jobs = jobs
        self.partition_size = partition_size
        self.client = client
        self._own_client: Any = None
        self._own_cluster: Any = None
        self._plugin: ExtractorPlugin | None = None

    def start(self) -> None:
        """Reach the cluster and build the pipeline on its workers: `run()` calls this before it
        touches the output, so a scheduler that does not answer leaves the output as it was."""
        if self._plugin is not None:
            return
        if self.client is None:
            self._own_client, self._own_cluster = start_client(self.scheduler, self.jobs)
        plugin = ExtractorPlugin(self.spec)
        try:
            self._client().register_plugin(plugin)
        except Exception as error:  # noqa: BLE001 - whatever a worker raised while loading the model
            self.close()
            raise WorkersCannotLoadError(f"{type(error).__name__}: {error}") from error
        self._plugin = plugin

    def _client(self) -> Any:
        return self.client if self.client is not None else self._own_client

    def close(self) -> None:
        """Close the client and cluster this engine started (a given `client` stays open)."""
        client, cluster = self._own_client, self._own_cluster
        self._own_client = self._own_cluster = self._plugin = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def outcomes(self, job: BatchJob) -> Iterator[Outcome]:
        """Partitions are merged as soon as they and all partitions before them are finished."""
        from distributed import as_completed

        self.start()
        client, plugin = self._client(), self._plugin
        work_dir = work_dir_for(job.output)
        shutil.rmtree(work_dir, ignore_errors=True)
        work_dir.mkdir(parents=True)
        try:
            threads = sum(client.nthreads().values()) or 1
            size = self.partition_size or choose_partition_size(len(job.sources), threads)
            futures = [
                client.submit(
                    run_partition,
                    index,
                    part,
                    str(work_dir),
                    plugin.name,
                    key=f"summit-extract-partition-{index}-{work_dir.name}-{id(job)}",
                    pure=False,
                )
                for index, part in enumerate(job.parts(size))
            ]
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
            self.close()
            shutil.rmtree(work_dir, ignore_errors=True)


__all__ = ["DaskEngine", "ExtractorPlugin", "check_scheduler", "choose_partition_size", "plugin_name", "work_dir_for"]
