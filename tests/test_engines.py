"""The one engine interface: every engine gives the same output, and extractor options reach the workers.

A stand-in extractor (a blank spaCy pipeline) keeps these tests off the model; the real
pipeline on every engine is in test_run.py, test_resume.py and test_dask_engine.py.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from helpers import DyingExtractor, TinyExtractor

import summit_extract
from summit_extract.batch import (
    BatchJob,
    ExtractorSpec,
    ForeignOutputError,
    OptionConflictError,
    OptionError,
    OutputError,
    OutputIncompleteError,
    OutputLockedError,
    errors_path_for,
    run,
)
from summit_extract.batch.dask_engine import plugin_name
from summit_extract.batch.local import InProcessEngine, ProcessPoolEngine
from summit_extract.errors import SummitError
from summit_extract.evaluation.regression import FloorLoweredError, FloorsError, GoldChangedError
from summit_extract.output.jsonl import JsonlError, read_records
from summit_extract.reading.sources import Source


class TinySpec(ExtractorSpec):
    """Builds the stand-in extractor from the options, as `ExtractorSpec` builds `Extractor`."""

    __slots__ = ()

    def load(self) -> TinyExtractor:
        return TinyExtractor(**self.options)


ARTICLES = {f"a{index}": f"Article number {index} about the SCO summit.\n" for index in range(7)}


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for doc_id, text in ARTICLES.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / "a3.txt").write_text("This one says BOOM.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def run_on(engine, corpus: Path, output: Path) -> tuple[bytes, bytes]:
    run([str(corpus)], output, engine=engine, batch_size=2)
    return output.read_bytes(), errors_path_for(output).read_bytes()


@pytest.mark.parametrize(
    "make_engine",
    [
        lambda spec: ProcessPoolEngine(spec, jobs=2, start_method="spawn"),
        lambda spec: ProcessPoolEngine(spec, jobs=2, start_method="forkserver"),
    ],
    ids=["pool-spawn", "pool-forkserver"],
)
def test_every_engine_writes_what_the_in_process_engine_writes(corpus, tmp_path, make_engine):
    spec = TinySpec(options={"title": "built from the spec"})
    expected = run_on(InProcessEngine(spec), corpus, tmp_path / "here.jsonl")
    assert run_on(make_engine(spec), corpus, tmp_path / "there.jsonl") == expected
    records = list(read_records(tmp_path / "there.jsonl"))
    assert [r.doc_id for r in records] == ["a0", "a1", "a2", "a4", "a5", "a6"]
    assert {r.meta.title for r in records} == {"built from the spec"}  # the option reached the workers
    assert b'"error":"extract"' in expected[1] and b'"error":"empty"' in expected[1]


class DyingSpec(ExtractorSpec):
    """Builds, in each worker process, an extractor that kills its process on the articles that ask it to."""

    __slots__ = ()

    def load(self) -> DyingExtractor:
        return DyingExtractor()


@pytest.mark.parametrize(
    ("texts", "failed"),
    [
        pytest.param({"a3": "DIE-ONCE {marker}"}, [], id="dies-once-retried-in-a-fresh-worker"),
        pytest.param({"a3": "DIE now"}, ["a3"], id="dies-twice-its-batch-fails"),
        pytest.param({"a1": "DIE", "a4": "DIE-ONCE {marker}", "a6": "DIE"}, ["a1", "a6"], id="three-deaths"),
    ],
)
def test_a_dead_worker_fails_only_its_batch(tmp_path, texts, failed):
    folder = tmp_path / "articles"
    folder.mkdir()
    for doc_id, text in {**ARTICLES, **texts}.items():
        (folder / f"{doc_id}.txt").write_text(text.format(marker=tmp_path / "died-once") + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    summary = run([str(folder)], output, engine=ProcessPoolEngine(DyingSpec(), jobs=2), batch_size=1)
    assert [r.doc_id for r in read_records(output)] == [doc_id for doc_id in ARTICLES if doc_id not in failed]
    assert [(f.doc_id, f.error) for f in summary.failures] == [(doc_id, "extract") for doc_id in failed]
    for failure in summary.failures:
        assert "worker process extracting its batch of 1 ended abruptly" in failure.message


# Ctrl-C twice while a worker is busy with an article that never ends.
INTERRUPTED_RUN = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from test_engines import DyingSpec
from summit_extract.batch import run
from summit_extract.batch.local import ProcessPoolEngine
try:
    run([sys.argv[2]], Path(sys.argv[3]), engine=ProcessPoolEngine(DyingSpec(), jobs=2), batch_size=1)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


def test_ctrl_c_with_a_worker_busy_exits_and_ends_the_workers(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for doc_id, text in {**ARTICLES, "a1": "HANG"}.items():
        (folder / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    tests = Path(__file__).resolve().parent
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_RUN, str(tests), str(folder), str(output)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=tests.parent,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a terminal's foreground process
    )
    try:
        # a0 is written; a1 hangs in its worker, holding back every record after it.
        while not (output.exists() and output.read_bytes().count(b"\n") == 1):
            assert process.poll() is None, "the run ended before its first record"
            time.sleep(0.05)
        workers = psutil.Process(process.pid).children(recursive=True)
        for _ in range(2):
            process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert (process.returncode, stdout) == (130, "interrupted\n")
    _, alive = psutil.wait_procs([w for w in workers if w.pid != os.getpid()], timeout=30)
    assert alive == []
    assert [r.doc_id for r in read_records(output)] == ["a0"]


def test_run_reports_progress_and_names_its_engine(corpus, tmp_path):
    seen = []
    summary = run(
        [str(corpus)], tmp_path / "out.jsonl", engine=InProcessEngine(TinySpec()), on_progress=lambda *a: seen.append(a)
    )
    assert seen[0] == (0, 8) and seen[-1] == (8, 8) and len(seen) == 9
    assert (summary.engine, summary.jobs, summary.extracted, summary.failed) == ("local", 1, 6, 2)


def test_a_part_of_a_job_carries_only_what_its_sources_need(tmp_path):
    sources = [Source("a", "a.txt"), Source("stdin", None), Source("c", "c.txt")]
    done = {"a": ("s", "v", "m"), "c": ("t", "v", "m")}
    job = BatchJob(sources, tmp_path / "o.jsonl", done=done, stdin_articles={"stdin": "x"})
    first, second = job.parts(2)
    assert (first.sources, first.done, first.stdin_articles) == (sources[:2], {"a": ("s", "v", "m")}, {"stdin": "x"})
    assert (second.sources, second.done, second.stdin_articles) == (sources[2:], {"c": ("t", "v", "m")}, {})


@pytest.mark.parametrize(
    ("spec", "key"),
    [
        (ExtractorSpec(), "default"),
        (ExtractorSpec("en_core_web_md"), "en_core_web_md"),
        (ExtractorSpec(None, {"patterns": "mine", "b": 1}), "default;b=1;patterns=mine"),
    ],
)
def test_spec_key_names_model_and_options(spec, key):
    assert spec.key == key
    assert plugin_name(spec) == f"summit-extract-extractor:{key}"


@pytest.mark.parametrize(
    ("options", "error", "fields"),
    [
        ({"jobs": 0}, OptionError, ("jobs", 0, "1 or more")),
        ({"batch_size": 0}, OptionError, ("batch_size", 0, "1 or more")),
        ({"max_bytes": -5}, OptionError, ("max_bytes", -5, "1 or more")),
        ({"max_chars": 0}, OptionError, ("max_chars", 0, "1 or more")),
        ({"max_pages": 0}, OptionError, ("max_pages", 0, "1 or more")),
        ({"max_read_seconds": 0.5}, OptionError, ("max_read_seconds", 0.5, "1 or more")),
        ({"engine": "spark"}, OptionError, ("engine", "spark", "one of local, dask")),
        ({"scheduler": "tcp://h:1"}, OptionConflictError, ("scheduler", "engine", "dask")),
    ],
)
def test_run_refuses_bad_options_before_touching_anything(corpus, tmp_path, options, error, fields):
    output = tmp_path / "out.jsonl"
    with pytest.raises(error) as caught:
        run([str(corpus)], output, **options)
    values = vars(caught.value)
    assert tuple(values[key] for key in list(values)[: len(fields)]) == fields
    assert not output.exists()


def test_an_output_that_is_a_folder_is_refused(corpus, tmp_path):
    (tmp_path / "out.jsonl").mkdir()
    with pytest.raises(OutputError, match="is not a regular file"):
        run([str(corpus)], tmp_path / "out.jsonl", extractor=TinyExtractor())


# --- one error hierarchy, worded by the CLI ------------------------------------------------------


def project_exception_classes() -> list[type]:
    found = {}
    for info in pkgutil.walk_packages(summit_extract.__path__, "summit_extract."):
        if info.name.endswith(".__main__"):  # importing it would start the CLI
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("summit_extract."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def test_every_project_exception_derives_from_summit_error():
    classes = project_exception_classes()
    assert len(classes) >= 14
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, SummitError)] == []


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (OptionError("batch_size", 0, "1 or more"), 2, "invalid --batch-size 0: expected 1 or more"),
        (
            OptionConflictError("scheduler", "engine", "dask"),
            2,
            "--scheduler is for --engine dask; add --engine dask or drop --scheduler",
        ),
        (
            ForeignOutputError(Path("o.jsonl"), "o.jsonl, line 2: not a summit-extract record"),
            2,
            "o.jsonl, line 2: not a summit-extract record; choose another -o file or pass --force to overwrite it",
        ),
        (OutputError(Path("o"), "is not a regular file"), 2, "o is not a regular file; choose another -o path"),
        (
            OutputLockedError(Path("o"), Path(".o.lock"), 42, True),
            2,
            "o is in use by another summit-extract run (process 42 holds .o.lock); wait for that run to end, "
            "or choose another -o path (--force does not override a lock)",
        ),
        (
            OutputIncompleteError(Path("o"), "cannot be written (No space left on device)", 3),
            1,
            "o cannot be written (No space left on device); 3 record(s) of this run were written before the "
            "failure; the output holds only whole lines: fix the cause and run the same command again to resume",
        ),
        (JsonlError("x.jsonl, line 1: not valid JSON"), 2, "x.jsonl, line 1: not valid JSON"),
        (FloorsError("floors.json: missing key 'labels'"), 2, "floors.json: missing key 'labels'"),
        (GoldChangedError("the gold changed"), 1, "the gold changed"),
        (FloorLoweredError("re-pinning would lower"), 1, "re-pinning would lower"),
        (PermissionError(13, "Permission denied"), 2, "[Errno 13] Permission denied"),
    ],
)
def test_cli_words_each_error_and_gives_its_exit_code(error, code, message):
    from summit_extract.cli.errors import describe, exit_code

    assert (exit_code(error), describe(error)) == (code, message)
