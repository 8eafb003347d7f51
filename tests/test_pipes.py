"""Standard input and output of the commands, broken pipes, the run's time and its record order.

The commands run as real processes on a blank model (`--model DIR`), so each case takes seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summit_extract.batch import run
from summit_extract.output.jsonl import iter_jsonl

COMMAND = [sys.executable, "-m", "summit_extract.cli"]
ASTANA = "Kazakhstan and China met in Astana.\n"
DELHI = "India and Brazil signed the Delhi Declaration.\n"


def cli(*arguments: str, cwd: Path, stdin: str = "", model: Path | None = None) -> subprocess.CompletedProcess:
    extra = ["--model", str(model), "-j", "1"] if model is not None else []
    return subprocess.run(
        [*COMMAND, *arguments, *extra], input=stdin.encode(), capture_output=True, cwd=cwd, timeout=300
    )


def ids(lines: bytes | Path) -> list[str]:
    text = lines.read_text(encoding="utf-8") if isinstance(lines, Path) else lines.decode()
    return [json.loads(line)["doc_id"] for line in text.splitlines() if line.strip()]


def test_run_to_stdout_pipes_into_table(tmp_path, blank_model):
    (tmp_path / "astana.txt").write_text(ASTANA, encoding="utf-8")
    extracted = cli("run", "astana.txt", "-o", "-", cwd=tmp_path, model=blank_model)
    assert extracted.returncode == 0, extracted.stderr.decode()
    assert ids(extracted.stdout) == ["astana"]
    assert "output: <stdout>" in extracted.stderr.decode()  # the summary keeps out of the records
    assert sorted(path.name for path in tmp_path.iterdir()) == ["astana.txt"]  # no file named '-'
    table = cli("table", "-", "--view", "countries", "--format", "csv", cwd=tmp_path, stdin=extracted.stdout.decode())
    assert table.returncode == 0, table.stderr.decode()
    assert {"KAZ", "CHN"} <= {line.split(",")[0] for line in table.stdout.decode().splitlines()[1:]}


@pytest.mark.parametrize(
    ("lines", "code", "expected"),
    [
        ([{"doc_id": "astana", "text": ASTANA}, {"doc_id": "delhi", "text": DELHI}], 0, ["astana", "delhi"]),
        (
            [{"doc_id": "a", "text": ASTANA}, {"doc_id": "a", "text": DELHI}],
            2,
            "line 2: doc id 'a' is already taken by line 1",
        ),
        ([{"doc_id": "a", "text": ASTANA}, {"text": DELHI}], 2, 'line 2: expected an object with a "doc_id"'),
        ([{"doc_id": " ", "text": ASTANA}], 2, 'line 1: expected an object with a "doc_id"'),
        ([{"doc_id": "a", "text": 3}], 2, 'line 1: expected an object with a "doc_id"'),
        ([], 2, "standard input holds no JSONL line"),
    ],
)
def test_jsonl_articles_on_stdin(tmp_path, blank_model, lines, code, expected):
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    result = cli("run", "-", "--jsonl-input", "-o", "out.jsonl", cwd=tmp_path, stdin=stdin, model=blank_model)
    assert result.returncode == code, result.stderr.decode()
    if code == 0:
        assert ids(tmp_path / "out.jsonl") == expected
    else:
        assert expected in result.stderr.decode()
        assert not (tmp_path / "out.jsonl").exists()  # refused before anything is written


@pytest.mark.parametrize(
    ("second", "doc_id", "code", "kept"),
    [
        (DELHI, None, 1, {"stdin": ASTANA}),  # another text under the id of the first: refused, the first kept
        (DELHI, "delhi", 0, {"stdin": ASTANA, "delhi": DELHI}),  # an id of its own
        (ASTANA, None, 0, {"stdin": ASTANA}),  # the same text again: already done
    ],
)
def test_stdin_never_gives_two_articles_one_id(tmp_path, blank_model, second, doc_id, code, kept):
    first = cli("run", "-", "-o", "out.jsonl", cwd=tmp_path, stdin=ASTANA, model=blank_model)
    assert first.returncode == 0, first.stderr.decode()
    named = ["--doc-id", doc_id] if doc_id else []
    again = cli("run", "-", *named, "-o", "out.jsonl", cwd=tmp_path, stdin=second, model=blank_model)
    assert again.returncode == code, again.stderr.decode()
    records = {data["doc_id"]: data["text"] for _, data in iter_jsonl(tmp_path / "out.jsonl")}
    assert records == {key: text.strip() for key, text in kept.items()}
    if code:
        assert "doc id 'stdin' already names another article in the output" in again.stderr.decode()


def test_jsonl_input_needs_stdin(tmp_path):
    (tmp_path / "a.txt").write_text(ASTANA, encoding="utf-8")
    result = cli("run", "a.txt", "--jsonl-input", "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "--jsonl-input is about standard input; add - to the paths" in result.stderr.decode()


@pytest.fixture(scope="module")
def extraction(tmp_path_factory, blank_model) -> Path:
    folder = tmp_path_factory.mktemp("pipes")
    for number in range(30):
        (folder / f"a{number:02}.txt").write_text(ASTANA, encoding="utf-8")
    result = cli("run", ".", "-o", "out.jsonl", cwd=folder, model=blank_model)
    assert result.returncode == 0, result.stderr.decode()
    return folder


@pytest.mark.parametrize(
    "arguments",
    [
        ["table", "out.jsonl", "--view", "mentions", "--format", "csv"],
        ["table", "out.jsonl", "--view", "entities"],
        ["catalog", "out.jsonl"],
        ["evaluate", "out.jsonl", "--gold", "gold"],
        ["gold", "validate", "gold"],
        ["review", "export", "out.jsonl", "-o", "-"],
        ["--help"],
    ],
)
def test_a_closed_stdout_ends_every_command_the_same_way(extraction, arguments):
    """`command | head` that stops reading: exit 1 and no message, as click does (it was exit 2 with an error)."""
    gold = extraction / "gold"
    if not gold.exists():
        gold.mkdir()
        line = {"text": ASTANA.strip(), "meta": {"doc_id": "a00", "source": "a00.txt"}, "answer": "accept"}
        line["spans"] = [{"start": 0, "end": 10, "label": "COUNTRY", "text": "Kazakhstan", "id": "KAZ"}]
        (gold / "a00.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [*COMMAND, *arguments], stdout=writer, stderr=subprocess.PIPE, cwd=extraction, timeout=300
        )
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr.decode()) == (1, "")


def test_a_re_extracted_article_keeps_its_place(tmp_path, blank_model):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(ASTANA, encoding="utf-8")
    assert cli("run", ".", "-o", "out.jsonl", cwd=tmp_path, model=blank_model).returncode == 0
    (tmp_path / "b.txt").write_text(DELHI, encoding="utf-8")
    again = cli("run", ".", "-o", "out.jsonl", cwd=tmp_path, model=blank_model)
    assert again.returncode == 0, again.stderr.decode()
    records = [data for _, data in iter_jsonl(tmp_path / "out.jsonl")]
    assert [(data["doc_id"], data["text"]) for data in records] == [
        ("a", ASTANA.strip()),
        ("b", DELHI.strip()),
        ("c", ASTANA.strip()),
    ]


@pytest.mark.parametrize("earlier", [0, 30, 600])
def test_the_run_time_counts_from_its_start(tmp_path, blank_model, earlier):
    """`seconds` count from `started_at` (the CLI passes the process's start), so they include start-up."""
    (tmp_path / "a.txt").write_text(ASTANA, encoding="utf-8")
    summary = run(
        [str(tmp_path / "a.txt")], tmp_path / "out.jsonl", model=str(blank_model), started_at=time.time() - earlier
    )
    assert summary.seconds >= earlier + summary.extract_seconds
