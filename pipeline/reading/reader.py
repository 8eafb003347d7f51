"""Reading article files into text: plain text, PDF, web pages and Word files, with clear errors for bad input.

Every failure is an `InputError` with a short kind and a one-line message naming the file,
so a batch can record it and go on with the next file. The format comes from the suffix
(`summit_extract.reading.formats`); the bytes' SHA-256 is what a resumed run compares, whatever the format.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..records import ArticleMeta, InputInfo
from .formats import ExtractedText, extract_text, format_of
from .formats.errors import INPUT_ERROR_KINDS, InputError
from .formats.limits import DEFAULT_MAX_BYTES, ReadLimits, too_large
from .formats.text import decode_bytes


@dataclass(frozen=True, slots=True)
class RawArticle:
    """A read input file: where it came from, its text (before cleanup), and how it was read.

    `page_starts` (PDF) says where each page begins in `text`; `meta` is what the file itself
    says about the article (a web page's title, author and date).
    """

    source: str
    text: str
    input: InputInfo
    page_starts: tuple[int, ...] | None = None
    meta: ArticleMeta | None = None


def _article(data: bytes, source: str, limits: ReadLimits, file_format: str = "txt") -> RawArticle:
    extracted: ExtractedText = extract_text(data, source, file_format, limits)
    info = InputInfo(
        encoding=extracted.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
        format=file_format,
        library=extracted.library,
    )
    return RawArticle(
        source=source, text=extracted.text, input=info, page_starts=extracted.page_starts, meta=extracted.meta
    )


def _too_large(source: str, size: int | str, max_bytes: int) -> InputError:
    return too_large(source, f"{size} bytes, limit {max_bytes}")


def read_article(path: Path, *, limits: ReadLimits | None = None) -> RawArticle:
    """Read one article file in the format its suffix names, within `limits` (default: `ReadLimits()`);
    raises `InputError` for anything unreadable."""
    limits = limits or ReadLimits()
    max_bytes = limits.max_bytes
    source = str(path)
    try:
        info = Path(path).stat()
    except FileNotFoundError as error:
        if Path(path).is_symlink():
            target = os.readlink(path)
            raise InputError("missing", source, f"broken symbolic link (to {target}, which does not exist)") from error
        raise InputError("missing", source, "no such file") from error
    except OSError as error:
        raise InputError("unreadable", source, f"cannot stat ({error.strerror or error})") from error
    if stat.S_ISDIR(info.st_mode):
        raise InputError("unreadable", source, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("unreadable", source, "not a regular file")
    if info.st_size > max_bytes:
        raise _too_large(source, info.st_size, max_bytes)
    try:
        with open(path, "rb") as handle:
            # One byte over the limit reveals a file that grew after stat.
            data = handle.read(max_bytes + 1)
    except PermissionError as error:
        raise InputError("unreadable", source, "permission denied") from error
    except OSError as error:
        raise InputError("unreadable", source, f"cannot read ({error.strerror or error})") from error
    if len(data) > max_bytes:
        raise _too_large(source, f"over {max_bytes}", max_bytes)
    if not data:
        raise InputError("empty", source, "empty file")
    return _article(data, source, limits, format_of(path))


def read_stdin(stream: BinaryIO | None = None, *, limits: ReadLimits | None = None) -> RawArticle:
    """Read and decode one plain-text article from standard input (or any binary stream)."""
    limits = limits or ReadLimits()
    max_bytes = limits.max_bytes
    source = "<stdin>"
    stream = sys.stdin.buffer if stream is None else stream
    try:
        data = stream.read(max_bytes + 1)
    except OSError as error:
        raise InputError("unreadable", source, f"cannot read ({error.strerror or error})") from error
    if len(data) > max_bytes:
        raise _too_large(source, f"over {max_bytes}", max_bytes)
    return _article(data, source, limits)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "INPUT_ERROR_KINDS",
    "InputError",
    "RawArticle",
    "ReadLimits",
    "decode_bytes",
    "read_article",
    "read_stdin",
]
