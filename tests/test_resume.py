"""Interrupted runs (kill -9, Ctrl-C) leave whole lines, and a rerun completes them exactly; bad input."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from summit_extract.benchmarks.bench import build_corpus
from summit_extract.output.jsonl import iter_jsonl, read_records
from summit_extract.run import errors_path_for, run

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus" / "articles"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory) -> Path:
    """Enough articles that a run is still going when the test interrupts it."""
    folder = tmp_path_factory.mktemp("long") / "articles"
    build_corpus(folder, 120, CORPUS)
    return folder


@pytest.fixture(scope="module")
def reference_output(long_corpus, tmp_path_factory, extractor) -> list[dict]:
    output = tmp_path_factory.mktemp("reference") / "out.jsonl"
    run([str(long_corpus)], output, extractor=extractor)
    return lines_of(output)


def lines_of(path: Path) -> list[dict]:
    return [data for _, data in iter_jsonl(path)]


def start_run(corpus: Path, output: Path, *extra: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "summit_extract.cli",
        "run",
        str(corpus),
        "-o",
        str(output),
        "--batch-size",
        "1",
        *extra,
    ]
    # A shell without job control starts background jobs with SIGINT ignored, and Python then keeps
    # ignoring it; the run under test must see Ctrl-C as a terminal's foreground process does.
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO_ROOT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_lines(process: subprocess.Popen, output: Path, lines: int, timeout: float = 120) -> None:
    """Poll the output until it holds `lines` records; fail if the run ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if output.exists() and output.read_bytes().count(b"\n") >= lines:
            return
        if process.poll() is not None:
            pytest.fail(f"the run ended (exit {process.returncode}) before {lines} records were written")
        time.sleep(0.02)
    process.kill()
    pytest.fail(f"no {lines} records after {timeout} s")


def assert_whole_lines(output: Path) -> int:
    content = output.read_bytes()
    assert content.endswith(b"\n"), "the output ends inside a line"
    for line in content.decode("utf-8").splitlines():
        json.loads(line)
    return content.count(b"\n")


def rerun(corpus: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "summit_extract.cli", "run", str(corpus), "-o", str(output), *extra]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, timeout=600, check=False)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_minus_nine_then_rerun_completes(long_corpus, reference_output, tmp_path, jobs):
    output = tmp_path / "out.jsonl"
    process = start_run(long_corpus, output, "--jobs", jobs)
    wait_for_lines(process, output, 5)
    workers = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    _, alive = psutil.wait_procs(workers, timeout=20)
    assert alive == [], "worker processes outlived the killed run"
    written = assert_whole_lines(output)
    assert 5 <= written < len(reference_output), "the kill should land mid-run"

    finished = rerun(long_corpus, output, "--jobs", jobs)
    assert finished.returncode == 0, finished.stderr
    assert f"{written} skipped" in finished.stdout
    assert lines_of(output) == reference_output  # nothing missing, nothing twice, same order


def test_rerun_cuts_a_half_written_line(long_corpus, reference_output, tmp_path):
    output = tmp_path / "out.jsonl"
    with output.open("w", encoding="utf-8") as handle:
        for record in reference_output[:3]:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write(json.dumps(reference_output[3])[:40])  # what a kill mid-write would leave
    finished = rerun(long_corpus, output, "--jobs", "1")
    assert finished.returncode == 0, finished.stderr
    assert lines_of(output) == reference_output


@pytest.mark.parametrize(("jobs", "signal_number"), [("1", signal.SIGINT), ("2", signal.SIGINT), ("1", signal.SIGTERM)])
def test_ctrl_c_leaves_a_valid_file(long_corpus, reference_output, tmp_path, jobs, signal_number):
    output = tmp_path / "out.jsonl"
    process = start_run(long_corpus, output, "--jobs", jobs)
    wait_for_lines(process, output, 5)
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr.decode() and "resume" in stderr.decode()
    written = assert_whole_lines(output)
    assert written < len(reference_output)
    list(read_records(output))  # every line follows the contract

    finished = rerun(long_corpus, output, "--jobs", jobs)
    assert finished.returncode == 0, finished.stderr
    assert lines_of(output) == reference_output


# --- bad input --------------------------------------------------------------------------

GOOD = sorted(CORPUS.glob("*.txt"))[:3]
TEXT = "The SCO summit in Astana brought Kazakhstan and China together.\n"


def make_bad_inputs(folder: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "whitespace.txt").write_bytes(b"  \n\n\t \n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "utf16_broken.txt").write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le") + b"\x00\xd8")
    (folder / "too_large.txt").write_bytes(TEXT.encode() * 3000)
    (folder / "dangling.txt").symlink_to(folder / "nowhere" / "gone.txt")
    (folder / "folder.txt").mkdir()
    os.mkfifo(folder / "fifo.txt")


BAD_KINDS = {
    "empty": "empty",
    "whitespace": "empty",
    "binary": "binary",
    "utf16_broken": "decode",
    "too_large": "too-large",
    "dangling": "missing",
    "folder": "unreadable",
    "fifo": "unreadable",
}

# Files that look odd but are text the reader decodes: extracted, with the encoding recorded.
DECODED = {
    "utf16_bom": (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16 (BOM)"),
    "cp1252": ("The SCO\u2019s summit in Astana \u2013 Kazakhstan and China.\n".encode("cp1252"), "cp1252"),
}


@pytest.fixture(scope="module")
def bad_input_run(tmp_path_factory, extractor):
    folder = tmp_path_factory.mktemp("bad") / "articles"
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    make_bad_inputs(folder)
    for name, (data, _) in DECODED.items():
        (folder / f"{name}.txt").write_bytes(data)
    output = folder.parent / "out.jsonl"
    messages = []
    summary = run([str(folder)], output, max_bytes=100_000, extractor=extractor, on_error=messages.append)
    errors = {data["doc_id"]: data for _, data in iter_jsonl(errors_path_for(output))}
    records = {record.doc_id: record for record in read_records(output)}
    return summary, errors, records, messages


@pytest.mark.parametrize(("doc_id", "kind"), sorted(BAD_KINDS.items()))
def test_bad_input_lands_in_errors_with_its_kind(bad_input_run, doc_id, kind):
    _, errors, records, _ = bad_input_run
    assert doc_id not in records
    error = errors[doc_id]
    assert error["error"] == kind
    assert error["source"].endswith(f"{doc_id}.txt")
    assert error["source"] in error["message"]
    assert "\n" not in error["message"]


@pytest.mark.parametrize(("doc_id", "encoding"), [(name, encoding) for name, (_, encoding) in DECODED.items()])
def test_decodable_odd_encodings_are_extracted(bad_input_run, doc_id, encoding):
    _, _, records, _ = bad_input_run
    record = records[doc_id]
    assert record.input.encoding.startswith(encoding)
    assert "KAZ" in {entity.id for entity in record.entities}


def test_good_articles_all_extracted_and_exit_code_is_one(bad_input_run):
    summary, errors, records, messages = bad_input_run
    assert set(records) == {path.stem for path in GOOD} | set(DECODED)
    assert summary.failed == len(BAD_KINDS) == len(errors) == len(messages)
    assert summary.extracted == len(GOOD) + len(DECODED)
    assert summary.exit_code == 1
