"""Why a batch job could not start. Each error carries what it is about as attributes, and its
message speaks of `run()`'s own terms; the CLI adds which flag fixes it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import SummitError


class RunError(SummitError, RuntimeError):
    """The job cannot start; nothing was written."""


class OptionError(RunError):
    """An option of `run()` with a value it cannot take; `option` is its keyword name."""

    def __init__(self, option: str, value: Any, expected: str) -> None:
        self.option = option
        self.value = value
        self.expected = expected
        super().__init__(f"invalid {option}={value!r}: expected {expected}")


class OptionConflictError(RunError):
    """An option that only means something beside another one, e.g. `scheduler` needs `engine="dask"`."""

    def __init__(self, option: str, needs: str, needed_value: str) -> None:
        self.option = option
        self.needs = needs
        self.needed_value = needed_value
        super().__init__(f"{option} is only used with {needs}={needed_value!r}")


class StdinError(RunError):
    """Standard input that cannot become articles (`jsonl_input`): a line that is not an article
    object, or two articles given one doc id. The message names the line."""


class OutputError(RunError):
    """The output path cannot be written (for example it is a folder)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path} {reason}")


class ForeignOutputError(OutputError):
    """An existing file that is not a summit-extract output, so it is never overwritten unasked.

    `message` is the whole one-line description (naming the file, and the line when one shows it).
    """

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(path, message)
        self.args = (message,)


class LinkBesideOutputError(OutputError):
    """A symbolic link where the run writes beside its output (the lock, the errors file, a work file):
    written through, it would overwrite whatever it points at, so it is refused and left as it is.

    `path` is the output, `link` the link found beside it."""

    def __init__(self, output: Path, link: Path) -> None:
        super().__init__(output, "")
        self.link = link
        try:
            target = f" to {os.readlink(link)}"
        except OSError:
            target = ""
        self.args = (f"{link} is a symbolic link{target}, and a run on {output} never writes through one",)


class OutputLockedError(OutputError):
    """Another run holds the output's lock file; two runs on one output would lose records.

    `pid` is the process recorded in the lock file (None when it holds none).
    """

    def __init__(self, path: Path, lock_path: Path, pid: int | None, running: bool) -> None:
        self.lock_path = lock_path
        self.pid = pid
        if pid is None:
            holder = f"another process holds {lock_path}"
        elif running:
            holder = f"process {pid} holds {lock_path}"
        else:
            holder = f"process {pid} has ended, but processes it started still hold {lock_path}"
        super().__init__(path, f"is in use by another summit-extract run ({holder})")


class OutputIncompleteError(SummitError):
    """Writing the output failed after some records of this run were written, or in the pass
    that gives ids learnt across the run after all of them were.

    The output holds only whole lines, so running the same job again resumes it (and redoes that
    pass); `written` is the number of records this run wrote before the failure.
    """

    def __init__(self, path: Path, reason: str, written: int) -> None:
        self.path = path
        self.reason = reason
        self.written = written
        written_part = f"; {written} record(s) of this run were written before the failure" if written else ""
        super().__init__(f"{path} {reason}{written_part}")


class SchedulerUnreachableError(RunError):
    """No Dask scheduler answered at `address`."""

    def __init__(self, address: str, reason: str) -> None:
        self.address = address
        self.reason = reason
        super().__init__(f"cannot reach the Dask scheduler at {address}: {reason}")


class WorkersCannotLoadError(RunError):
    """The Dask workers failed to build the extraction pipeline."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"the Dask workers could not load the pipeline ({reason}); "
            "every worker needs summit-extract and the spaCy model installed"
        )


class UnmatchedPatternError(RunError):
    """A glob among the paths matches no file: a mistyped pattern, refused before anything is written."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = list(patterns)
        quoted = ", ".join(repr(pattern) for pattern in self.patterns)
        super().__init__(
            f"{quoted}: the pattern matches no file"
            if len(self.patterns) == 1
            else f"{quoted}: these patterns match no file"
        )


__all__ = [
    "ForeignOutputError",
    "LinkBesideOutputError",
    "OptionConflictError",
    "OptionError",
    "OutputError",
    "OutputIncompleteError",
    "OutputLockedError",
    "RunError",
    "SchedulerUnreachableError",
    "UnmatchedPatternError",
    "WorkersCannotLoadError",
]
