"""Reading input files: decodings that work, and bad files that give a clear error naming the file."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import random
from pathlib import Path

import pytest

from summit_extract.reading.reader import (
    InputError,
    RawArticle,
    ReadLimits,
    decode_bytes,
    read_article,
    read_stdin,
)

COTE = "Côte d’Ivoire joined the talks."
_RANDOM = random.Random(23)
RANDOM_BYTES = bytes(_RANDOM.randrange(0x20, 0x100) for _ in range(8192))  # no NUL, no C0 control byte


@pytest.mark.parametrize(
    ("data", "expected_text", "expected_encoding"),
    [
        (b"Summit in Astana.", "Summit in Astana.", "utf-8"),
        ("Türkiye attended.".encode(), "Türkiye attended.", "utf-8"),
        (codecs.BOM_UTF8 + "Türkiye attended.".encode(), "Türkiye attended.", "utf-8 (BOM)"),
        ("Türkiye attended.".encode("utf-16"), "Türkiye attended.", "utf-16 (BOM)"),
        (codecs.BOM_UTF16_BE + "Türkiye".encode("utf-16-be"), "Türkiye", "utf-16 (BOM)"),
        ("Türkiye attended.".encode("utf-32"), "Türkiye attended.", "utf-32 (BOM)"),
        (COTE.encode("cp1252"), COTE, "cp1252 (fallback: not valid UTF-8)"),
        ("Zürich hosted it.".encode("latin-1"), "Zürich hosted it.", "cp1252 (fallback: not valid UTF-8)"),
        # 0x81 is undefined in cp1252, so only latin-1 reads it
        (b"Z\xfcrich \x81 hosted it.", "Zürich \x81 hosted it.", "latin-1 (fallback: not valid UTF-8 or cp1252)"),
        # UTF-16 saved without a byte order mark: the NULs fall on every other byte
        ("Türkiye attended.".encode("utf-16-le"), "Türkiye attended.", "utf-16-le (no BOM)"),
        ("Türkiye attended.".encode("utf-16-be"), "Türkiye attended.", "utf-16-be (no BOM)"),
        # a stray NUL in a text is removed, and the encoding says so
        (b"Summit in\x00 Astana.", "Summit in Astana.", "utf-8 (1 NUL byte removed)"),
        (
            COTE.encode("cp1252")[:5] + b"\x00" + COTE.encode("cp1252")[5:],
            COTE,
            "cp1252 (fallback: not valid UTF-8) (1 NUL byte removed)",
        ),
    ],
)
def test_decode_bytes(data, expected_text, expected_encoding):
    assert decode_bytes(data, "x.txt") == (expected_text, expected_encoding)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "max_bytes", "kind", "reason"),
    [
        ("empty.txt", b"", 100, "empty", "empty file"),
        ("blank.txt", b" \n\t\r\n  ", 100, "empty", "no text (whitespace only)"),
        ("blank16.txt", " \n ".encode("utf-16"), 100, "empty", "no text (whitespace only)"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 100, "binary", "binary file (NUL byte at offset 8)"),
        ("nuls.txt", b"text\x00\x00more", 100, "binary", "binary file (NUL byte at offset 4)"),
        ("nul-controls.bin", b"\x00\x01\x02binary", 100, "binary", "binary file (NUL byte at offset 0)"),
        ("odd-utf16.txt", "Türkiye".encode("utf-16-le") + b"x", 100, "binary", "binary file (NUL byte at offset 1)"),
        ("controls.bin", bytes(range(1, 9)) * 4, 100, "binary", "binary file (32 control bytes in the first 32 bytes)"),
        ("bad16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", 100, "decode", "not valid utf-16 (BOM)"),
        ("big.txt", b"x" * 101, 100, "too-large", "too large (101 bytes, limit 100)"),
        ("invisible.txt", "\u200b\u2060\ufeff \u200e\n\u00ad".encode(), 100, "empty",
         "no text (only white space and invisible characters)"),
        # 8 KB of random bytes without a NUL: only latin-1 maps them all, a seventh to C1 control characters.
        ("random.bin", RANDOM_BYTES, 10_000, "binary",
         "binary file (1211 control characters in the first 8192 characters read as latin-1)"),
    ],
)  # fmt: skip
def test_bad_files_raise_input_errors(tmp_path, name, data, max_bytes, kind, reason):
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        read_article(path, limits=ReadLimits(max_bytes=max_bytes))
    error = caught.value
    assert (error.kind, error.source) == (kind, str(path))
    assert str(error).startswith(f"{path}: {reason}")
    assert "\n" not in str(error)


def test_directory_is_unreadable(tmp_path):
    with pytest.raises(InputError, match=r"is a directory") as caught:
        read_article(tmp_path)
    assert caught.value.kind == "unreadable"


def test_missing_path_is_missing(tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError) as caught:
        read_article(missing)
    assert (caught.value.kind, str(caught.value)) == ("missing", f"{missing}: no such file, skipped")


def test_dangling_symlink_is_missing_and_names_its_target(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError) as caught:
        read_article(link)
    assert (caught.value.kind, str(caught.value)) == (
        "missing",
        f"{link}: broken symbolic link (to {tmp_path / 'gone.txt'}, which does not exist), skipped",
    )


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root, which can read a file without read permission",
)
def test_file_without_read_permission_is_unreadable(tmp_path):
    path = _write(tmp_path, "secret.txt", b"text")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match=r"permission denied") as caught:
            read_article(path)
        assert caught.value.kind == "unreadable"
    finally:
        path.chmod(0o600)


def test_read_article_reports_how_it_was_read(tmp_path):
    data = COTE.encode("cp1252")
    article = read_article(_write(tmp_path, "cote.txt", data))
    assert isinstance(article, RawArticle)
    assert article.text == COTE
    assert article.input.to_dict() == {
        "format": "txt",
        "encoding": "cp1252 (fallback: not valid UTF-8)",
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }


def test_a_batch_goes_on_after_bad_files(tmp_path):
    paths = [
        _write(tmp_path, "a.txt", b"First article."),
        _write(tmp_path, "b.txt", b""),
        _write(tmp_path, "c.txt", b"\x00\x01"),
        tmp_path / "d.txt",
        _write(tmp_path, "e.txt", "Último artículo.".encode("utf-16")),
    ]
    texts, errors = [], []
    for path in paths:
        try:
            texts.append(read_article(path).text)
        except InputError as error:
            errors.append((Path(error.source).name, error.kind))
    assert texts == ["First article.", "Último artículo."]
    assert errors == [("b.txt", "empty"), ("c.txt", "binary"), ("d.txt", "missing")]


def test_seed_article_reads_as_utf8(repo_root, seed_raw):
    article = read_article(repo_root / "corpus" / "articles" / "000_f25956cb5b5f35ed.txt")
    assert (article.text, article.input.encoding) == (seed_raw, "utf-8")


@pytest.mark.parametrize(
    ("data", "max_bytes", "expected"),
    [
        (b"Summit text.", 100, ("Summit text.", "utf-8")),
        (b"x" * 11, 10, InputError),
        (b"", 10, InputError),
    ],
)
def test_read_stdin(data, max_bytes, expected):
    stream = io.BytesIO(data)
    if expected is InputError:
        with pytest.raises(InputError, match=r"^<stdin>: "):
            read_stdin(stream, limits=ReadLimits(max_bytes=max_bytes))
    else:
        article = read_stdin(stream, limits=ReadLimits(max_bytes=max_bytes))
        assert (article.text, article.input.encoding, article.source) == (*expected, "<stdin>")


def test_input_error_rejects_unknown_kinds():
    with pytest.raises(ValueError, match=r"Invalid input error kind 'weird'"):
        InputError("weird", "x.txt", "reason")


def test_input_error_message_stays_on_one_line():
    error = InputError("binary", "odd\nname.txt", "binary file (NUL byte at offset 0)")
    assert str(error) == "odd\\nname.txt: binary file (NUL byte at offset 0), skipped"
