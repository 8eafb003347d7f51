"""Package version and the fingerprint of the rules, quoted in every output record."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__version__ = "0.1.0"
PACKAGE_NAME = "summit-extract"

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """Eight hex digits of the SHA-256 of everything that decides the output besides the model:
    the rule patterns, the spaCy components and the cleanup code. Resumed runs compare it, so an
    edited rule re-extracts an article instead of keeping its stale record."""
    from .paths import patterns_dir

    files = sorted(patterns_dir().glob("*")) + sorted((_PACKAGE / "components").glob("*.py"))
    files += [
        _PACKAGE / name for name in ("cleanup.py", "textmap.py", "metadata.py", "countries.py", "organizations.py")
    ]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def pipeline_version() -> str:
    """'0.1.0+rules.1a2b3c4d': the package version with the rules fingerprint as local part."""
    return f"{__version__}+rules.{rules_fingerprint()}"
