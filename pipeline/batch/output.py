"""The output file of a batch: refuse what is not ours, resume what is, leave only whole lines."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from ..output.jsonl import dumps
from .errors import ForeignOutputError, LinkBesideOutputError, OutputError, OutputLockedError
from .outcomes import DoneKey
from .summary import label_counts


def errors_path_for(output: str | Path) -> Path:
    """`out/extractions.jsonl` -> `out/extractions.jsonl.errors.jsonl`: from the whole name, so that
    `out.jsonl` and `out.json` never share (and truncate) one errors file."""
    output = Path(output)
    return output.with_name(f"{output.name}.errors.jsonl")


def resolved_output(output: str | Path) -> Path:
    """The real path of `output`: a symbolic link and its target are one output, with one lock."""
    return Path(os.path.realpath(output))


# Files the run writes beside its output are opened without following a symbolic link (O_NOFOLLOW)
# and without blocking on a planted FIFO (O_NONBLOCK, cleared once the file is known to be regular).
_BESIDE = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK


def open_beside(
    path: Path, flags: int, *, output: Path, doing: str = "cannot be written", named: Path | None = None
) -> int:
    """Open `path`, a file of the run beside `output`, without following a link; returns the descriptor.

    A symbolic link is a `LinkBesideOutputError`; anything else that is not a regular file, or
    cannot be opened, an `OutputError` on `named` (default: `path`) saying what it `doing`."""
    try:
        fd = os.open(path, flags | _BESIDE, 0o644)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK) and path.is_symlink():
            raise LinkBesideOutputError(output, path) from error
        if error.errno == errno.EEXIST:
            refuse_links(output, path)
        raise OutputError(named or path, f"{doing} ({_reason(error)})") from error
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError(named or path, f"{doing}: {path} is not a regular file")
    os.set_blocking(fd, True)
    return fd


def refuse_links(output: Path, *paths: Path) -> None:
    """Raise `LinkBesideOutputError` for the first of `paths` (files of the run beside `output`) that is a link."""
    for path in paths:
        if path.is_symlink():
            raise LinkBesideOutputError(output, path)


def beside_paths(output: Path) -> tuple[Path, ...]:
    """Every file or folder a run writes beside `output` (the output itself included)."""
    return (
        output,
        errors_path_for(output),
        lock_path_for(output),
        compact_path_for(output),
        corpus_ids_path_for(output),
        work_dir_for(output),
    )


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


# How every record line this tool writes begins (`doc_id` is the first key of a record): a last
# line cut off by a killed run is recognised by it, anything else without a newline is not ours.
_RECORD_START = re.compile(rb'\s*\{\s*"doc_id"\s*:')


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def scan_output(path: Path) -> OutputState:
    """Read an existing output for resuming, changing nothing; raises `ForeignOutputError` if it
    is not a summit-extract output. A last line cut off by a killed run is measured
    (`truncated_bytes`), not cut: that is for the caller, once the whole file is known to be ours."""
    state = OutputState()
    try:
        with path.open("rb") as handle:
            head = handle.read(64).lstrip()
            if head and not head.startswith(b"{"):
                raise ForeignOutputError(
                    path, f"{path} exists and is not a summit-extract output (it does not start with a JSON object)"
                )
            handle.seek(0)
            for line_no, raw in enumerate(handle, start=1):
                _scan_line(path, state, line_no, raw)
    except OSError as error:
        raise OutputError(path, f"cannot be read ({_reason(error)})") from error
    return state


def _scan_line(path: Path, state: OutputState, line_no: int, raw: bytes) -> None:
    complete = raw.endswith(b"\n")
    try:
        line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
    except UnicodeDecodeError as error:
        if not complete and _RECORD_START.match(raw):
            state.truncated_bytes = len(raw)  # a kill can cut a line inside a multi-byte character
            return
        raise ForeignOutputError(path, f"{path}, line {line_no}: not UTF-8 ({error.reason})") from error
    if not line.strip():
        return
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as error:
        if not complete and _RECORD_START.match(raw):
            state.truncated_bytes = len(raw)
            return
        if isinstance(error, json.JSONDecodeError):
            detail = f"{error.msg}, column {error.colno}"
        else:
            detail = "nested too deeply"
        raise ForeignOutputError(path, f"{path}, line {line_no}: not valid JSON ({detail})") from error
    if not looks_like_record(data):
        raise ForeignOutputError(path, f"{path}, line {line_no}: not a summit-extract record")
    if not complete:
        state.truncated_bytes = len(raw)  # a whole record that lost its newline: extracted again
        return
    doc_id = data["doc_id"]
    if doc_id in state.done:
        state.duplicates = True
    pipeline = data["pipeline"]
    sha = (data.get("input") or {}).get("sha256", "")
    # a run with explain (or without facts) redoes records made the other way, and back
    state.done[doc_id] = (
        str(sha),
        str(pipeline.get("version")),
        str(pipeline.get("model")),
        "rejected" in data,
        "facts" in data,
    )
    state.counts[doc_id] = label_counts(e for e in data["entities"] if isinstance(e, dict))
    state.lines += 1


def make_parent(output: Path) -> None:
    """Create the output's folder; a folder that cannot be made is an `OutputError` naming why."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(output, f"cannot be created: its folder cannot be made ({_reason(error)})") from error
    if not output.parent.is_dir():
        raise OutputError(output, f"cannot be created: {output.parent} is not a folder")


def prepare_output(output: Path, *, force: bool) -> OutputState:
    """Make `output` ready for appending and tell what it already holds; `force` starts it over.

    Nothing of an existing file is changed before the whole file is known to be a
    summit-extract output; then a last line cut off by a killed run is removed.
    """
    make_parent(output)
    refuse_links(output, *beside_paths(output))
    for path in (output, errors_path_for(output)):  # a FIFO would block the run, a device take its lines
        if path.exists() and not path.is_file():
            raise OutputError(path, "is not a regular file")
    if force or not output.exists():
        os.close(open_beside(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, output=output))
        return OutputState()
    state = scan_output(output)
    if state.truncated_bytes:
        fd = open_beside(output, os.O_WRONLY, output=output)
        try:
            os.ftruncate(fd, os.fstat(fd).st_size - state.truncated_bytes)
        except OSError as error:
            raise OutputError(output, f"cannot be written ({_reason(error)})") from error
        finally:
            os.close(fd)
    return state


class LineWriter:
    """Appends whole JSON lines to one file. A write that fails (a full disk, a file-size limit,
    an interrupt) is cut back to the last whole line, so the file stays resumable.

    The file is unbuffered: a buffered writer would keep a failed half line in its buffer and
    try to write it again when closed.
    """

    def __init__(self, path: Path, *, output: Path, start_over: bool = False) -> None:
        self.path = path
        self.lines = 0
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if start_over else os.O_APPEND)
        self._handle = open(open_beside(path, flags, output=output), "wb", buffering=0)
        self._size = self._handle.seek(0, os.SEEK_END)

    def write(self, data: Any) -> None:
        line = (dumps(data) + "\n").encode("utf-8")
        remaining = memoryview(line)
        try:
            while remaining:  # a raw write may take only part of the line
                remaining = remaining[self._handle.write(remaining) :]
        except OSError as error:
            self._cut_back()
            raise OutputError(self.path, f"cannot be written ({_reason(error)})") from error
        except BaseException:
            self._cut_back()
            raise
        self._size += len(line)
        self.lines += 1

    def _cut_back(self) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(self._handle.fileno(), self._size)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> LineWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lock_path_for(output: Path) -> Path:
    """`out/extractions.jsonl` -> `out/.extractions.jsonl.lock`."""
    return output.with_name(f".{output.name}.lock")


class OutputLock:
    """An advisory lock beside the output, held for a whole run, so a second run on the same
    output is refused instead of interleaving or losing records.

    `fcntl.flock` (not the `filelock` package) because the refusal names the process holding
    the lock, which is written into the lock file; the kernel drops the lock when its holder
    dies, so a lock file left by a killed run (its pid no longer running) is simply taken over.
    """

    def __init__(self, output: Path) -> None:
        self.output = resolved_output(output)
        self.path = lock_path_for(self.output)
        self.stale_pid: int | None = None  # the pid a taken-over lock file named
        self._fd: int | None = None

    def acquire(self) -> None:
        while True:
            fd = open_beside(
                self.path,
                os.O_RDWR | os.O_CREAT,
                output=self.output,
                doing=f"cannot be locked: {self.path} cannot be created",
                named=self.output,
            )
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _pid_in(fd)
                os.close(fd)
                running = pid is not None and psutil.pid_exists(pid)
                raise OutputLockedError(self.output, self.path, pid, running) from None
            except OSError as error:
                os.close(fd)
                raise OutputError(self.output, f"cannot be locked: {self.path} ({_reason(error)})") from error
            # A run that finished meanwhile may have removed the file this one opened: lock the current one.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            self.stale_pid = _pid_in(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            self._fd = fd
            return

    def release(self) -> None:
        if self._fd is None:
            return
        # Removed while still held, so no other run can lock the old file after this one lets go.
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _pid_in(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def keep_latest_records(output: Path) -> int:
    """Rewrite `output` with one record per doc id, the last written, in the place of the first
    (a re-extracted article keeps its place in the input's order); returns lines dropped.

    Needed only when a changed input or model replaced an article already in the output. The
    new file is written beside the output and renamed over it, so a reader sees either the old
    file or the new one; if writing fails the temporary file is removed and the output is left
    as it was (whole lines; the next run removes the duplicates).
    """
    latest: dict[str, int] = {}  # doc id -> byte offset of its last line
    offset = 0
    with output.open("rb") as source:
        for line in source:
            if line.strip():
                latest[json.loads(line.decode("utf-8-sig"))["doc_id"]] = offset
            offset += len(line)
    temporary = compact_path_for(output)
    dropped = 0
    target = open(open_exclusive(temporary, output=output), "wb")
    try:
        with output.open("rb") as source, output.open("rb") as lookup, target:
            written: set[str] = set()
            for line in source:
                if not line.strip():
                    continue
                doc_id = json.loads(line.decode("utf-8-sig"))["doc_id"]
                if doc_id in written:
                    dropped += 1
                    continue
                written.add(doc_id)
                lookup.seek(latest[doc_id])
                target.write(lookup.readline())
            target.flush()
            os.fsync(target.fileno())
        shutil.copymode(output, temporary)
        temporary.replace(output)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(output, f"cannot be rewritten without its replaced records ({_reason(error)})") from error
    return dropped


def open_exclusive(path: Path, *, output: Path) -> int:
    """Create the work file `path` beside `output`, failing if anything (a planted link) is there."""
    return open_beside(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, output=output, doing="cannot be created")


def remove_work_files(output: Path) -> None:
    """Remove what an earlier, killed run left beside `output` (a dedup copy, the id pass's copy,
    Dask's work folder); a symbolic link in their place is refused, not removed or followed."""
    refuse_links(output, compact_path_for(output), corpus_ids_path_for(output), work_dir_for(output))
    compact_path_for(output).unlink(missing_ok=True)
    corpus_ids_path_for(output).unlink(missing_ok=True)
    shutil.rmtree(work_dir_for(output), ignore_errors=True)


def compact_path_for(output: Path) -> Path:
    """`out/extractions.jsonl` -> `out/.extractions.jsonl.compact`: the dedup rewrite's copy."""
    return output.with_name(f".{output.name}.compact")


def corpus_ids_path_for(output: Path) -> Path:
    """`out/extractions.jsonl` -> `out/.extractions.jsonl.corpus-ids`: the id pass's copy."""
    return output.with_name(f".{output.name}.corpus-ids")


def work_dir_for(output: Path) -> Path:
    """`out/extractions.jsonl` -> `out/.extractions.jsonl.parts/`: Dask workers' files, next to the output."""
    return output.with_name(f".{output.name}.parts")


__all__ = [
    "LineWriter",
    "OutputLock",
    "OutputState",
    "errors_path_for",
    "keep_latest_records",
    "lock_path_for",
    "make_parent",
    "open_beside",
    "open_exclusive",
    "prepare_output",
    "refuse_links",
    "remove_work_files",
    "resolved_output",
    "scan_output",
    "truncate_partial_line",
    "work_dir_for",
]
