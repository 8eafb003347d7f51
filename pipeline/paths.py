"""Where the bundled data lives."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The checkout's gold and the floors pinned on it: defaults that do not depend on the working directory.
GOLD_DIR = REPO_ROOT / "corpus" / "gold"
FLOORS_FILE = REPO_ROOT / "corpus" / "floors.json"


def bundled_patterns_dir() -> Path:
    """The rule patterns that ship with the package.

    An installed wheel carries them as `pipeline/patterns/` (pyproject.toml maps the repository's
    top-level `patterns/` there); an editable checkout has them only at the top level.
    """
    installed = files("summit_extract") / "patterns"
    if installed.is_dir():
        return Path(str(installed))
    return REPO_ROOT / "patterns"


def patterns_dir() -> Path:
    """The folder of rule patterns: $SUMMIT_EXTRACT_PATTERNS (a complete replacement), else the bundled one."""
    return _pattern_folder(os.environ.get("SUMMIT_EXTRACT_PATTERNS") or None)


# Looked up once per setting: the rules ask for the folder for every organisation they check, and
# finding and checking it on disk each time cost a few percent of a run.
@lru_cache(maxsize=8)
def _pattern_folder(override: str | None) -> Path:
    folder = Path(override) if override else bundled_patterns_dir()
    if not folder.is_dir():
        hint = "Point SUMMIT_EXTRACT_PATTERNS at a complete patterns folder" if override else "Reinstall summit-extract"
        raise FileNotFoundError(f"Pattern folder not found: {folder}. {hint}.")
    return folder
