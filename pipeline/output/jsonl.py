"""Reading and writing JSON Lines, shared by every command.

Reading names the file and line of anything malformed. Writing emits each record as
one complete line with a single write and flush, so an interrupted run never leaves a
half line that later readers trip on.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import SummitError
from ..records import ArticleRecord, RecordError

# A record holds its article's text twice (cleaned and raw) and its entities: with --max-chars at
# its default of 5,000,000, well under this.
MAX_LINE_BYTES = 256 * 1024 * 1024


class JsonlError(SummitError, ValueError):
    """A JSONL file that cannot be read; the message names the file and line."""


def iter_jsonl(path: str | Path, *, stream: IO[bytes] | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (line number, decoded object) for each non-blank line of `path`.

    With `stream` (standard input), that is read instead and `path` only names it in messages.
    """
    path = Path(path)
    try:
        opened = path.open("rb") if stream is None else contextlib.nullcontext(stream)
    except OSError as error:
        raise JsonlError(f"{path}: cannot open ({error.strerror or error})") from error
    with opened as handle:
        # Decoded line by line so an encoding error names its own line.
        for line_no, raw in enumerate(_lines(handle, path), start=1):
            try:
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise JsonlError(f"{path}, line {line_no}: not UTF-8 ({error.reason} at byte {error.start})") from error
            if not line.strip():
                continue
            try:
                yield line_no, json.loads(line)
            except json.JSONDecodeError as error:
                raise JsonlError(
                    f"{path}, line {line_no}: not valid JSON ({error.msg}, column {error.colno})"
                ) from error
            except RecursionError as error:  # json raises it for thousands of nested brackets
                raise JsonlError(f"{path}, line {line_no}: not valid JSON (nested too deeply)") from error


def _lines(handle: IO[bytes], path: Path) -> Iterator[bytes]:
    """The lines of `handle`, none longer than `MAX_LINE_BYTES` (a file without line ends, such as
    /dev/zero, would otherwise be read whole into memory); a read error names `path`."""
    for line_no in itertools.count(1):
        try:
            line = handle.readline(MAX_LINE_BYTES + 1)
        except OSError as error:
            raise JsonlError(f"{path}, line {line_no}: cannot read ({error.strerror or error})") from error
        if not line:
            return
        if len(line) > MAX_LINE_BYTES:
            raise JsonlError(f"{path}, line {line_no}: longer than {MAX_LINE_BYTES:,} bytes; expected JSON Lines")
        yield line


def read_records(path: str | Path) -> Iterator[ArticleRecord]:
    """Yield validated article records from an extraction output file."""
    for line_no, data in iter_jsonl(path):
        try:
            yield ArticleRecord.from_dict(data, where=f"{path}, line {line_no}")
        except RecordError as error:
            raise JsonlError(str(error)) from error


def dumps(data: Any) -> str:
    """One compact JSON line (no trailing newline), non-ASCII kept readable."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_line(handle: IO[str], data: Any) -> None:
    """Append one record as a whole line and push it to the OS before returning."""
    handle.write(dumps(data) + "\n")
    handle.flush()


def write_jsonl(path: str | Path, rows: Iterable[Any]) -> int:
    """Write `rows` to `path` atomically (temporary file, then rename); returns the row count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    count = 0
    with temporary.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(dumps(row) + "\n")
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
    return count
