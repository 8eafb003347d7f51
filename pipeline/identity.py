"""Normalised identities, and the one normaliser and spelling-variant rule behind every name table.

Two mentions get the same `id` when they name the same thing; the document-level
score compares these ids, so gold annotators and the pipeline both use `slug`. The
country and organisation tables look names up by `name_key` and match every form
`spelling_variants` gives.
"""

from __future__ import annotations

import re
import unicodedata

# British and American spellings that name the same thing; ids take the American one.
SPELLING_PAIRS = (
    ("organisation", "organization"),
    ("programme", "program"),
    ("centre", "center"),
    ("defence", "defense"),
    ("labour", "labor"),
    ("co-operation", "cooperation"),
)
_AMERICAN = {british: american for british, american in SPELLING_PAIRS if "-" not in british}
_AMERICAN |= {f"{british}s": f"{american}s" for british, american in _AMERICAN.items()}
# Whole words only (plurals too): "Program" must not turn "Programme" into "Programmeme".
_SWAPS = [
    (re.compile(rf"\b{re.escape(old)}(?=s?\b)"), new)
    for british, american in SPELLING_PAIRS
    for a, b in ((british, american), (british.capitalize(), american.capitalize()))
    for old, new in ((a, b), (b, a))
]
_NON_WORD = re.compile(r"[\W_]+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def ascii_fold(text: str) -> str:
    """'Türkiye' -> 'Turkiye', 'Côte d'Ivoire' -> 'Cote d'Ivoire'."""
    if text.isascii():
        return text  # nothing to fold, and most names are ASCII: skip the decomposition
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(text: str) -> str:
    """The lookup key of a name: ASCII, straight apostrophes, no leading 'the', single spaces, case-folded."""
    text = _LEADING_THE.sub("", ascii_fold(text).replace("’", "'").strip())
    return " ".join(text.split()).casefold()


def spelling_variants(name: str) -> set[str]:
    """The forms a name is written in: as given, British and American, ASCII-folded, with typographic
    apostrophes, and with "Saint" abbreviated the two ways prose does ("St Kitts and Nevis", "St. Lucia").

    'Organisation of Islamic Cooperation' -> also '... Organization ...', '... Co-operation', ...
    """
    variants = {name}
    for pattern, replacement in _SWAPS:
        variants |= {pattern.sub(replacement, v) for v in variants}
    variants |= {ascii_fold(v) for v in variants}
    variants |= {v.replace("'", "’") for v in variants}
    for prefix in ("St ", "St. "):
        variants |= {prefix + v[len("Saint ") :] for v in variants if v.startswith("Saint ")}
    return variants


def slug(name: str) -> str:
    """'SCO Development Strategy until 2035' -> 'sco-development-strategy-until-2035'."""
    # Split on any punctuation first (en dashes included), then fold each word to ASCII.
    name = name.lower().replace("co-operation", "cooperation")
    words = [ascii_fold(w).encode("ascii", "ignore").decode("ascii") for w in _NON_WORD.split(name)]
    words = [w for w in words if w]
    words = [_AMERICAN.get(w, w) for w in words]
    if words[:1] == ["the"]:
        words = words[1:]
    return "-".join(words)
