"""The benchmark command on a tiny corpus: its figures are there and make sense (never a speed threshold)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.bench import build_corpus, format_stage_times, vary
from pipeline.cli import app

ARTICLES = Path(__file__).resolve().parent.parent / "corpus" / "articles"
VARIANT_KEYS = {"docs", "words", "seconds", "words_per_second", "peak_rss_mb", "jobs", "failed"}


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
    result = CliRunner().invoke(app, ["bench", "--docs", "6", "--json", "--source", str(ARTICLES)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["docs"] == 6 and data["words"] > 0
    assert set(data["variants"]) == {"pipeline", "ner_only", "stock"}
    for name, figures in data["variants"].items():
        assert set(figures) == VARIANT_KEYS, name
        assert figures["docs"] == 6 and figures["failed"] == 0
        assert figures["seconds"] > 0 and figures["words_per_second"] > 0 and figures["peak_rss_mb"] > 0
    expected_ratio = data["variants"]["pipeline"]["words_per_second"] / data["variants"]["ner_only"]["words_per_second"]
    assert data["ratio_vs_ner_only"] == pytest.approx(expected_ratio, rel=0.01)
    assert data["ratio_vs_stock"] > 0
    assert (
        data["machine"]["cpu_count"] >= 1 and data["machine"]["python"] and data["machine"]["spacy"].startswith("3.8")
    )


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
    from pipeline.bench_formats import write_format_corpus
    from pipeline.reader import read_article

    paths = write_format_corpus(tmp_path, 2, file_format, ARTICLES)
    assert [path.suffix for path in paths] == [suffix, suffix]
    article = read_article(paths[0])
    assert article.input.format == file_format
    assert "Most read" not in article.text and "Copyright" not in article.text


@pytest.mark.model
def test_bench_formats_gives_pages_per_second():
    from pipeline.bench_formats import format_times

    times = format_times(2, source=ARTICLES)
    assert list(times["formats"]) == ["txt", "html", "pdf"]
    for figures in times["formats"].values():
        assert figures["files"] == 2 and figures["pages"] >= 2 and figures["words"] > 0
        assert figures["run_pages_per_second"] > 0
