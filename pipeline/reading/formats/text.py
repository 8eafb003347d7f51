"""Plain text files: decoding bytes with a reported encoding, and refusing what is not text."""

from __future__ import annotations

import codecs
import re

from .errors import InputError

# C0/C1 controls except tab and newline, soft hyphen, zero-width and bidi marks, BOM, lone surrogates.
INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]+"
)

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
# The same C0 controls, DEL and the C1 controls, which text in any codec practically never holds;
# random bytes decoded as latin-1 (which maps every byte) are about a fifth these.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
# A text copied through a broken tool can carry a stray NUL; a binary file has many. Up to one in
# this many bytes is removed (at least one per file); more, and the file is binary.
BYTES_PER_STRAY_NUL = 1000
# Latin-script UTF-16 without a BOM: nearly every other byte is NUL, and the bytes between are not.
UTF16_NUL_SHARE = 0.3
UTF16_OTHER_NUL_SHARE = 0.02


def binary_reason(data: bytes) -> str | None:
    """Why `data` looks binary (NUL bytes, or many control bytes), or None."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"binary file (NUL byte at offset {nul})"
    return _control_bytes_reason(data)


def _control_bytes_reason(data: bytes) -> str | None:
    sample = data[:BINARY_SAMPLE_BYTES]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROL_BYTES)
    if sample and controls > MAX_CONTROL_BYTE_SHARE * len(sample):
        return f"binary file ({controls} control bytes in the first {len(sample)} bytes)"
    return None


def _control_chars_reason(text: str, encoding: str) -> str | None:
    sample = text[:BINARY_SAMPLE_BYTES]
    controls = len(_CONTROL_CHARS.findall(sample))
    if sample and controls > MAX_CONTROL_BYTE_SHARE * len(sample):
        codec = encoding.split(" ")[0]
        return f"binary file ({controls} control characters in the first {len(sample)} characters read as {codec})"
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


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `data` has the NUL pattern of Latin-script UTF-16 without a
    byte order mark (what some Windows tools save), else None."""
    sample = data[:BINARY_SAMPLE_BYTES]
    if len(data) % 2 or len(sample) < 4:
        return None
    half = len(sample) // 2
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_odd >= UTF16_NUL_SHARE * half and nul_even <= UTF16_OTHER_NUL_SHARE * half:
        return "utf-16-le"
    if nul_even >= UTF16_NUL_SHARE * half and nul_odd <= UTF16_OTHER_NUL_SHARE * half:
        return "utf-16-be"
    return None


def _decode_with_nul_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Text that holds NUL bytes: UTF-16 without a BOM, or text with a few stray NULs (removed,
    and the encoding says how many); anything else is binary."""
    codec = utf16_without_bom(data)
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
        if text is not None and _control_bytes_reason(text.encode("utf-8")) is None:
            return text, f"{codec} (no BOM)"
    nuls = data.count(b"\x00")
    stripped = data.replace(b"\x00", b"")
    if nuls <= max(1, len(data) // BYTES_PER_STRAY_NUL) and _control_bytes_reason(stripped) is None:
        text, encoding = _decode_plain(stripped)
        return text, f"{encoding} ({nuls} NUL byte{'s' if nuls > 1 else ''} removed)"
    raise InputError("binary", source, binary_reason(data) or "binary file")


def _decode_plain(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return decode_fallback(data)


def decode_fallback(data: bytes, tried: str = "UTF-8") -> tuple[str, str]:
    """cp1252, else latin-1 (which maps every byte, so this last resort always decodes)."""
    try:
        return data.decode("cp1252"), f"cp1252 (fallback: not valid {tried})"
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"latin-1 (fallback: not valid {tried} or cp1252)"


def check_not_blank(text: str, data: bytes, source: str) -> None:
    if not text.strip():
        raise InputError("empty", source, "empty file" if not data else "no text (whitespace only)")


def check_visible(text: str, source: str) -> None:
    """Refuse text that cleanup would leave blank: only white space and invisible characters."""
    if not INVISIBLE.sub("", text).strip():
        raise InputError("empty", source, "no text (only white space and invisible characters)")


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode file bytes: by BOM, else strict UTF-8, else cp1252, else latin-1; returns (text, encoding).

    NUL bytes are read as UTF-16 without a BOM when they fall on every other byte, and removed when
    there are only a few; otherwise they make the file binary."""
    decoded = decode_by_bom(data, source)
    if decoded is None:
        if b"\x00" in data:
            decoded = _decode_with_nul_bytes(data, source)
        else:
            reason = _control_bytes_reason(data)
            if reason:
                raise InputError("binary", source, reason)
            decoded = _decode_plain(data)
            reason = _control_chars_reason(*decoded)
            if reason:
                raise InputError("binary", source, reason)
    check_not_blank(decoded[0], data, source)
    return decoded


__all__ = ["binary_reason", "check_not_blank", "check_visible", "decode_by_bom", "decode_bytes", "decode_fallback"]
