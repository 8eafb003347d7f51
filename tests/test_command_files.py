"""The files that table, catalog, report and review export read and write: a file that cannot be
written, or read, is one line naming it (exit 2), in a real process, with no traceback after it."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest
from helpers import make_record

from summit_extract.output.jsonl import MAX_LINE_BYTES, write_jsonl

FULL = "/dev/full"  # every write fails with ENOSPC, as on a full disk
RECORD = make_record(
    "astana", "The SCO met in Astana, Kazakhstan.", [("SCO", "ORG", "SCO"), ("Kazakhstan", "COUNTRY", "KAZ")]
)
# An address-space cap for the process under test: reading /dev/zero without a bound reached 4 GB in 12 s.
ADDRESS_SPACE = 3 * 1024**3


@pytest.fixture
def output_file(tmp_path):
    path = tmp_path / "extractions.jsonl"
    write_jsonl(path, [RECORD.to_dict()])
    return path


def summit(*arguments: str) -> subprocess.CompletedProcess:
    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    command = [sys.executable, "-m", "summit_extract.cli", *arguments]
    return subprocess.run(command, capture_output=True, text=True, preexec_fn=cap_memory, check=False)


@pytest.mark.parametrize(
    "arguments",
    [
        # /dev/full exists: writing to it is overwriting, which every command does only with --force.
        ["table", "{out}", "--view", "orgs", "--format", "csv", "--force", "-o", FULL],
        ["table", "{out}", "--view", "mentions", "--format", "xlsx", "--force", "-o", FULL],
        ["table", "{out}", "--view", "entities", "--format", "parquet", "--force", "-o", FULL],
        ["catalog", "{out}", "--format", "xlsx", "--force", "-o", FULL],
        ["report", "{out}", "--force", "-o", FULL],
        ["review", "export", "{out}", "--force", "-o", FULL],
    ],
)
def test_a_full_disk_is_one_line_naming_the_file(output_file, arguments):
    result = summit(*[argument.replace("{out}", str(output_file)) for argument in arguments])
    assert (result.returncode, result.stderr) == (
        2,
        f"summit-extract: error: {FULL}: cannot write (No space left on device)\n",
    )


def test_a_folder_that_cannot_be_made_is_named(tmp_path, output_file):
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "catalog.csv"
    result = summit("catalog", str(output_file), "-o", str(target))
    assert result.returncode == 2
    assert result.stderr.startswith(f"summit-extract: error: {target}: cannot write (")
    assert len(result.stderr.splitlines()) == 1


def test_a_file_without_line_ends_is_read_only_up_to_the_line_limit():
    result = summit("table", "/dev/zero")
    assert (result.returncode, result.stderr) == (
        2,
        f"summit-extract: error: /dev/zero, line 1: longer than {MAX_LINE_BYTES:,} bytes; expected JSON Lines\n",
    )
