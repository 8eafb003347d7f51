"""Where the bundled data lives."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def patterns_dir() -> Path:
    """The folder of rule patterns: $SUMMIT_EXTRACT_PATTERNS, else the repository's patterns/."""
    override = os.environ.get("SUMMIT_EXTRACT_PATTERNS")
    folder = Path(override) if override else REPO_ROOT / "patterns"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"Pattern folder not found: {folder}. Set SUMMIT_EXTRACT_PATTERNS to the patterns/ "
            "folder of a summit-extract checkout."
        )
    return folder


def pattern_file(name: str) -> Path:
    path = patterns_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"Pattern file not found: {path}")
    return path
