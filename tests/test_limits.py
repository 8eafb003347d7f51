"""Bounds on what a small file may become: unpacked bytes, pages, characters and seconds of reading,
each refused as `too-large` with its figure while the file is read, and the rest of a batch written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile

import pytest
from documents import write_large_docx, write_shared_stream_pdf

from summit_extract.reading.reader import InputError, ReadLimits, read_article

# A page of the shared stream of 50 lines shows about 1,600 characters: two pages are over this.
TWO_PAGES = 2_500


def _txt(path):
    path.write_text("x" * 11, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "make", "limits", "reason"),
    [
        ("long.txt", _txt, ReadLimits(max_chars=10), "too large (over 10 characters of text)"),
        ("pages.pdf", lambda p: write_shared_stream_pdf(p, 5, 50), ReadLimits(max_pages=4), "too large (5 pages, limit 4)"),
        ("chars.pdf", lambda p: write_shared_stream_pdf(p, 3, 50), ReadLimits(max_chars=TWO_PAGES),
         "too large (over 2,500 characters of text by page 2 of 3)"),
        ("slow.pdf", lambda p: write_shared_stream_pdf(p, 3, 50), ReadLimits(max_read_seconds=0),
         "too large (reading it took 0 s, the limit, and stopped by page 1 of 3)"),
        ("chars.docx", lambda p: write_large_docx(p, 3_000), ReadLimits(max_chars=2_000),
         "too large (over 2,000 characters of text by paragraph 3)"),
    ],
)  # fmt: skip
def test_a_file_past_a_limit_is_too_large_with_its_figure(tmp_path, name, make, limits, reason):
    path = make(tmp_path / name)
    with pytest.raises(InputError) as caught:
        read_article(path, limits=limits)
    assert (caught.value.kind, str(caught.value)) == ("too-large", f"{path}: {reason}, skipped")


@pytest.mark.parametrize("name", ["pages.pdf", "chars.docx"])
def test_within_the_limits_the_file_is_read(tmp_path, name):
    path = (
        write_shared_stream_pdf(tmp_path / name, 5, 50)
        if name.endswith(".pdf")
        else write_large_docx(tmp_path / name, 3_000)
    )
    assert len(read_article(path, limits=ReadLimits(max_pages=5, max_chars=100_000)).text) > 2_900


def test_a_docx_that_unpacks_past_its_limit_is_refused_before_it_is_inflated(tmp_path):
    path = write_large_docx(tmp_path / "bomb.docx", 2_000_000)
    max_bytes = path.stat().st_size + 1
    with zipfile.ZipFile(path) as package:
        unpacked = sum(info.file_size for info in package.infolist())
    with pytest.raises(InputError) as caught:
        read_article(path, limits=ReadLimits(max_bytes=max_bytes))
    assert caught.value.kind == "too-large"
    assert str(caught.value) == (
        f"{path}: too large (unpacks to {unpacked:,} bytes, limit {5 * max_bytes:,}: 5 times the byte limit), skipped"
    )


# --- end to end: the bombs of a batch through the command line -------------------------------------


@pytest.fixture(scope="module")
def bomb_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    (folder / "good.txt").write_text(
        "Leaders of Kazakhstan and China met at the SCO summit in Astana.", encoding="utf-8"
    )
    write_large_docx(folder / "bomb.docx", 2_000_000_000)  # 16 MB that unpack to 2 GB
    write_large_docx(folder / "text.docx", 100_000_000)  # 100 MB of text in 100,000 paragraphs
    write_shared_stream_pdf(folder / "pages.pdf", 2_000)  # 2,000 pages drawing one stream
    return folder


@pytest.mark.model
def test_a_batch_of_bombs_is_refused_in_bounded_memory_and_the_good_article_written(bomb_folder, tmp_path):
    output = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "summit_extract.cli", "run", str(bomb_folder), "-o", str(output), "--jobs", "1"]
    with (tmp_path / "stderr").open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        # wait4 gives this child's own peak resident memory (KiB), not the largest of every child so far.
        _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1, (tmp_path / "stderr").read_text()
    assert usage.ru_maxrss < 1024 * 1024, f"peak {usage.ru_maxrss // 1024} MiB"
    assert [json.loads(line)["doc_id"] for line in output.read_text().splitlines()] == ["good"]
    errors = {
        json.loads(line)["doc_id"]: json.loads(line)
        for line in output.with_name(output.name + ".errors.jsonl").read_text().splitlines()
    }
    assert {doc_id: error["error"] for doc_id, error in errors.items()} == {
        "bomb.docx": "too-large",
        "pages.pdf": "too-large",
        "text.docx": "too-large",
    }
    assert re.search(r"unpacks to 2,\d{3},\d{3},\d{3} bytes, limit 104,857,600", errors["bomb.docx"]["message"])
    assert "2,000 pages, limit 1,000" in errors["pages.pdf"]["message"]
    assert "over 5,000,000 characters of text by paragraph" in errors["text.docx"]["message"]
