"""Expanding PATH arguments into articles with doc ids."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summit_extract.reading.sources import STDIN_ID, Source, bytes_safe, expand_paths


def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"text of {name}\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "arguments", "expected_ids"),
    [
        # A folder: every *.txt below it, sorted, ids relative to the folder.
        (["b.txt", "a.txt", "notes.md"], ["{root}"], ["a", "b"]),
        # ... and every PDF, web page and Word file, which keep their suffix in the id, in any case.
        (
            ["a.txt", "a.pdf", "a.html", "b.htm", "c.docx", "D.PDF", "e.doc", "f.md"],
            ["{root}"],
            ["D.PDF", "a", "a.html", "a.pdf", "b.htm", "c.docx"],
        ),
        (["x/kazan.html", "x/kazan.pdf"], ["{root}"], ["x/kazan.html", "x/kazan.pdf"]),
        (["x/2.txt", "x/1.txt", "y/z/3.txt"], ["{root}"], ["x/1", "x/2", "y/z/3"]),
        # A file named directly: its stem, even from deep inside a folder.
        (["deep/down/article.txt"], ["{root}/deep/down/article.txt"], ["article"]),
        # A file with another extension named directly is still read.
        (["article.text"], ["{root}/article.text"], ["article"]),
        (["deep/statement.docx"], ["{root}/deep/statement.docx"], ["statement.docx"]),
        # Globs: each match is a file given directly.
        (["a1.txt", "a2.txt", "b1.txt"], ["{root}/a*.txt"], ["a1", "a2"]),
        (["one/a.txt", "two/b.txt"], ["{root}/**/*.txt"], ["a", "b"]),
        # Argument order is kept; the same file reached twice is kept once.
        (["a.txt", "b.txt"], ["{root}/b.txt", "{root}/a.txt", "{root}/b.txt"], ["b", "a"]),
        (["a.txt"], ["{root}", "{root}/a.txt"], ["a"]),
        # stdin.
        ([], ["-"], [STDIN_ID]),
    ],
)
def test_expand_paths_ids(tmp_path, files, arguments, expected_ids):  # fmt: skip
    make_tree(tmp_path, files)
    expansion = expand_paths([argument.format(root=tmp_path) for argument in arguments])
    assert [source.doc_id for source in expansion.sources] == expected_ids
    assert expansion.problems == []


@pytest.mark.parametrize(
    ("globs", "expected_ids"),
    [
        (["*.pdf"], ["a.pdf", "sub/b.pdf"]),
        (["*.PDF"], ["a.pdf", "sub/b.pdf"]),
        (["*.pdf", "*.txt"], ["a", "a.pdf", "sub/b.pdf"]),
        (["a.*"], ["a", "a.html", "a.pdf"]),
        # A glob for a suffix without a reader picks the files, which are then read as text.
        (["*.md"], ["notes"]),
        (None, ["a", "a.html", "a.pdf", "sub/b.pdf"]),
    ],
)
def test_globs_choose_the_files_of_a_folder(tmp_path, globs, expected_ids):
    make_tree(tmp_path, ["a.txt", "a.pdf", "a.html", "sub/b.pdf", "notes.md"])
    expansion = expand_paths([str(tmp_path)], globs)
    assert [source.doc_id for source in expansion.sources] == expected_ids


def test_globs_leave_files_named_directly_alone(tmp_path):
    make_tree(tmp_path, ["a.txt"])
    assert [s.doc_id for s in expand_paths([str(tmp_path / "a.txt")], ["*.pdf"]).sources] == ["a"]


def test_folder_source_paths_point_at_files(tmp_path):
    make_tree(tmp_path, ["sub/a.txt"])
    (source,) = expand_paths([str(tmp_path)]).sources
    assert source == Source(doc_id="sub/a", path=str(tmp_path / "sub" / "a.txt"))
    assert source.name == str(tmp_path / "sub" / "a.txt")


def test_stdin_source_is_named_stdin():
    (source,) = expand_paths(["-"]).sources
    assert source.is_stdin
    assert source.name == "<stdin>"


@pytest.mark.parametrize(
    ("files", "arguments", "error", "message_parts"),
    [
        ([], ["{root}/missing.txt"], "missing", ["missing.txt", "no such file"]),
        ([], ["{root}/*.txt"], "missing", ["*.txt", "matches no file"]),
        # A folder with nothing in a format that is read is no empty corpus.
        (
            ["notes.md", "scan.tiff"],
            ["{root}"],
            "missing",
            ["no file in the folder matches *.txt, *.pdf, *.html, *.htm, *.docx"],
        ),
        (
            ["one/same.txt", "two/same.txt"],
            ["{root}/one/same.txt", "{root}/two/same.txt"],
            "duplicate-id",
            ["one/same.txt", "two/same.txt", "'same'"],
        ),
    ],
)
def test_expand_paths_problems(tmp_path, files, arguments, error, message_parts):
    make_tree(tmp_path, files)
    expansion = expand_paths([argument.format(root=tmp_path) for argument in arguments])
    (problem,) = expansion.problems
    assert problem.error == error
    for part in message_parts:
        assert part in problem.message


def test_duplicate_keeps_the_first_file(tmp_path):
    make_tree(tmp_path, ["one/same.txt", "two/same.txt"])
    expansion = expand_paths([str(tmp_path / "one" / "same.txt"), str(tmp_path / "two" / "same.txt")])
    assert [source.path for source in expansion.sources] == [str(tmp_path / "one" / "same.txt")]


def test_directory_named_txt_is_listed_to_fail_when_read(tmp_path):
    make_tree(tmp_path, ["good.txt"])
    (tmp_path / "folder.txt").mkdir()
    expansion = expand_paths([str(tmp_path)])
    assert [source.doc_id for source in expansion.sources] == ["folder", "good"]


# (link inside the corpus folder, where it points relative to tmp_path, doc ids found)
SYMLINKED_FOLDERS = [
    ("corpus/linked", "outside", ["a", "linked/x", "linked/sub/y"]),  # a folder outside the tree is followed
    ("corpus/loop", "corpus", ["a"]),  # a link back to the tree's root: its files are found once
    ("corpus/inner/up", "corpus/inner", ["a"]),  # a link to its own folder: no loop
    ("corpus/parent", ".", ["a", "parent/outside/x", "parent/outside/sub/y"]),  # the parent, the tree skipped
    ("corpus/dangling", "nowhere", ["a"]),  # a link to nothing is not a folder
]


@pytest.mark.parametrize(("link", "target", "expected_ids"), SYMLINKED_FOLDERS)
def test_symlinked_subfolders_are_followed_once(tmp_path, link, target, expected_ids):
    make_tree(tmp_path, ["corpus/a.txt", "corpus/inner/.keep", "outside/x.txt", "outside/sub/y.txt"])
    (tmp_path / link).symlink_to(tmp_path / target, target_is_directory=True)
    ids = [source.doc_id for source in expand_paths([str(tmp_path / "corpus")]).sources]
    assert sorted(ids) == sorted(expected_ids)


def test_two_links_to_one_folder_walk_it_once(tmp_path):
    make_tree(tmp_path, ["corpus/a.txt", "outside/x.txt"])
    for name in ("first", "second"):
        (tmp_path / "corpus" / name).symlink_to(tmp_path / "outside", target_is_directory=True)
    ids = [source.doc_id for source in expand_paths([str(tmp_path / "corpus")]).sources]
    assert ids == ["a", "first/x"]


def test_repository_corpus_ids(repo_root):
    expansion = expand_paths([str(repo_root / "corpus" / "articles")])
    ids = [source.doc_id for source in expansion.sources]
    assert "000_f25956cb5b5f35ed" in ids
    assert ids == sorted(ids)


# --- file names that are not UTF-8, or hold control characters ------------------------------------

LATIN1 = os.fsdecode(b"caf\xe9.txt")  # how Python carries the Latin-1 bytes of a name on a UTF-8 system


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("café.txt", "café.txt"),
        (LATIN1, "caf\\xe9.txt"),
        (os.fsdecode(b"\xff\xfe/\xc3\xa9.pdf"), "\\xff\\xfe/é.pdf"),
        ("lone\ud800.txt", "lone\\ud800.txt"),  # a surrogate that stands for no byte
        ("two\nlines\x1b.txt", "two\nlines\x1b.txt"),  # valid UTF-8: escaping for a terminal is the CLI's
    ],
)
def test_bytes_safe_names(name, expected):
    assert bytes_safe(name) == expected
    bytes_safe(name).encode("utf-8")


def test_a_name_that_is_not_utf8_is_an_article_with_an_escaped_id(tmp_path):
    from helpers import TinyExtractor

    from summit_extract.batch import errors_path_for, run
    from summit_extract.output.jsonl import iter_jsonl

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / LATIN1).write_text("The SCO met in Astana.\n", encoding="utf-8")
    (folder / os.fsdecode(b"empty\xff.txt")).write_bytes(b"")
    (folder / "good.txt").write_text("Kazakhstan hosted the summit.\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    summary = run([str(folder)], output, extractor=TinyExtractor())
    assert (summary.extracted, summary.failed) == (2, 1)
    records = [data for _, data in iter_jsonl(output)]
    assert [(r["doc_id"], r["source"]) for r in records] == [
        ("caf\\xe9", f"{folder}/caf\\xe9.txt"),
        ("good", f"{folder}/good.txt"),
    ]
    ((_, error),) = list(iter_jsonl(errors_path_for(output)))
    assert (error["doc_id"], error["error"]) == ("empty\\xff", "empty")
    assert error["message"].startswith(f"{folder}/empty\\xff.txt")
    assert run([str(folder)], output, extractor=TinyExtractor()).skipped == 2  # the same ids the next time


HOSTILE_NAMES = [
    pytest.param("two\nlines.txt", "two\\nlines.txt", id="line-break"),
    pytest.param("title\x1b]0;pwned\x07.txt", "title\\x1b]0;pwned\\x07.txt", id="osc-title"),
    pytest.param("red\x1b[31m.txt", "red\\x1b[31m.txt", id="csi-colour"),
    pytest.param("back\rspace\x08.txt", "back\\rspace\\x08.txt", id="carriage-return"),
    pytest.param(os.fsdecode(b"latin\xe9.txt"), "latin\\xe9.txt", id="not-utf8"),
]


@pytest.mark.parametrize(("name", "shown"), HOSTILE_NAMES)
def test_names_reach_the_terminal_escaped(tmp_path, blank_model, name, shown):
    from typer.testing import CliRunner

    from summit_extract.cli import app

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / name).write_bytes(b"")  # empty: one error line on stderr and a row in the summary
    (folder / "good.txt").write_text("Kazakhstan hosted the summit.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", str(folder), "-o", str(tmp_path / "out.jsonl"), "--model", str(blank_model), "--jobs", "1"]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"summit-extract: {folder}/{shown}: empty file, skipped"]
    assert f"  {folder}/{shown} [empty]" in result.stdout.splitlines()
    for text in (result.stdout, result.stderr):
        assert not any(char in text for char in "\x1b\x07\x08\r")
