"""Reading article files into text: decoding with a reported encoding, and clear errors for bad input.

Every failure is an `InputError` with a short kind and a one-line message naming the file,
so a batch can record it and go on with the next file.
"""

from __future__ import annotations

import codecs
import hashlib
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import SummitError
from .records import InputInfo

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
BINARY_SAMPLE_BYTES = 64 * 1024
MAX_CONTROL_BYTE_SHARE = 0.1  # text files have almost no C0 control bytes besides tab/newline
# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32 (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32 (BOM)"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8 (BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16 (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16 (BOM)"),
)
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\r\x0b\x0c\x1b")
INPUT_ERROR_KINDS = ("empty", "binary", "too-large", "unreadable", "decode")


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class InputError(SummitError):
    """An input that cannot be read as an article; `str(error)` names the file and the reason."""

    def __init__(self, kind: str, source: str, reason: str) -> None:
        if kind not in INPUT_ERROR_KINDS:
            raise ValueError(f"Invalid input error kind {kind!r}: expected one of {', '.join(INPUT_ERROR_KINDS)}")
        self.kind = kind
        self.source = source
        self.reason = reason
        self.message = _one_line(f"{source}: {reason}, skipped")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class RawArticle:
    """A decoded input file: where it came from, its text, and how it was read."""

    source: str
    text: str
    input: InputInfo


def _binary_reason(data: bytes) -> str | None:
    """Why `data` looks binary (NUL bytes, or many control bytes), or None."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"binary file (NUL byte at offset {nul})"
    sample = data[:BINARY_SAMPLE_BYTES]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROL_BYTES)
    if sample and controls > MAX_CONTROL_BYTE_SHARE * len(sample):
        return f"binary file ({controls} control bytes in the first {len(sample)} bytes)"
    return None


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode file bytes: by BOM, else strict UTF-8, else cp1252, else latin-1; returns (text, encoding)."""
    text: str | None = None
    for bom, codec, description in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(codec), description
            except UnicodeDecodeError as error:
                raise InputError(
                    "decode", source, f"not valid {description} ({error.reason} at byte {error.start})"
                ) from error
            break
    if text is None:
        reason = _binary_reason(data)
        if reason:
            raise InputError("binary", source, reason)
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252 (fallback: not valid UTF-8)"
            except UnicodeDecodeError:
                # latin-1 maps every byte, so this last resort always decodes.
                text, encoding = data.decode("latin-1"), "latin-1 (fallback: not valid UTF-8 or cp1252)"
    if not text.strip():
        what = "empty file" if not data else "no text (whitespace only)"
        raise InputError("empty", source, what)
    return text, encoding


def _article(data: bytes, source: str) -> RawArticle:
    text, encoding = decode_bytes(data, source)
    info = InputInfo(encoding=encoding, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    return RawArticle(source=source, text=text, input=info)


def _too_large(source: str, size: int | str, max_bytes: int) -> InputError:
    return InputError("too-large", source, f"too large ({size} bytes, limit {max_bytes})")


def read_article(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawArticle:
    """Read and decode one article file; raises `InputError` for anything that is not readable text."""
    source = str(path)
    try:
        info = Path(path).stat()
    except FileNotFoundError as error:
        raise InputError("unreadable", source, "no such file") from error
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
    return _article(data, source)


def read_stdin(stream: BinaryIO | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawArticle:
    """Read and decode one article from standard input (or any binary stream)."""
    source = "<stdin>"
    stream = sys.stdin.buffer if stream is None else stream
    try:
        data = stream.read(max_bytes + 1)
    except OSError as error:
        raise InputError("unreadable", source, f"cannot read ({error.strerror or error})") from error
    if len(data) > max_bytes:
        raise _too_large(source, f"over {max_bytes}", max_bytes)
    return _article(data, source)
