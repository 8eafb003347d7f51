"""The benchmark command on a tiny corpus: its figures are there and make sense (never a speed threshold)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summit_extract.benchmarks.bench import (
    LONG_LINE_WORDS,
    BenchResult,
    build_corpus,
    format_stage_times,
    vary,
    write_long_article,
)
from summit_extract.cli import app

ARTICLES = Path(__file__).resolve().parent.parent / "corpus" / "articles"
VARIANT_KEYS = {
    "docs", "words", "runs", "seconds", "words_per_second", "startup_seconds", "peak_rss_mb", "jobs", "failed", "load"
}  # fmt: skip


@pytest.mark.parametrize("index", [0, 1, 7, 19])
def test_vary_keeps_the_article_and_adds_a_unique_line(seed_raw, index):
    varied = vary(seed_raw, index)
    assert f"dispatch {index:06d}" in varied
    original_words = sorted(seed_raw.split())
    assert all(word in varied for word in original_words[:50])
    assert abs(len(varied.split()) - len(original_words)) <= 6


def test_vary_differs_between_copies(seed_raw):
    assert len({vary(seed_raw, index) for index in range(5)}) == 5


def test_build_corpus_cycles_real_articles(tmp_path, repo_root):
    sources = sorted((repo_root / "corpus" / "articles").glob("*.txt"))
    paths = build_corpus(tmp_path / "corpus", len(sources) + 2, repo_root / "corpus" / "articles")
    assert len(paths) == len(sources) + 2
    assert paths[len(sources)].name.endswith(sources[0].name)
    assert all(path.read_text(encoding="utf-8").strip() for path in paths)


@pytest.mark.model
def test_bench_json_has_every_figure():
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "--docs",
            "6",
            "--rounds",
            "2",
            "--long-lines",
            "40",
            "--facts-off",
            "--json",
            "--source",
            str(ARTICLES),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["docs"] == 6 and data["words"] > 0
    order = ["pipeline", "pipeline_no_facts", "ner_only", "stock", "long"]
    assert set(data["variants"]) == set(order)
    assert data["order"] == order * 2  # in turn, not one variant after another
    for name, figures in data["variants"].items():
        assert set(figures) == VARIANT_KEYS, name
        assert figures["docs"] == (1 if name == "long" else 6) and figures["failed"] == 0
        assert figures["runs"] == 2 and len(figures["load"]) == 2
        assert figures["seconds"] > 0 and figures["words_per_second"] > 0 and figures["peak_rss_mb"] > 0
        assert figures["startup_seconds"] > 0  # the interpreter and the model load, outside `seconds`
    assert data["variants"]["long"]["words"] == 40 * LONG_LINE_WORDS
    expected_ratio = data["variants"]["pipeline"]["words_per_second"] / data["variants"]["ner_only"]["words_per_second"]
    assert data["ratio_vs_ner_only"] == pytest.approx(expected_ratio, rel=0.01)
    assert data["ratio_vs_stock"] > 0 and data["long_vs_pipeline"] > 0 and data["ratio_no_facts_vs_ner_only"] > 0
    assert set(data["load_average"]) == {"start", "end"}
    assert data["busy"] == ("warning: other work put the load average above 1" in result.stderr)
    assert (
        data["machine"]["cpu_count"] >= 1 and data["machine"]["python"] and data["machine"]["spacy"].startswith("3.8")
    )


def _runs(*seconds: float, load: float | None = 0.5) -> list[dict]:
    return [
        {"docs": 4, "failed": 0, "seconds": s, "startup_seconds": 2.0, "peak_rss_mb": 100.0, "jobs": 1, "load": load}
        for s in seconds
    ]


@pytest.mark.parametrize(
    ("pipeline", "ner_only", "ratio"),
    [
        ((10.0, 10.0, 10.0), (8.0, 8.0, 8.0), 0.8),
        ((10.0, 30.0, 11.0), (8.0, 9.0, 50.0), 9.0 / 11.0),  # one slow run of each does not move the median
        ((12.0,), (6.0,), 0.5),
    ],
)
def test_bench_figures_are_medians_of_the_runs(pipeline, ner_only, ratio):
    result = BenchResult(docs=4, words=1000, runs={"pipeline": _runs(*pipeline), "ner_only": _runs(*ner_only)})
    data = result.to_dict()
    assert data["ratio_vs_ner_only"] == pytest.approx(ratio, abs=0.001)
    assert data["variants"]["pipeline"]["runs"] == len(pipeline)
    assert data["variants"]["pipeline"]["startup_seconds"] == 2.0


@pytest.mark.parametrize(
    ("start", "end", "run_load", "own", "busy"),
    [
        (0.4, 1.9, 1.7, 1, False),  # after the start the benchmark's own process counts about 1
        (1.3, 0.9, 0.7, 1, True),  # busy before it began
        (0.4, 2.05, 1.5, 1, True),  # others added more than 1 by the end
        (0.4, 1.9, 3.5, 1, True),  # the load rose while a run began, and fell again
        (0.4, 2.9, 2.5, 2, False),  # two processes of its own (--jobs 2)
        (None, None, None, 1, False),  # a system without a load average
    ],
)
def test_bench_warns_when_other_work_loads_the_machine(start, end, run_load, own, busy):
    result = BenchResult(docs=4, words=1000, runs={"pipeline": _runs(1.0, load=run_load)}, own_processes=own)
    result.load_at_start, result.load_at_end = start, end
    assert result.busy is busy
    warning = result.busy_warning()
    assert (warning is not None) is busy
    if busy:
        assert f"{start} at the start, {end} at the end" in warning and "not final" in warning


@pytest.mark.parametrize("lines", [1, 7, 500])
def test_long_article_has_the_lines_asked_for(tmp_path, lines):
    path = write_long_article(tmp_path, lines, ARTICLES)
    written = path.read_text(encoding="utf-8").splitlines()
    assert len(written) == lines
    assert all(len(line.split()) == LONG_LINE_WORDS for line in written)


def test_bench_refuses_an_empty_source(tmp_path):
    result = CliRunner().invoke(app, ["bench", "--docs", "2", "--source", str(tmp_path)])
    assert result.exit_code == 2
    assert f"No *.txt articles in {tmp_path}" in result.stderr


@pytest.mark.model
def test_bench_stages_times_every_stage():
    result = CliRunner().invoke(app, ["bench", "--stages", "--docs", "4", "--json", "--source", str(ARTICLES)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["docs"] == 4 and data["words"] > 0
    stages = list(data["seconds"])
    assert stages[:3] == ["read", "cleanup", "tokenizer"] and stages[-3:] == ["records", "facts", "json"]
    assert "ner" in stages and "summit_span_resolver" in stages
    assert all(seconds >= 0 for seconds in data["seconds"].values())
    assert data["seconds"]["ner"] > 0
    assert "tokenizer + ner / all stages: " in format_stage_times(data)


@pytest.mark.parametrize(("file_format", "suffix"), [("txt", ".txt"), ("html", ".html"), ("pdf", ".pdf")])
def test_format_corpus_files_read_back_as_their_format(tmp_path, file_format, suffix):
    from summit_extract.benchmarks.bench_formats import write_format_corpus
    from summit_extract.reading.reader import read_article

    paths = write_format_corpus(tmp_path, 2, file_format, ARTICLES)
    assert [path.suffix for path in paths] == [suffix, suffix]
    article = read_article(paths[0])
    assert article.input.format == file_format
    assert "Most read" not in article.text and "Copyright" not in article.text


@pytest.mark.model
def test_bench_formats_gives_pages_per_second():
    from summit_extract.benchmarks.bench_formats import format_times

    times = format_times(2, source=ARTICLES)
    assert list(times["formats"]) == ["txt", "html", "pdf"]
    for figures in times["formats"].values():
        assert figures["files"] == 2 and figures["pages"] >= 2 and figures["words"] > 0
        assert figures["run_pages_per_second"] > 0
