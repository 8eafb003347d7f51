"""Every command and Python example in README.md and docs/ runs, so none can go stale.

The fenced `sh` blocks run in bash (`set -e -o pipefail`) and the `python` blocks as doctests
(`>>>`) or as scripts, in one folder holding small made-up inputs under the names the pages use
(`my-articles/`, `corpus/articles/`, `corpus/gold/`, `inbox/`, `my-patterns/` ...), in the order
the pages give them. `summit-extract` and `.venv/bin/summit-extract` there run this checkout.
A block is left out only when listed in NOT_EXECUTED, with the reason.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from documents import write_pdf

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(sh|python)\n(.*?)^```", re.S | re.M)

# (page, the block's first line) -> why it is not run here.
NOT_EXECUTED = {
    (
        "README.md",
        "make run    # set up .venv, extract corpus/articles/ into outputs/extractions.jsonl, print a summary",
    ): ("`make test` is this test suite itself, and `make run` builds the .venv from the package index (minutes)"),
    (
        "README.md",
        "pip install .                       # the core: run, table, catalog, report, evaluate, review, gold",
    ): ("installs packages from the package index (network, minutes)"),
    (
        "development.md",
        '.venv/bin/python -m pytest -m "not model and not browser and not cluster and not slow" tests/test_cleanup.py',
    ): ("runs part of the test suite from inside it"),
    ("real-articles.md", "summit-extract evaluate --gold corpus/real/dev --articles ~/.cache/summit-real"): (
        "needs copies of published pages, which the repository does not hold"
    ),
    ("scale.md", "# on the scheduler machine"): "needs a Dask scheduler and workers on other machines",
    (
        "benchmarks.md",
        "summit-extract bench --source corpus/articles --docs 600                 # A/B, A/C, start-up: median of 3",
    ): "a benchmark: minutes of CPU, and its figures mean something only on a quiet machine",
    (
        "README.md",
        "summit-extract review export outputs/extractions.jsonl -o review.csv        # one row per mention",
    ): ("the walk-through trains a model on the bundled gold (minutes of CPU) after a reviewer's edits by hand"),
    ("learned-model.md", "summit-extract run articles/ -o outputs/extractions.jsonl                 # extract"): (
        "the walk-through trains a model on the bundled gold (minutes of CPU) after a reviewer's edits by hand"
    ),
    ("learned-model.md", "summit-extract train corpus/gold -o /tmp/learned --max-steps 1200"): (
        "the full training and the evaluation on copies of published pages (minutes, and copies not in the repository)"
    ),
    ("scale.md", "from dask_jobqueue import SLURMCluster  # PBSCluster takes the same arguments"): "needs a Slurm site",
}

ARTICLES = {
    "astana.txt": "SCO leaders met in Astana, Kazakhstan, and adopted the Astana Declaration. China and India took part.\n",
    "kazan.txt": "BRICS leaders met in Kazan. Kazakhstan attended as a partner country beside Brazil.\n",
}


def blocks() -> list[tuple[str, str, str]]:
    """(page name, language, code) of every fenced sh and python block, in page order."""
    found = []
    for page in PAGES:
        for match in FENCE.finditer(page.read_text(encoding="utf-8")):
            found.append((page.name, match.group(1), match.group(2)))
    return found


def first_line(code: str) -> str:
    return code.splitlines()[0]


def shim(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m summit_extract.cli "$@"\n', encoding="utf-8")
    path.chmod(0o755)


def gold_of(output: Path, folder: Path) -> None:
    """Gold that agrees with an extraction (the commands score it; their figures do not matter here)."""
    folder.mkdir(parents=True, exist_ok=True)
    for line in output.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        spans = [{key: entity[key] for key in ("start", "end", "label", "text", "id")} for entity in record["entities"]]
        gold = {"text": record["text"], "meta": {"doc_id": record["doc_id"], "source": record["source"]}}
        gold.update(spans=spans, answer="accept")
        (folder / f"{record['doc_id']}.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("docs")
    for folder in ("my-articles", "corpus/articles", "extra", "inbox/sub"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        for folder in ("my-articles", "corpus/articles"):
            (root / folder / name).write_text(text, encoding="utf-8")
    (root / "article.txt").write_text(ARTICLES["kazan.txt"], encoding="utf-8")
    (root / "extra" / "one.txt").write_text(ARTICLES["astana.txt"], encoding="utf-8")
    (root / "inbox" / "sub" / "two.txt").write_text(ARTICLES["kazan.txt"], encoding="utf-8")
    write_pdf(root / "inbox" / "brief.pdf", [[ARTICLES["astana.txt"].strip()]])
    lines = [{"doc_id": name.removesuffix(".txt"), "text": text} for name, text in ARTICLES.items()]
    (root / "articles.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    (root / "my-patterns").mkdir()
    (root / "my-patterns" / "organizations.jsonl").write_text(
        '{"id": "ZCF", "name": "Zeta Cooperation Forum", "acronyms": ["ZCF"], "kind": "intergovernmental"}\n',
        encoding="utf-8",
    )
    (root / "my-patterns" / "country_aliases.tsv").write_text(
        "id\talias\tkind\nKAZ\tQazaqstan\tlocal\n", encoding="utf-8"
    )
    bin_folder = root / "bin"
    shim(bin_folder / "summit-extract")
    shim(root / ".venv" / "bin" / "summit-extract")
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}", "HOME": str(root)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    made = subprocess.run(
        ["summit-extract", "run", "corpus/articles", "-o", "outputs/extractions.jsonl"],
        cwd=root,
        env=env,
        capture_output=True,
    )
    assert made.returncode == 0, made.stderr.decode()
    gold_of(root / "outputs" / "extractions.jsonl", root / "corpus" / "gold")
    gold_of(root / "outputs" / "extractions.jsonl", root / "corpus" / "blind3" / "gold")
    return root, env


def test_every_left_out_block_is_still_in_the_pages():
    present = {(page, first_line(code)) for page, _, code in blocks()}
    assert set(NOT_EXECUTED) <= present


def test_the_readme_opens_with_make_run_and_make_test_and_stays_short():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# summit-extract\n\n```sh\nmake run    # ")
    assert [first_line(code) for _, _, code in blocks()[:1]] == [
        "make run    # set up .venv, extract corpus/articles/ into outputs/extractions.jsonl, print a summary"
    ]
    assert blocks()[0][2].splitlines()[1].startswith("make test   # ")
    assert len(text.splitlines()) <= 250


def test_every_page_readme_links_exists():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[^)#]+)", text))
    assert linked == {f"docs/{page.name}" for page in PAGES[1:]}


# A file of the repository named in a page (`pipeline/cleanup/steps.py`), and a dotted name of the package
# (`summit_extract.extraction.identity.slug`), each as the page writes it in backticks.
REPO_PATH = re.compile(r"`((?:pipeline|patterns|tools|tests)/[\w./-]+)`")
DOTTED_NAME = re.compile(r"`(summit_extract(?:\.\w+)+)")


def stale_names(text: str) -> list[str]:
    """The repository paths and package names `text` gives that no longer exist."""
    stale = [path for path in REPO_PATH.findall(text) if not (REPO_ROOT / path).exists()]
    for dotted in DOTTED_NAME.findall(text):
        parts = dotted.split(".")
        # The longest prefix that is a module, then attributes: `summit_extract.run.run` is a function in a module.
        for cut in range(len(parts), 0, -1):
            try:
                value = importlib.import_module(".".join(parts[:cut]))
                break
            except ModuleNotFoundError:
                continue
        for name in parts[cut:]:
            value = getattr(value, name, None)
        if value is None:
            stale.append(dotted)
    return stale


@pytest.mark.parametrize(
    ("text", "stale"),
    [
        ("`pipeline/cleanup/steps.py` and `summit_extract.extraction.identity.slug`", []),
        ("`pipeline/output/schema/extraction.schema.json`, `summit_extract.run.run`", []),
        ("`pipeline/cleanup.py`", ["pipeline/cleanup.py"]),
        (
            "`summit_extract.identity.slug` and `summit_extract.extraction.identity.nothing`",
            ["summit_extract.identity.slug", "summit_extract.extraction.identity.nothing"],
        ),
    ],
)
def test_stale_names_on_hand_made_text(text, stale):
    assert stale_names(text) == stale


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_file_and_module_a_page_names_exists(page):
    assert stale_names(page.read_text(encoding="utf-8")) == []


@pytest.mark.model
def test_every_example_runs(sandbox):
    root, env = sandbox
    for page, language, code in blocks():
        if (page, first_line(code)) in NOT_EXECUTED:
            continue
        where = f"{page}: {first_line(code)}"
        if language == "sh":
            command = ["bash", "-e", "-o", "pipefail", "-c", code]
        elif code.lstrip().startswith(">>>"):
            script = root / "example.txt"
            script.write_text(code, encoding="utf-8")
            command = [sys.executable, "-m", "doctest", "-o", "ELLIPSIS", str(script)]
        else:
            command = [sys.executable, "-c", code]
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, timeout=600)
        assert result.returncode == 0, f"{where}\n{result.stdout.decode()}\n{result.stderr.decode()}"
