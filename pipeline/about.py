"""Package version and the fingerprint of the rules, quoted in every output record."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules import RuleData

__version__ = "0.1.0"
PACKAGE_NAME = "summit-extract"

_PACKAGE = Path(__file__).resolve().parent
# Modules that only read, score, report or schedule finished records. Everything else in the
# package counts as deciding the output, so a new module is covered without being listed.
_DOWNSTREAM = frozenset(
    {"evaluation", "reporting", "batch", "run.py", "benchmarks", "training", "cli", "output/schema"}
)
# Libraries whose data or behaviour decides texts, spans and ids (pycountry: country names;
# pypdfium2, trafilatura and python-docx: the text of PDF, web page and Word inputs).
_LIBRARIES = ("pycountry", "spacy", "ftfy", "pypdfium2", "trafilatura", "python-docx")


def _code_files() -> list[Path]:
    files = []
    for path in sorted(_PACKAGE.rglob("*.py")):
        parts = path.relative_to(_PACKAGE).parts
        if parts[0] not in _DOWNSTREAM and "/".join(parts[:2]) not in _DOWNSTREAM:
            files.append(path)
    return files


def _library_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version  # for the fingerprint only, not for --help

    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


@lru_cache(maxsize=8)
def rules_fingerprint(data: RuleData | None = None) -> str:
    """Eight hex digits of the SHA-256 of everything that decides the output besides the model:
    the loaded rule data (bundled and a user's patterns, as `data` holds them; default: the bundled
    rules), the code that cleans, extracts and names (components, cleanup, identity ...) and the
    versions of the libraries that decide ids. Resumed runs compare it, so an edited rule
    re-extracts an article instead of keeping its stale record."""
    from .paths import patterns_dir
    from .rules import BUNDLED_ONLY, OVERLAY_FILES, RuleData, bundled_file, load_rules

    data = data if data is not None else load_rules()
    digest = hashlib.sha256()
    for name in OVERLAY_FILES:
        if name in data.files:
            digest.update(f"{name}\0{data.serialise(name)}\0".encode())
    for name in BUNDLED_ONLY:  # read from the bundled patterns whatever pipeline runs
        digest.update(f"{name}\0{RuleData({name: bundled_file(name)}).serialise(name)}\0".encode())
    # The facts triggers are read from the bundled folder only (summit_extract.extraction.facts.patterns).
    for name in ("facts.json", "facts_structure.json"):
        digest.update(name.encode() + b"\0" + (patterns_dir() / name).read_bytes())
    for path in _code_files():
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for name in _LIBRARIES:
        digest.update(f"{name}=={_library_version(name)}\0".encode())
    return digest.hexdigest()[:8]


def pipeline_version(data: RuleData | None = None) -> str:
    """'0.1.0+rules.1a2b3c4d': the package version with the rules fingerprint as local part."""
    return f"{__version__}+rules.{rules_fingerprint(data)}"
