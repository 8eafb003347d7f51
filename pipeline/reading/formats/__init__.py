"""The text inside an input file, by format: plain text, PDF, web page or Word file.

The format comes from the file's suffix (a file named directly with another suffix is read
as plain text). Each reader returns an `ExtractedText`, or raises `InputError` with a kind of
its own (`no-text-layer`, `encrypted`, `corrupt`, `no-article`, ...), so a batch records the
file and goes on.
"""

from __future__ import annotations

from pathlib import PurePath

from .errors import INPUT_ERROR_KINDS, InputError
from .extracted import ExtractedText, library_label
from .limits import ReadBudget, ReadLimits

FORMAT_OF_SUFFIX = {".txt": "txt", ".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}
FORMATS = ("txt", "pdf", "html", "docx")
# What a folder contributes when no glob is given: every format that has a reader.
DEFAULT_GLOBS = tuple(f"*{suffix}" for suffix in FORMAT_OF_SUFFIX)


def format_of(path: str | PurePath) -> str:
    """'pdf', 'html', 'docx' or 'txt' (also for any suffix without a reader of its own)."""
    return FORMAT_OF_SUFFIX.get(PurePath(path).suffix.lower(), "txt")


def extract_text(data: bytes, source: str, file_format: str, limits: ReadLimits | None = None) -> ExtractedText:
    """The article text inside `data`, read as `file_format` within `limits`; raises `InputError`."""
    from .text import check_visible

    extracted = _read(data, source, file_format, (limits or ReadLimits()).reading(source))
    check_visible(extracted.text, source)
    return extracted


def _read(data: bytes, source: str, file_format: str, budget: ReadBudget) -> ExtractedText:
    if file_format == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, source, budget)
    if file_format == "html":
        from .webpage import read_html

        return read_html(data, source, budget)
    if file_format == "docx":
        from .word import read_docx

        return read_docx(data, source, budget)
    if file_format != "txt":
        raise ValueError(f"Invalid format {file_format!r}: expected one of {', '.join(FORMATS)}")
    from .text import decode_bytes

    text, encoding = decode_bytes(data, source)
    budget.add(text)
    return ExtractedText(text=text, encoding=encoding)


__all__ = [
    "DEFAULT_GLOBS",
    "FORMATS",
    "FORMAT_OF_SUFFIX",
    "INPUT_ERROR_KINDS",
    "ExtractedText",
    "InputError",
    "ReadBudget",
    "ReadLimits",
    "extract_text",
    "format_of",
    "library_label",
]
