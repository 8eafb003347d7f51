"""Engines on this machine: in this process, or over a pool of worker processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

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


class ProcessPoolEngine:
    """Parts of `batch_size` articles over `jobs` worker processes, results taken back in input order.

    At most two parts per worker are in flight, so memory does not grow with the corpus; the
    output is the same as the in-process engine's.
    """

    name = "local"

    def __init__(self, spec: ExtractorSpec, *, jobs: int, start_method: str | None = None) -> None:
        self.spec = spec
        self.jobs = jobs
        self.start_method = start_method

    def outcomes(self, job: BatchJob) -> Iterator[Outcome]:
        context = multiprocessing.get_context(self.start_method or default_start_method())
        window = 2 * self.jobs
        with ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=context,
            initializer=_init_pool_worker,
            initargs=(self.spec, os.getpid()),
        ) as pool:
            pending: deque = deque()
            try:
                for part in job.parts(job.batch_size):
                    pending.append(pool.submit(_pool_part, part))
                    while len(pending) >= window:
                        yield from pending.popleft().result()
                while pending:
                    yield from pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()


__all__ = ["InProcessEngine", "ProcessPoolEngine", "default_start_method"]
