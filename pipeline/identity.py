"""Normalised identities for organisations and documents.

Two mentions get the same `id` when they name the same thing; the document-level
score compares these ids, so gold annotators and the pipeline both use `slug`.
"""

from __future__ import annotations

import re
import unicodedata

# British and American spellings that name the same thing.
_SPELLING = {
    "organisation": "organization",
    "organisations": "organizations",
    "programme": "program",
    "programmes": "programs",
    "centre": "center",
    "centres": "centers",
    "defence": "defense",
}
_NON_WORD = re.compile(r"[\W_]+")


def slug(name: str) -> str:
    """'SCO Development Strategy until 2035' -> 'sco-development-strategy-until-2035'."""
    # Split on any punctuation first (en dashes included), then fold each word to ASCII.
    name = name.lower().replace("co-operation", "cooperation")
    words = [unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode("ascii") for w in _NON_WORD.split(name)]
    words = [w for w in words if w]
    words = [_SPELLING.get(w, w) for w in words]
    if words[:1] == ["the"]:
        words = words[1:]
    return "-".join(words)
