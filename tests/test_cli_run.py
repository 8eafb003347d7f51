"""`summit-extract run` argument handling, called in-process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.output.jsonl import iter_jsonl

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"
ARTICLE = "The SCO summit in Astana brought Kazakhstan, China and India together.\n"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    return folder


def invoke(*arguments: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["run", *arguments], input=stdin)


def doc_ids(path: Path) -> list[str]:
    return [data["doc_id"] for _, data in iter_jsonl(path)]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler is for --engine dask"),
        (["--model", "no_such_model_here"], "spaCy model 'no_such_model_here' is not installed"),
        (["--glob", " "], "invalid --glob ' ': expected a file name pattern such as '*.pdf'"),
    ],
)
def test_run_rejects_bad_options_with_exit_two(corpus, tmp_path, arguments, message):
    output = tmp_path / "out.jsonl"
    result = invoke(str(corpus), "-o", str(output), *arguments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not output.exists()


def test_unknown_engine_is_a_usage_error_listing_the_choices(corpus, tmp_path):
    output = tmp_path / "out.jsonl"
    result = invoke(str(corpus), "-o", str(output), "--engine", "spark")
    assert result.exit_code == 2
    assert "'spark' is not one of 'local', 'dask'" in result.stderr
    assert not output.exists()


@pytest.mark.parametrize(
    ("model", "hint"),
    [
        ("no_such_model_here", "python -m spacy download no_such_model_here"),
        ("en_core_web_md", "python -m spacy download en_core_web_md"),
        ("en_core_web_lg", "python -m spacy download en_core_web_lg"),
    ],
)
def test_missing_model_error_gives_the_install_hint_of_that_model(corpus, tmp_path, model, hint):
    if spacy.util.is_package(model):
        pytest.skip(f"{model} is installed here")
    result = invoke(str(corpus), "-o", str(tmp_path / "out.jsonl"), "--model", model)
    assert result.exit_code == 2
    assert hint in result.stderr
    assert "en-core-web-sm" not in result.stderr and "en_core_web_sm" not in result.stderr


@pytest.mark.parametrize("content", ["doc_id,text\n1,Astana\n", "notes I wrote by hand\n", '{"rows": []}\n'])
def test_run_refuses_to_overwrite_a_foreign_file(corpus, tmp_path, content):
    output = tmp_path / "out.jsonl"
    output.write_text(content, encoding="utf-8")
    result = invoke(str(corpus), "-o", str(output))
    assert result.exit_code == 2
    assert str(output) in result.stderr and "--force" in result.stderr
    assert output.read_text(encoding="utf-8") == content


@pytest.mark.model
def test_force_overwrites_a_foreign_file(corpus, tmp_path):
    output = tmp_path / "out.jsonl"
    output.write_text("doc_id,text\n1,Astana\n", encoding="utf-8")
    result = invoke(str(corpus), "-o", str(output), "--force", "-j", "1")
    assert result.exit_code == 0, result.output
    assert doc_ids(output) == sorted(path.stem for path in corpus.glob("*.txt"))


@pytest.mark.model
def test_stdin_article(tmp_path):
    output = tmp_path / "out.jsonl"
    result = invoke("-", "-o", str(output), "-j", "1", stdin=ARTICLE)
    assert result.exit_code == 0, result.output
    ((_, record),) = list(iter_jsonl(output))
    assert (record["doc_id"], record["source"]) == ("stdin", "<stdin>")
    assert {"KAZ", "CHN", "IND"} <= {entity["id"] for entity in record["entities"]}


@pytest.mark.model
def test_empty_stdin_is_an_input_error(tmp_path):
    output = tmp_path / "out.jsonl"
    result = invoke("-", "-o", str(output), stdin="")
    assert result.exit_code == 1
    assert "<stdin>: empty file" in result.stderr
    ((_, error),) = list(iter_jsonl(tmp_path / "out.jsonl.errors.jsonl"))
    assert (error["doc_id"], error["error"]) == ("stdin", "empty")


@pytest.mark.model
def test_glob_picks_the_files(corpus, tmp_path):
    output = tmp_path / "out.jsonl"
    first = sorted(corpus.glob("*.txt"))[0]
    result = invoke(str(corpus / f"{first.name[:3]}*.txt"), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert doc_ids(output) == [first.stem]
    assert "1 read, 1 extracted, 0 skipped (already in the output), 0 failed" in result.stdout


def make_inputs(root: Path, files: dict[str, str]) -> None:
    """Files by name with their text; a name ending in / is an empty folder."""
    for name, text in files.items():
        if name.endswith("/"):
            (root / name).mkdir(parents=True)
            continue
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "paths", "extra", "message"),
    [
        ({}, ["absent.txt"], [], "absent.txt: no such file or folder"),
        ({"a.txt": ARTICLE}, ["a.txt", "absent.txt"], [], "absent.txt: no such file or folder"),
        ({"empty/": ""}, ["empty"], [], "empty: no file in the folder matches *.txt, *.pdf, *.html, *.htm, *.docx"),
        ({"notes/a.csv": "x,y\n"}, ["notes"], [], "notes: no file in the folder matches"),
        ({"notes/a.txt": ARTICLE}, ["notes"], ["--glob", "*.pdf"], "notes: no file in the folder matches *.pdf"),
    ],
    ids=["missing", "one-of-two-missing", "empty-folder", "no-article-files", "none-the-glob-picks"],
)
def test_paths_that_name_no_article_are_usage_errors(tmp_path, monkeypatch, files, paths, extra, message):
    monkeypatch.chdir(tmp_path)
    make_inputs(tmp_path, files)
    before = sorted(tmp_path.rglob("*"))
    # The model named does not exist: the paths are checked before the model is looked for.
    result = invoke(*paths, "-o", "out/out.jsonl", "--model", "no_such_model_here", *extra)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "nothing was written" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.model
def test_summary_table_and_rerun_resumes(corpus, tmp_path):
    output = tmp_path / "out.jsonl"
    first = invoke(str(corpus), "-o", str(output))
    assert first.exit_code == 0, first.output
    for path in corpus.glob("*.txt"):
        assert path.stem in first.stdout  # one row per article
    assert "3 read, 3 extracted, 0 skipped" in first.stdout
    second = invoke(str(corpus), "-o", str(output), "--json")
    summary = json.loads(second.stdout)
    assert (summary["extracted"], summary["skipped"], summary["failed"]) == (0, 3, 0)
    assert [row["status"] for row in summary["articles"]] == ["skipped"] * 3
    assert doc_ids(output) == sorted(path.stem for path in corpus.glob("*.txt"))


def test_run_help_documents_every_option():
    result = CliRunner().invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for option in [
        "--output",
        "--model",
        "--jobs",
        "--batch-size",
        "--force",
        "--engine",
        "--scheduler",
        "--max-bytes",
        "--explain",
    ]:
        assert option in result.stdout


@pytest.mark.model
def test_folder_of_formats_and_glob(tmp_path):
    from documents import news_page, printed_article

    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "kazan.html").write_text(news_page(), encoding="utf-8")
    printed_article(folder / "kazan.pdf")
    (folder / "notes.md").write_text("Kazakhstan", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    result = invoke(str(folder), "-o", str(output), "-j", "1", "--glob", "*.pdf")
    assert result.exit_code == 0, result.stderr
    assert doc_ids(output) == ["kazan.pdf"]
    result = invoke(str(folder), "-o", str(output), "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert doc_ids(output) == ["kazan.pdf", "kazan.html"]
    assert "2 read, 1 extracted, 1 skipped (already in the output), 0 failed" in result.stdout


@pytest.mark.model
@pytest.mark.parametrize(("first", "second"), [([], ["--no-facts"]), (["--no-facts"], [])])
def test_no_facts_leaves_facts_out_and_resume_redoes_records_made_the_other_way(corpus, tmp_path, first, second):
    output = tmp_path / "out.jsonl"
    for flags, extracted in ((first, 3), (second, 3), (second, 0)):
        result = invoke(str(corpus), "-o", str(output), "-j", "1", "--json", *flags)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["extracted"] == extracted
        records = [record for _, record in iter_jsonl(output)]
        assert len(records) == 3 and all(("facts" in record) == ("--no-facts" not in flags) for record in records)
