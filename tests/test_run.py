"""The batch job: output bookkeeping, per-article isolation, memory zones, the real pipeline end to end."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from helpers import TinyExtractor

from summit_extract.batch import (
    RunSummary,
    Skipped,
    errors_path_for,
    extract_batch,
    keep_latest_records,
    prepare_output,
    process_sources,
    run,
    truncate_partial_line,
)
from summit_extract.cli.run import format_summary
from summit_extract.output.jsonl import iter_jsonl, read_records
from summit_extract.reading.sources import expand_paths
from summit_extract.records import ArticleRecord, ErrorRecord

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"


def article_inputs(texts: dict[str, str]):
    from summit_extract.extraction.extract import ArticleInput

    return [ArticleInput(doc_id=doc_id, source=f"{doc_id}.txt", raw=text) for doc_id, text in texts.items()]


# --- output file bookkeeping -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected", "removed"),
    [
        (b"", b"", 0),
        (b'{"a":1}\n', b'{"a":1}\n', 0),
        (b'{"a":1}\n{"b":', b'{"a":1}\n', 5),
        (b'{"half', b"", 6),
        (b'{"a":1}\n{"b":2}\n{"c', b'{"a":1}\n{"b":2}\n', 3),
    ],
)
def test_truncate_partial_line(tmp_path, content, expected, removed):
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    assert truncate_partial_line(path) == removed
    assert path.read_bytes() == expected


def test_truncate_partial_line_longer_than_a_block(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"a":1}\n' + b"x" * 200_000)
    assert truncate_partial_line(path) == 200_000
    assert path.read_bytes() == b'{"a":1}\n'


def record_line(doc_id: str, sha: str = "abc", model: str = "m") -> str:
    record = {
        "doc_id": doc_id,
        "source": f"{doc_id}.txt",
        "text": "Kazakhstan",
        "meta": {"title": None, "author": None, "published": None},
        "entities": [
            {
                "label": "COUNTRY",
                "start": 0,
                "end": 10,
                "text": "Kazakhstan",
                "raw_start": 0,
                "raw_end": 10,
                "id": "KAZ",
                "norm": "Kazakhstan",
                "source": "country_ruler:name",
            }
        ],
        "pipeline": {"version": "0.1.0", "model": model},
        "input": {"encoding": "utf-8", "sha256": sha, "bytes": 10},
    }
    return json.dumps(record) + "\n"


def test_prepare_output_force_starts_over(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("doc_id,text\n", encoding="utf-8")
    state = prepare_output(path, force=True)
    assert state.done == {}
    assert path.read_bytes() == b""


def test_prepare_output_reads_done_keys_and_cuts_half_line(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(record_line("a", sha="s1") + record_line("b", sha="s2") + '{"doc_id": "c", "te', encoding="utf-8")
    state = prepare_output(path, force=False)
    assert state.done == {"a": ("s1", "0.1.0", "m", False, False), "b": ("s2", "0.1.0", "m", False, False)}
    assert state.counts["a"] == Counter({"COUNTRY": 1})
    assert state.truncated_bytes == len('{"doc_id": "c", "te')
    assert path.read_text(encoding="utf-8").endswith("\n")
    assert not state.duplicates


def test_prepare_output_creates_missing_folders(tmp_path):
    path = tmp_path / "new" / "folder" / "out.jsonl"
    assert prepare_output(path, force=False).done == {}
    assert path.is_file()


def test_keep_latest_records_drops_replaced_lines(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(record_line("a", sha="old") + record_line("b") + record_line("a", sha="new"), encoding="utf-8")
    assert keep_latest_records(path) == 1
    kept = [(data["doc_id"], data["input"]["sha256"]) for _, data in iter_jsonl(path)]
    assert kept == [("a", "new"), ("b", "abc")]  # the latest record, in the place of the first


def test_errors_path_sits_next_to_output():
    assert errors_path_for("out/extractions.jsonl") == Path("out/extractions.jsonl.errors.jsonl")


# --- per-article isolation and memory zones ------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ({"a": "one", "b": "two"}, ["a:record", "b:record"]),
        ({"a": "one", "b": "BOOM", "c": "three"}, ["a:record", "b:extract", "c:record"]),
        ({"a": "BOOM", "b": "BOOM"}, ["a:extract", "b:extract"]),
        ({}, []),
    ],
)
def test_extract_batch_isolates_failing_articles(texts, expected):
    outcomes = extract_batch(TinyExtractor(), article_inputs(texts))
    kinds = [f"{o.doc_id}:{'record' if isinstance(o, ArticleRecord) else o.error}" for o in outcomes]
    assert kinds == expected


def test_extract_batch_error_names_file_and_reason():
    (error,) = extract_batch(TinyExtractor(), article_inputs({"bad": "BOOM"}))
    assert error == ErrorRecord(
        doc_id="bad",
        source="bad.txt",
        error="extract",
        message="bad.txt: extraction failed (ValueError: cannot handle bad)",
    )


def test_extract_batch_runs_one_pipe_call_when_nothing_fails():
    extractor = TinyExtractor()
    extract_batch(extractor, article_inputs({str(i): f"text {i}" for i in range(5)}))
    assert extractor.calls == [5]


def test_memory_zone_returns_string_store_to_its_size():
    extractor = TinyExtractor()
    extract_batch(extractor, article_inputs({"warm": "warm up"}))
    before = len(extractor.nlp.vocab.strings)
    for batch in range(20):
        texts = {f"{batch}-{i}": f"token{batch}x{i} unique{batch}y{i} words{batch}z{i}" for i in range(10)}
        records = extract_batch(extractor, article_inputs(texts))
        assert all(isinstance(record, ArticleRecord) for record in records)
    assert len(extractor.nlp.vocab.strings) == before


def test_process_sources_keeps_warm_up_words_and_zones_the_rest(tmp_path, monkeypatch):
    from summit_extract.batch import work

    monkeypatch.setattr(work, "WARM_UP_ARTICLES", 4)
    for index in range(44):
        (tmp_path / f"{index:03d}.txt").write_text(f"common words plus rare{index}q token{index}z\n", encoding="utf-8")
    sources = expand_paths([str(tmp_path)]).sources
    extractor = TinyExtractor()
    warm = list(process_sources(sources[:4], extractor, batch_size=2))
    after_warm_up = len(extractor.nlp.vocab.strings)
    assert "rare0q" in extractor.nlp.vocab.strings  # warm-up words stay
    rest = list(process_sources(sources[4:], extractor, batch_size=2))
    assert len(extractor.nlp.vocab.strings) == after_warm_up
    assert "rare43q" not in extractor.nlp.vocab.strings
    assert [record.doc_id for record in warm + rest] == [source.doc_id for source in sources]


# --- summary ---------------------------------------------------------------------------------


def test_summary_counts_and_exit_code():
    summary = RunSummary(output="o.jsonl", errors_output="o.errors.jsonl")
    record = ArticleRecord.from_dict(json.loads(record_line("a")))
    summary.add(record)
    summary.add(Skipped("b", "b.txt"), {"b": Counter({"ORG": 2})})
    summary.add(ErrorRecord("c", "c.txt", "empty", "c.txt: the file is empty"))
    assert (summary.read, summary.extracted, summary.skipped, summary.failed) == (3, 1, 1, 1)
    assert summary.entities == Counter({"COUNTRY": 1})
    assert [row.to_dict() for row in summary.articles] == [
        {"doc_id": "a", "status": "extracted", "countries": 1, "orgs": 0, "documents": 0},
        {"doc_id": "b", "status": "skipped", "countries": 0, "orgs": 2, "documents": 0},
        {"doc_id": "c", "status": "failed", "countries": 0, "orgs": 0, "documents": 0},
    ]
    assert summary.exit_code == 1
    assert summary.to_dict()["entities"] == {"COUNTRY": 1, "ORG": 0, "DOCUMENT": 0}


@pytest.mark.parametrize(("articles", "max_rows", "table_shown"), [(3, 40, True), (50, 40, False)])
def test_format_summary_table_only_for_small_runs(articles, max_rows, table_shown):
    summary = RunSummary(output="o.jsonl", errors_output="o.errors.jsonl")
    for index in range(articles):
        summary.add(ArticleRecord.from_dict(json.loads(record_line(f"doc{index}"))))
    text = format_summary(summary, max_rows=max_rows)
    assert ("doc0 " in text) is table_shown
    assert f"{articles} read, {articles} extracted, 0 skipped" in text
    assert "mentions extracted: COUNTRY " + str(articles) in text


# --- the real pipeline end to end ----------------------------------------------------------


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(CORPUS.glob("*.txt"))[:4]:
        shutil.copy(path, folder / path.name)
    return folder


def records_of(path: Path) -> list[dict]:
    return [data for _, data in iter_jsonl(path)]


@pytest.mark.model
def test_run_extracts_every_article_in_order(small_corpus, tmp_path):
    output = tmp_path / "out.jsonl"
    summary = run([str(small_corpus)], output, jobs=1)
    records = list(read_records(output))  # validates every line against the contract
    assert [r.doc_id for r in records] == sorted(p.stem for p in small_corpus.glob("*.txt"))
    assert summary.extracted == len(records) and summary.failed == 0 and summary.exit_code == 0
    assert summary.entities["COUNTRY"] > 0
    assert errors_path_for(output).read_text(encoding="utf-8") == ""


@pytest.mark.model
def test_rerun_skips_finished_articles(small_corpus, tmp_path):
    output = tmp_path / "out.jsonl"
    run([str(small_corpus)], output, jobs=1)
    first = output.read_bytes()
    summary = run([str(small_corpus)], output, jobs=1)
    assert summary.skipped == summary.read and summary.extracted == 0
    assert output.read_bytes() == first


@pytest.mark.model
def test_changed_input_replaces_its_record(small_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    output = tmp_path / "out.jsonl"
    run([str(corpus)], output, jobs=1)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe leaders also met in Tashkent.\n", encoding="utf-8")
    summary = run([str(corpus)], output, jobs=1)
    assert (summary.extracted, summary.skipped) == (1, 3)
    doc_ids = [r["doc_id"] for r in records_of(output)]
    assert sorted(doc_ids) == sorted(p.stem for p in corpus.glob("*.txt"))  # no duplicate
    assert "Tashkent" in next(r["text"] for r in records_of(output) if r["doc_id"] == changed.stem)


@pytest.mark.model
@pytest.mark.parametrize("start_method", ["spawn", "forkserver"])
def test_jobs_two_equals_jobs_one(small_corpus, tmp_path, start_method):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run([str(small_corpus)], one, jobs=1, batch_size=1)
    summary = run([str(small_corpus)], two, jobs=2, batch_size=1, start_method=start_method)
    assert summary.jobs == 2 and summary.extracted == 4
    assert records_of(two) == records_of(one)


@pytest.mark.model
def test_memory_zone_with_real_pipeline(extractor):
    texts = {f"warm{i}": "The SCO summit in Astana adopted the Astana Declaration." for i in range(2)}
    extract_batch(extractor, article_inputs(texts))
    before = len(extractor.nlp.vocab.strings)
    for batch in range(5):
        texts = {
            f"{batch}-{i}": f"Delegates from Zorblat{batch}q{i} and Kazakhstan signed the Qwerx{batch}v{i} Accord."
            for i in range(8)
        }
        records = extract_batch(extractor, article_inputs(texts))
        assert all(isinstance(record, ArticleRecord) for record in records)
    assert len(extractor.nlp.vocab.strings) == before


@pytest.mark.model
def test_worker_processes_use_the_users_patterns(tmp_path):
    patterns = tmp_path / "mine"
    patterns.mkdir()
    (patterns / "country_aliases.tsv").write_text("id\talias\tkind\nKAZ\tQazaqstan\tlocal\n", encoding="utf-8")
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("Leaders met in Qazaqstan.\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    summary = run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], output, jobs=2, batch_size=1, patterns=patterns)
    assert summary.jobs == 2
    assert [[(e["text"], e["id"]) for e in r["entities"]] for r in records_of(output)] == [[("Qazaqstan", "KAZ")]] * 2
