"""The output under hostile conditions: files that are not ours, a second run, unwritable and full disks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import TinyExtractor

from summit_extract.batch import (
    ForeignOutputError,
    OutputError,
    OutputLockedError,
    errors_path_for,
    prepare_output,
    run,
)
from summit_extract.batch.output import OutputLock, lock_path_for, work_dir_for
from summit_extract.output.jsonl import iter_jsonl

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent


def record_line(doc_id: str) -> str:
    record = {
        "doc_id": doc_id,
        "source": f"{doc_id}.txt",
        "text": "Kazakhstan",
        "meta": {"title": None, "author": None, "published": None},
        "entities": [],
        "pipeline": {"version": "0", "model": "blank"},
        "input": {"encoding": "utf-8", "sha256": "old", "bytes": 10},
    }
    return json.dumps(record, separators=(",", ":")) + "\n"


GOLD_LINE = '{"text": "Kazakhstan", "meta": {"doc_id": "g1"}, "spans": [], "answer": "accept"}'


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(6):
        (folder / f"a{number}.txt").write_text(f"Article {number} about the SCO summit in Astana.\n", encoding="utf-8")
    return folder


def doc_ids_in(path: Path) -> list[str]:
    return [data["doc_id"] for _, data in iter_jsonl(path)]


# --- 1. a file that is not ours is never touched ------------------------------------------------

FOREIGN = [
    pytest.param("doc_id,text\n1,hello\n", "not a summit-extract output", id="csv"),
    pytest.param('{"name": "something else"}\n', "line 1: not a summit-extract record", id="other-json"),
    pytest.param("{broken json\n", "not valid JSON", id="broken-json"),
    pytest.param('{"theme": "dark", "font_size": 12}', "line 1: not a summit-extract record", id="settings-json"),
    pytest.param(GOLD_LINE, "line 1: not a summit-extract record", id="gold-line-without-newline"),
    pytest.param(GOLD_LINE + "\n" + GOLD_LINE, "line 1: not a summit-extract record", id="gold-file-without-newline"),
    pytest.param(record_line("a") + GOLD_LINE, "line 2: not a summit-extract record", id="ours-then-gold"),
    pytest.param(record_line("a") + '{"name": "cut', "line 2: not valid JSON", id="ours-then-foreign-half-line"),
    pytest.param('{"a":' * 100_000 + "\n", "line 1: not valid JSON (nested too deeply)", id="deeply-nested"),
]


@pytest.mark.parametrize(("content", "message_part"), FOREIGN)
def test_a_foreign_file_is_refused_before_any_byte_changes(tmp_path, content, message_part):
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ForeignOutputError) as caught:
        prepare_output(path, force=False)
    assert message_part in str(caught.value)
    assert caught.value.path == path
    assert "--force" not in str(caught.value)  # the flag is the CLI's to mention
    assert path.read_text(encoding="utf-8") == content


@pytest.mark.parametrize(("content", "message_part"), FOREIGN[:3])
def test_run_refuses_a_foreign_file_and_leaves_its_errors_file(tmp_path, corpus, content, message_part):
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    errors = errors_path_for(path)
    errors.write_text("earlier errors\n", encoding="utf-8")
    with pytest.raises(ForeignOutputError, match=message_part):
        run([str(corpus)], path, extractor=TinyExtractor())
    assert path.read_text(encoding="utf-8") == content
    assert errors.read_text(encoding="utf-8") == "earlier errors\n"


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        pytest.param(b'{"doc_id":"a","te', b"", id="only-a-half-record"),
        pytest.param(record_line("a").encode() + b'{"doc_id": "b", "text": "Ka', record_line("a").encode(), id="half"),
        pytest.param((record_line("a") + record_line("b")).encode()[:-1], record_line("a").encode(), id="lost-newline"),
        pytest.param(
            record_line("a").encode() + b'{"doc_id":"b","text":"K\xc3', record_line("a").encode(), id="in-char"
        ),
    ],
)
def test_a_half_line_of_ours_is_cut_after_the_whole_file_is_checked(tmp_path, content, kept):
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    state = prepare_output(path, force=False)
    assert path.read_bytes() == kept
    assert state.truncated_bytes == len(content) - len(kept)


# --- 2. one run at a time per output ------------------------------------------------------------


def test_a_second_run_is_refused_and_touches_nothing(tmp_path, corpus):
    output = tmp_path / "out.jsonl"
    output.write_text(record_line("old"), encoding="utf-8")
    errors = errors_path_for(output)
    errors.write_text("errors of the run in progress\n", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(output)], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputLockedError) as caught:
            run([str(corpus)], output, extractor=TinyExtractor(), force=True)
        assert caught.value.pid == holder.pid
        assert f"process {holder.pid} holds {lock_path_for(output)}" in str(caught.value)
        assert output.read_text(encoding="utf-8") == record_line("old")
        assert errors.read_text(encoding="utf-8") == "errors of the run in progress\n"
    finally:
        holder.kill()
        holder.wait()
    summary = run([str(corpus)], output, extractor=TinyExtractor())  # the holder is gone: the lock is free
    assert summary.extracted == 6


HOLD_LOCK = """
import sys, time
from pathlib import Path
from summit_extract.batch.output import OutputLock
with OutputLock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_lock_file_left_by_a_killed_run_is_taken_over(tmp_path, corpus):
    output = tmp_path / "out.jsonl"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(ended.stdout)
    lock_path_for(output).write_text(f"{dead_pid}\n", encoding="ascii")
    lock = OutputLock(output)
    with lock:
        assert lock.stale_pid == dead_pid
        assert lock_path_for(output).read_text(encoding="ascii") == f"{os.getpid()}\n"
    assert not lock_path_for(output).exists()
    assert run([str(corpus)], output, extractor=TinyExtractor()).extracted == 6
    assert not lock_path_for(output).exists()


def test_the_same_process_cannot_take_the_lock_twice(tmp_path):
    output = tmp_path / "out.jsonl"
    with OutputLock(output), pytest.raises(OutputLockedError, match=f"process {os.getpid()}"):
        OutputLock(output).acquire()


def test_a_rerun_with_replaced_records_keeps_each_article_once(tmp_path, corpus):
    output = tmp_path / "out.jsonl"
    run([str(corpus)], output, extractor=TinyExtractor())
    (corpus / "a0.txt").write_text("Changed text about BRICS.\n", encoding="utf-8")
    run([str(corpus)], output, extractor=TinyExtractor())
    assert sorted(doc_ids_in(output)) == [f"a{n}" for n in range(6)]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_output_inside_an_input_folder_is_not_read_as_an_article(tmp_path, corpus):
    output = corpus / "out.txt"
    run([str(corpus)], output, extractor=TinyExtractor())
    summary = run([str(corpus)], output, extractor=TinyExtractor())
    assert (summary.read, summary.skipped) == (6, 6)


def test_work_files_of_a_killed_run_are_removed(tmp_path, corpus):
    output = tmp_path / "out.jsonl"
    work = work_dir_for(output)
    work.mkdir()
    (work / "part-00000.tmp").write_bytes(b"")
    compact = output.with_name(f".{output.name}.compact")
    compact.write_bytes(b"half")
    run([str(corpus)], output, extractor=TinyExtractor())
    assert not work.exists() and not compact.exists()


# --- 3. an output that cannot be written ------------------------------------------------------


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder nothing can be created in: chmod for a normal user, the immutable flag for root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode:
            pytest.skip("running as root without chattr: no folder can be made read-only")
        yield folder
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        pytest.param("read-only", "cannot be locked", id="read-only-folder"),
        pytest.param("/proc/summit-test/out.jsonl", "its folder cannot be made", id="under-proc"),
        pytest.param("/sys/out.jsonl", "cannot be locked", id="under-sys"),
        pytest.param("a-file/out.jsonl", "its folder cannot be made", id="parent-is-a-file"),
    ],
)
def test_an_unwritable_output_is_one_line_naming_path_and_reason(tmp_path, corpus, read_only_dir, where, reason):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    output = read_only_dir / "out.jsonl" if where == "read-only" else tmp_path / where
    with pytest.raises(OutputError) as caught:
        run([str(corpus)], output, extractor=TinyExtractor())
    message = str(caught.value)
    assert str(output) in message and reason in message and "\n" not in message
    assert message.endswith(")")  # the OS's reason in brackets


SIZE_LIMITED_RUN = """
import resource, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from helpers import TinyExtractor
from summit_extract.batch import run
from summit_extract.cli.errors import describe, exit_code
extractor = TinyExtractor()
limit = int(sys.argv[4])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    run([sys.argv[2]], Path(sys.argv[3]), extractor=extractor, batch_size=1)
except Exception as error:
    print(type(error).__name__, exit_code(error), describe(error))
else:
    print("done")
"""


def run_with_file_size_limit(corpus: Path, output: Path, limit: int) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", SIZE_LIMITED_RUN, str(TESTS), str(corpus), str(output), str(limit)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.strip()


def assert_resumable(output: Path) -> None:
    content = output.read_bytes()
    assert content == b"" or content.endswith(b"\n")
    for line in content.splitlines():
        json.loads(line)
    leftovers = [p.name for p in output.parent.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_a_full_disk_mid_run_leaves_whole_lines_and_the_rerun_completes(tmp_path, corpus):
    output = tmp_path / "out.jsonl"
    line = run_with_file_size_limit(corpus, output, 900)
    assert line.startswith("OutputIncompleteError 1 ")
    assert f"{output} cannot be written (File too large)" in line and "resume" in line
    assert_resumable(output)
    assert 0 < len(doc_ids_in(output)) < 6
    run([str(corpus)], output, extractor=TinyExtractor())
    assert doc_ids_in(output) == [f"a{n}" for n in range(6)]


def test_a_full_disk_before_the_first_record_is_exit_two(tmp_path, corpus):
    output = tmp_path / "out.jsonl"
    line = run_with_file_size_limit(corpus, output, 50)
    assert line == f"OutputError 2 {output} cannot be written (File too large); choose another -o path"
    assert output.read_bytes() == b""
    assert_resumable(output)


def test_a_full_disk_during_the_dedup_rewrite_leaves_the_output_as_it_was(tmp_path, corpus):
    output = tmp_path / "out.jsonl"
    run([str(corpus)], output, extractor=TinyExtractor())
    before = output.read_bytes()
    output.write_bytes(before + before)  # every article twice: the next run rewrites the file
    line = run_with_file_size_limit(corpus, output, len(before) // 2)
    assert line.startswith("OutputError 2 ") and "cannot be rewritten" in line
    assert output.read_bytes() == before + before
    assert_resumable(output)
    run([str(corpus)], output, extractor=TinyExtractor())
    assert output.read_bytes() == before


def test_cli_refuses_a_locked_output_with_exit_two(tmp_path, corpus):
    from typer.testing import CliRunner

    from summit_extract.cli import app

    output = tmp_path / "out.jsonl"
    with OutputLock(output):
        result = CliRunner().invoke(app, ["run", str(corpus), "-o", str(output), "--force", "--jobs", "1"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"summit-extract: error: {output} is in use by another summit-extract run (process {os.getpid()} holds "
        f"{lock_path_for(output)}); wait for that run to end, or choose another -o path "
        "(--force does not override a lock)"
    ]
    assert not output.exists()


def test_a_line_break_in_a_doc_id_keeps_the_summary_table_one_row_per_article(tmp_path):
    from summit_extract.cli.run import format_summary

    (tmp_path / "two\nlines.txt").write_text("The SCO met in Astana.\n", encoding="utf-8")
    summary = run([str(tmp_path / "two\nlines.txt")], tmp_path / "out.jsonl", extractor=TinyExtractor())
    table = format_summary(summary).split("\n\n")[0].splitlines()
    assert len(table) == 3 and table[2].startswith("two\\nlines ")


# --- 4. links planted beside the output, names shared between outputs (through the command line) ----

# Articles that define an acronym, so the second pass learns an id and rewrites the output.
DEFINING = "Leaders of the Shanghai Cooperation Organisation (SCO) met in Astana with Kazakhstan.\n"
USING = "The Shanghai Cooperation Organisation summit in Astana welcomed China.\n"


@pytest.fixture
def acronym_corpus(tmp_path) -> Path:
    folder = tmp_path / "acronyms"
    folder.mkdir()
    (folder / "a1.txt").write_text(DEFINING, encoding="utf-8")
    (folder / "a2.txt").write_text(USING, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # one error line in the errors file
    return folder


def cli_run(corpus: Path, output: Path, model: Path, *extra: str):
    from typer.testing import CliRunner

    from summit_extract.cli import app

    arguments = ["run", str(corpus), "-o", str(output), "--model", str(model), "--jobs", "1", *extra]
    return CliRunner().invoke(app, arguments)


PLANTED = [
    pytest.param(lambda out: lock_path_for(out), id="lock-file"),
    pytest.param(lambda out: errors_path_for(out), id="errors-file"),
    pytest.param(lambda out: out.with_name(f".{out.name}.corpus-ids"), id="corpus-ids-copy"),
    pytest.param(lambda out: out.with_name(f".{out.name}.compact"), id="dedup-copy"),
]


@pytest.mark.parametrize("planted", PLANTED)
@pytest.mark.parametrize("force", [False, True])
def test_a_link_planted_beside_the_output_is_refused_and_its_target_untouched(
    tmp_path, acronym_corpus, blank_model, planted, force
):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    output = tmp_path / "out" / "out.jsonl"
    output.parent.mkdir()
    link = planted(output)
    link.symlink_to(victim)
    result = cli_run(acronym_corpus, output, blank_model, *(["--force"] if force else []))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"summit-extract: error: {link} is a symbolic link to {victim}, and a run on {output} never writes "
        "through one; remove the link (or find out who planted it), or choose another -o path"
    ]
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert link.is_symlink() and not output.exists()


@pytest.mark.parametrize("beside", [lambda out: out, errors_path_for], ids=["output", "errors-file"])
def test_a_fifo_in_place_of_the_output_or_its_errors_is_refused(tmp_path, acronym_corpus, blank_model, beside):
    output = tmp_path / "out.jsonl"
    os.mkfifo(beside(output))
    command = [sys.executable, "-m", "summit_extract.cli", "run", str(acronym_corpus), "-o", str(output)]
    finished = subprocess.run(
        [*command, "--model", str(blank_model), "--jobs", "1"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert finished.returncode == 2
    assert finished.stderr == f"summit-extract: error: {beside(output)} is not a regular file; choose another -o path\n"


def test_a_link_in_place_of_the_dask_work_folder_is_refused(tmp_path, acronym_corpus, blank_model):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    work_dir_for(output).symlink_to(victim)
    result = cli_run(acronym_corpus, output, blank_model)
    assert result.exit_code == 2 and "is a symbolic link" in result.stderr
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "precious\n"


def test_outputs_that_differ_only_in_suffix_keep_their_own_errors(tmp_path, acronym_corpus, blank_model):
    first, second = tmp_path / "st" / "out.jsonl", tmp_path / "st" / "out.json"
    assert cli_run(acronym_corpus, first, blank_model).exit_code == 1  # the empty article
    errors_of_first = errors_path_for(first).read_bytes()
    assert cli_run(acronym_corpus, second, blank_model).exit_code == 1
    assert errors_path_for(first) != errors_path_for(second)
    assert errors_path_for(first).read_bytes() == errors_of_first
    assert [data["doc_id"] for _, data in iter_jsonl(errors_path_for(second))] == ["empty"]


def test_a_link_to_the_output_shares_its_lock_and_stays_a_link(tmp_path, acronym_corpus, blank_model):
    output = tmp_path / "out.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(output.name)
    with OutputLock(output):
        refused = cli_run(acronym_corpus, link, blank_model)
    assert refused.exit_code == 2 and "is in use by another summit-extract run" in refused.stderr
    assert not output.exists()

    assert cli_run(acronym_corpus, link, blank_model).exit_code == 1
    (acronym_corpus / "a2.txt").write_text(USING + "It ended in Tashkent.\n", encoding="utf-8")  # a replaced record
    assert cli_run(acronym_corpus, link, blank_model).exit_code == 1
    assert link.is_symlink() and output.is_file()
    assert doc_ids_in(output) == ["a1", "a2"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "acronyms") == [
        "link.jsonl",
        "out.jsonl",
        "out.jsonl.errors.jsonl",
    ]


@pytest.mark.parametrize(
    ("pid", "running", "holder"),
    [
        (None, False, "another process holds {lock}"),
        (4242, True, "process 4242 holds {lock}"),
        (999999, False, "process 999999 has ended, but processes it started still hold {lock}"),
    ],
)
def test_the_lock_message_names_who_holds_the_lock(tmp_path, pid, running, holder):
    output = tmp_path / "out.jsonl"
    error = OutputLockedError(output, lock_path_for(output), pid, running)
    expected = holder.format(lock=lock_path_for(output))
    assert str(error) == f"{output} is in use by another summit-extract run ({expected})"


# The disk fills once every record is written: only the second pass (ids learnt across the run) fails.
FULL_AFTER_THE_RECORDS = """
import resource, signal, sys
from pathlib import Path
from summit_extract.batch import run
from summit_extract.cli.errors import describe, exit_code
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing

def fill_the_disk(done, total):
    if done == total:
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

try:
    run([sys.argv[1]], Path(sys.argv[2]), model=sys.argv[3], jobs=1, on_progress=fill_the_disk)
except Exception as error:
    print(type(error).__name__, exit_code(error), describe(error))
"""


def test_a_full_disk_in_the_id_pass_is_exit_one_and_the_same_command_finishes_it(tmp_path, blank_model):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a1.txt").write_text("Leaders of the Astana Tea Growers Union (ATGU) met in Astana.\n", encoding="utf-8")
    (corpus / "a2.txt").write_text("The Astana Tea Growers Union met again in Astana.\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    finished = subprocess.run(
        [sys.executable, "-c", FULL_AFTER_THE_RECORDS, str(corpus), str(output), str(blank_model)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == (
        f"OutputIncompleteError 1 {output} cannot be rewritten with the ids learnt across the run (File too large); "
        "2 record(s) of this run were written before the failure; the output holds only whole lines: "
        "fix the cause and run the same command again to resume"
    )
    assert_resumable(output)
    assert doc_ids_in(output) == ["a1", "a2"]
    assert cli_run(corpus, output, blank_model).exit_code == 0
    ids = [entity["id"] for _, data in iter_jsonl(output) for entity in data["entities"]]
    assert ids == ["ATGU", "ATGU", "ATGU"]
