"""Plain text files: decoding bytes with a reported encoding, and refusing what is not text."""

from __future__ import annotations

import codecs

from .errors import InputError

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


def binary_reason(data: bytes) -> str | None:
    """Why `data` looks binary (NUL bytes, or many control bytes), or None."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"binary file (NUL byte at offset {nul})"
    sample = data[:BINARY_SAMPLE_BYTES]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROL_BYTES)
    if sample and controls > MAX_CONTROL_BYTE_SHARE * len(sample):
        return f"binary file ({controls} control bytes in the first {len(sample)} bytes)"
    return None


def decode_by_bom(data: bytes, source: str) -> tuple[str, str] | None:
    """(text, encoding) when `data` starts with a byte order mark, else None."""
    for bom, codec, description in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), description
            except UnicodeDecodeError as error:
                raise InputError(
                    "decode", source, f"not valid {description} ({error.reason} at byte {error.start})"
                ) from error
    return None


def decode_fallback(data: bytes, tried: str = "UTF-8") -> tuple[str, str]:
    """cp1252, else latin-1 (which maps every byte, so this last resort always decodes)."""
    try:
        return data.decode("cp1252"), f"cp1252 (fallback: not valid {tried})"
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"latin-1 (fallback: not valid {tried} or cp1252)"


def check_not_blank(text: str, data: bytes, source: str) -> None:
    if not text.strip():
        raise InputError("empty", source, "empty file" if not data else "no text (whitespace only)")


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode file bytes: by BOM, else strict UTF-8, else cp1252, else latin-1; returns (text, encoding)."""
    decoded = decode_by_bom(data, source)
    if decoded is None:
        reason = binary_reason(data)
        if reason:
            raise InputError("binary", source, reason)
        try:
            decoded = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            decoded = decode_fallback(data)
    check_not_blank(decoded[0], data, source)
    return decoded


__all__ = ["binary_reason", "check_not_blank", "decode_by_bom", "decode_bytes", "decode_fallback"]
