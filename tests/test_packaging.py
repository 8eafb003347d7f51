"""The wheel carries the rule patterns as package data, and the spaCy factories as entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from summit_extract.extraction.components import SUMMIT_COMPONENTS
from summit_extract.rules import RULE_FILES


@pytest.mark.slow
def test_the_wheel_holds_the_patterns(tmp_path, repo_root):
    # The way a user builds it: pip's isolated build with the setuptools pyproject.toml asks for.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "-w", str(tmp_path), "--no-deps", "-q"],
        cwd=repo_root,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("summit_extract-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    assert {f"summit_extract/patterns/{name}" for name in RULE_FILES} <= names
    assert not any(name.startswith("patterns/") for name in names)  # inside the package, not beside it
    # The import name is the project's own: nothing claims the generic top-level name `pipeline`.
    assert not any(name.startswith("pipeline/") for name in names)
    for component in SUMMIT_COMPONENTS:
        assert f"{component} = summit_extract.extraction.components." in entry_points
    # Every sub-package of the checkout ships (a package missing from pyproject.toml imports only in a checkout),
    # and so does every pattern file, the facts triggers included.
    folder = repo_root / "pipeline"  # the package's folder in the repository, installed as summit_extract/
    packages = {p.parent.relative_to(folder).as_posix() for p in folder.rglob("__init__.py")}
    assert {f"summit_extract/{package}/__init__.py".replace("/./", "/") for package in packages} <= names
    assert {f"summit_extract/patterns/{p.name}" for p in (repo_root / "patterns").iterdir() if p.is_file()} <= names
    assert "summit_extract/training/ner.cfg" in names  # `summit-extract train` from a fresh install
    assert "summit_extract/reporting/templates/report.html.j2" in names  # `summit-extract report`
    assert "summit_extract/output/schema/extraction.schema.json" in names  # the output contract
