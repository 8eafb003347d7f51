"""Writing the file a command produces (a table, a report, a review sheet) in one go.

The whole content is built in memory first, so a failure while building it (a value a format
cannot hold) leaves no partial file, and a failure while writing it (a full disk, a folder without
write permission, `/dev/full`) is one error that names the path.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SummitError


class WriteError(SummitError):
    """A command's output file could not be written; the message names the path and the reason."""


def write_file(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` (parent folders made); raises `WriteError` naming the path."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Closed inside the `try`: a full disk shows only when the buffer is flushed.
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as error:
        raise WriteError(f"{path}: cannot write ({error.strerror or error})") from error
    return path


__all__ = ["WriteError", "write_file"]
