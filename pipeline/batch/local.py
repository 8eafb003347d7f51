"""Engines on this machine: in this process, or over a pool of worker processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..records import ErrorRecord
from .engine import BatchJob, ExtractorSpec
from .outcomes import Outcome


class InProcessEngine:
    """Extracts in this process, with a given loaded extractor or one built from `spec`."""

    name = "local"
    jobs = 1

    def __init__(self, spec: ExtractorSpec, *, extractor: Any = None) -> None:
        self.spec = spec
        self.extractor = extractor

    def outcomes(self, job: BatchJob) -> Iterator[Outcome]:
        if self.extractor is None:
            self.extractor = self.spec.load()
        yield from job.outcomes(self.extractor)


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


def _init_pool_worker(spec: ExtractorSpec, parent_pid: int) -> None:
    """Load the pipeline once per worker process; Ctrl-C is the parent's to handle."""
    global _WORKER_EXTRACTOR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_parent_dies, args=(parent_pid,), daemon=True).start()
    _WORKER_EXTRACTOR = spec.load()


def _pool_part(part: BatchJob) -> list[Outcome]:
    return list(part.outcomes(_WORKER_EXTRACTOR))


def default_start_method() -> str:
    """forkserver where the platform has it, else spawn: never fork a parent that may hold threads."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


def dead_worker_errors(part: BatchJob) -> list[Outcome]:
    """Each article of a part whose worker process died twice (killed, out of memory) as an error record."""
    return [
        ErrorRecord(
            doc_id=source.doc_id,
            source=source.name,
            error="extract",
            message=f"{source.name}: the worker process extracting its batch of {len(part.sources)} "
            "ended abruptly (killed, or out of memory), and again when the batch was retried in a fresh worker",
        )
        for source in part.sources
    ]


class _WorkerPool:
    """A `ProcessPoolExecutor` that can be replaced by a fresh one when a worker dies, and stopped at once."""

    def __init__(self, spec: ExtractorSpec, jobs: int, start_method: str) -> None:
        self.spec, self.jobs, self.context = spec, jobs, multiprocessing.get_context(start_method)
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=self.context,
            initializer=_init_pool_worker,
            initargs=(self.spec, os.getpid()),
        )

    def submit(self, part: BatchJob) -> Future:
        return self.executor.submit(_pool_part, part)

    def restart(self) -> None:
        self.stop()
        self.executor = self._start()

    def stop(self) -> None:
        """Cancel what waits and end the workers now: on Ctrl-C, or a pool broken by a dead worker.

        `shutdown(wait=True)` would wait for the parts under way (and a second Ctrl-C then hung at
        exit); Python 3.11 has no `terminate_workers()` (3.14), hence the pool's own process table."""
        processes = list((self.executor._processes or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()

    @staticmethod
    def result(future: Future) -> list[Outcome] | None:
        """The outcomes of a part, None when its worker (or another of the pool) died."""
        try:
            return future.result()
        except BrokenProcessPool:
            return None


class ProcessPoolEngine:
    """Parts of `batch_size` articles over `jobs` worker processes, results taken back in input order.

    At most two parts per worker are in flight, so memory does not grow with the corpus; the
    output is the same as the in-process engine's. A worker that dies breaks the pool: the part
    first in line is retried alone in a fresh pool (its articles become error records if that
    worker dies too), then the parts under way are sent again.
    """

    name = "local"

    def __init__(self, spec: ExtractorSpec, *, jobs: int, start_method: str | None = None) -> None:
        self.spec = spec
        self.jobs = jobs
        self.start_method = start_method

    def outcomes(self, job: BatchJob) -> Iterator[Outcome]:
        pool = _WorkerPool(self.spec, self.jobs, self.start_method or default_start_method())
        window = 2 * self.jobs
        pending: deque[tuple[BatchJob, Future]] = deque()

        def next_outcomes() -> list[Outcome]:
            part, future = pending.popleft()
            outcomes = pool.result(future)
            if outcomes is None:
                pool.restart()
                outcomes = pool.result(pool.submit(part))
                if outcomes is None:
                    pool.restart()
                    outcomes = dead_worker_errors(part)
                for index, (other, _) in enumerate(pending):  # lost with the broken pool
                    pending[index] = (other, pool.submit(other))
            return outcomes

        try:
            for part in job.parts(job.batch_size):
                pending.append((part, pool.submit(part)))
                while len(pending) >= window:
                    yield from next_outcomes()
            while pending:
                yield from next_outcomes()
        except BaseException:  # Ctrl-C, or the caller closing this generator: no result is wanted
            pool.stop()
            raise
        pool.executor.shutdown()


__all__ = ["InProcessEngine", "ProcessPoolEngine", "default_start_method"]
