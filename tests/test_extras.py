"""The core install works without the extras, and a feature of a missing extra says which to install.

A missing extra is simulated by a real import failure: the command runs in a new process whose
`sys.modules` maps the extra's modules to None, so importing them raises ImportError.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXTRA_MODULES = {
    "cluster": ["dask", "distributed", "dask_jobqueue"],
    "excel": ["openpyxl"],
    "parquet": ["pyarrow"],
    "dev": ["fpdf", "playwright", "pytest", "hypothesis"],
}
ARTICLE = "Kazakhstan and China met in Astana.\n"


def without(extras: list[str], *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    blocked = [module for extra in extras for module in EXTRA_MODULES[extra]]
    program = (
        "import sys\n"
        f"for name in {blocked!r}:\n"
        "    sys.modules[name] = None\n"
        f"sys.argv = ['summit-extract', *{list(arguments)!r}]\n"
        "from summit_extract.cli import main\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", program], capture_output=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def folder(tmp_path_factory, blank_model) -> Path:
    """An extraction made without any extra, and a review sheet as an .xlsx workbook."""
    folder = tmp_path_factory.mktemp("extras")
    (folder / "astana.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "gold").mkdir()
    made = without(list(EXTRA_MODULES), "run", "astana.txt", "-o", "out.jsonl", "--model", str(blank_model), cwd=folder)
    assert made.returncode == 0, made.stderr.decode()
    (folder / "model").symlink_to(blank_model)
    written = without([], "review", "export", "out.jsonl", "-o", "sheet.xlsx", cwd=folder)
    assert written.returncode == 0, written.stderr.decode()
    return folder


@pytest.mark.parametrize(
    "arguments",
    [
        ["table", "out.jsonl", "--view", "entities", "--format", "csv"],
        ["table", "out.jsonl", "-o", "t.csv"],
        ["catalog", "out.jsonl"],
        ["report", "out.jsonl", "-o", "report.html"],
        ["review", "export", "out.jsonl", "-o", "review.csv"],
        ["run", "astana.txt", "-o", "again.jsonl", "--model", "model"],
    ],
)
def test_the_core_install_needs_no_extra(folder, arguments):
    result = without(list(EXTRA_MODULES), *arguments, cwd=folder)
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize(
    ("extra", "arguments", "feature", "module", "not_written"),
    [
        (
            "cluster",
            ["run", "astana.txt", "-o", "d.jsonl", "--engine", "dask", "--model", "model"],
            "the dask engine",
            "distributed",
            "d.jsonl",
        ),
        ("excel", ["table", "out.jsonl", "-o", "t.xlsx"], "an .xlsx workbook", "openpyxl", "t.xlsx"),
        ("excel", ["catalog", "out.jsonl", "-o", "c.xlsx"], "an .xlsx workbook", "openpyxl", "c.xlsx"),
        ("excel", ["review", "export", "out.jsonl", "-o", "r.xlsx"], "an .xlsx workbook", "openpyxl", "r.xlsx"),
        (
            "excel",
            ["review", "import", "sheet.xlsx", "--gold", "gold", "--dry-run"],
            "reading an .xlsx review sheet",
            "openpyxl",
            None,
        ),
        ("parquet", ["table", "out.jsonl", "-o", "t.parquet"], "a .parquet table", "pyarrow", "t.parquet"),
    ],
)
def test_a_missing_extra_is_named_in_one_line(folder, extra, arguments, feature, module, not_written):
    result = without([extra], *arguments, cwd=folder)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"summit-extract: error: {feature} needs {module}, which comes with the [{extra}] extra: "
        f"pip install 'summit-extract[{extra}]'\n"
    )
    assert not_written is None or not (folder / not_written).exists()


def test_the_test_extra_holds_every_other_extra(repo_root):
    """`make test` installs [dev]: it must bring every extra the suite uses."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    extras = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert "summit-extract[cluster,excel,parquet]" in extras["test"]
    assert extras["dev"] == ["summit-extract[test]"]
    assert "-e '.[dev]'" in (repo_root / "Makefile").read_text(encoding="utf-8")
    assert json.dumps(sorted(extras)) == json.dumps(["cluster", "dev", "excel", "parquet", "test"])
