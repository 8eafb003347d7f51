"""The output file of a batch: refuse what is not ours, resume what is, leave only whole lines."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..jsonl import JsonlError, iter_jsonl
from .errors import ForeignOutputError, OutputError
from .outcomes import DoneKey
from .summary import label_counts


def errors_path_for(output: str | Path) -> Path:
    """`out/extractions.jsonl` -> `out/extractions.errors.jsonl`."""
    output = Path(output)
    return output.with_name(f"{output.stem}.errors.jsonl")


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
    """Read an existing output for resuming; raises `ForeignOutputError` if it is not a summit-extract output."""
    state = OutputState()
    with path.open("rb") as handle:
        head = handle.read(64).lstrip()
    if head and not head.startswith(b"{"):
        raise ForeignOutputError(
            path, f"{path} exists and is not a summit-extract output (it does not start with a JSON object)"
        )
    state.truncated_bytes = truncate_partial_line(path)
    try:
        for line_no, data in iter_jsonl(path):
            if not looks_like_record(data):
                raise ForeignOutputError(path, f"{path}, line {line_no}: not a summit-extract record")
            doc_id = data["doc_id"]
            if doc_id in state.done:
                state.duplicates = True
            pipeline = data["pipeline"]
            sha = (data.get("input") or {}).get("sha256", "")
            explained = "rejected" in data  # a run with explain redoes records made without it, and back
            state.done[doc_id] = (str(sha), str(pipeline.get("version")), str(pipeline.get("model")), explained)
            state.counts[doc_id] = label_counts(e for e in data["entities"] if isinstance(e, dict))
            state.lines += 1
    except JsonlError as error:
        raise ForeignOutputError(path, str(error)) from error
    return state


def prepare_output(output: Path, *, force: bool) -> OutputState:
    """Make `output` ready for appending and tell what it already holds; `force` starts it over."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists() and not output.is_file():
        raise OutputError(output, "is not a regular file")
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


__all__ = [
    "OutputState",
    "errors_path_for",
    "keep_latest_records",
    "prepare_output",
    "scan_output",
    "truncate_partial_line",
]
