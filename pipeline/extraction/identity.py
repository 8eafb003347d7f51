"""Normalised identities, and the one normaliser and spelling-variant rule behind every name table.

Two mentions get the same `id` when they name the same thing; the document-level
score compares these ids, so gold annotators and the pipeline both use `slug`. The
country and organisation tables look names up by `name_key` and match every form
`spelling_variants` gives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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


# --- canonical ids ----------------------------------------------------------------------------------
#
# One id for one real-world thing, whatever the wording (corpus/GUIDELINES.md section 6):
# - an organisation the table (or an alias) knows: its table id ("SCO");
# - a body of an organisation, "<kind> of the <owner>" or "<owner> <kind>": `<owner id>-<kind>`, the
#   kind's modifiers before its head word ("Council of Heads of State of the SCO" and "SCO Heads of
#   State Council" are both `sco-heads-of-state-council`);
# - a bare acronym nobody defined: the acronym itself, in capitals ("UNRWA");
# - a document: the slug of its title without a ": subtitle", its "of the <owner>" part naming the
#   owner by id; a short title takes the id of the one longer title in the same article that
#   starts with it ("Astana Declaration" next to "Astana Declaration of the SCO ...").

_ARTICLES = ("the", "its")


def is_acronym(text: str) -> bool:
    compact = text.replace(" ", "").replace("-", "")
    return len(compact) >= 2 and compact.isalnum() and compact.isupper()


@dataclass(frozen=True)
class Canonicaliser:
    """Canonical ids from an organisation lookup (table and aliases) and the head words of bodies."""

    lookup: Callable[[str], str | None]  # a name or acronym -> the organisation id it stands for
    body_heads: frozenset[str]  # case-folded head words of a body: council, commission ...
    aliases: Mapping[str, str] = field(default_factory=dict)  # name_key -> id, learnt or decided
    apart: frozenset[tuple[str, str]] = frozenset()  # (name_key, id): a reviewer said "not the same"

    def with_aliases(self, aliases: Mapping[str, str]) -> Canonicaliser:
        """These rules with `aliases` (learnt across a run) added; a reviewer's own aliases win."""
        return Canonicaliser(self.lookup, self.body_heads, {**aliases, **self.aliases}, self.apart)

    def organization(self, name: str) -> str | None:
        """The id of an organisation named by `name`: an alias, the table, a body, or a bare acronym."""
        name = _LEADING_THE.sub("", name.strip())
        if not name:
            return None
        known = self.aliases.get(name_key(name)) or self.lookup(name)
        if known is not None:
            return known
        body = self.body(name)
        if body is not None:
            return body
        return name.replace(" ", "") if is_acronym(name) else None

    def _kind(self, words: list[str]) -> str | None:
        """'Council of Heads of State' and 'Heads of State Council' -> 'heads-of-state-council'."""
        while words and words[0].casefold() in _ARTICLES:
            words = words[1:]
        if not words:
            return None
        if words[0].casefold() in self.body_heads and len(words) > 2 and words[1].casefold() == "of":
            words = [*words[2:], words[0]]
        if words[-1].casefold() not in self.body_heads:
            return None
        return slug(" ".join(words))

    def body(self, name: str) -> str | None:
        """`<owner id>-<kind>` when `name` is a body of an organisation, in either word order."""
        words = name.split()
        for i, word in enumerate(words[1:-1], start=1):  # "<kind> of the <owner>"
            if word.casefold() == "of":
                owner = self.organization(" ".join(words[i + 1 :]))
                if owner is None:
                    continue
                known = self.aliases.get(name_key(" ".join(words[:i]))) or self.lookup(" ".join(words[:i]))
                if known is not None:  # "Regional Anti-Terrorist Structure of the SCO": an organisation
                    return known
                kind = self._kind(words[:i])
                if kind is not None:
                    return f"{slug(owner)}-{kind}"  # type: ignore[arg-type]
        for i in range(len(words) - 1, 0, -1):  # "<owner> <kind>", the longest owner first
            owner = self.aliases.get(name_key(" ".join(words[:i]))) or self.lookup(" ".join(words[:i]))
            if owner is None and i == 1 and is_acronym(words[0]):
                owner = words[0]
            known = self.aliases.get(name_key(" ".join(words[i:]))) or self.lookup(" ".join(words[i:]))
            if owner is not None and known is not None:  # "SCO Regional Anti-Terrorist Structure"
                return known
            kind = self._kind(words[i:]) if owner is not None else None
            if kind is not None:
                return f"{slug(owner)}-{kind}"  # type: ignore[arg-type]
        return None

    def document(self, title: str) -> str:
        """The id of a document title: no subtitle, its owner named by id."""
        title = title.split(":", 1)[0] if len(title.split(":", 1)[0].split()) >= 2 else title
        words = title.split()
        for i, word in enumerate(words[1:-1], start=1):
            if word.casefold() == "of":
                owner = self.organization(" ".join(words[i + 1 :]))
                if owner is not None:
                    return f"{slug(' '.join(words[:i]))}-of-{slug(owner)}"
        return slug(title)

    def canonical_id(self, label: str, entity_id: str, text: str) -> str:
        """The canonical id of a mention given the id it was found (or annotated) with; an id a
        reviewer said the name is not gives way to the name's own id."""
        found = self._canonical_id(label, entity_id, text)
        if (name_key(text), found) in self.apart:
            return text.replace(" ", "") if is_acronym(text) else slug(text)
        return found

    def _canonical_id(self, label: str, entity_id: str, text: str) -> str:
        """The canonical id of a mention given the id it was found (or annotated) with.

        An id not derived from the text (an acronym definition's, an annotator's) is kept in its
        canonical form; an acronym id changes only through the table or an alias."""
        if label == "COUNTRY":
            return entity_id
        known = self.aliases.get(name_key(text)) or (self.lookup(text) if label == "ORG" else None)
        if known is not None:
            return known
        derived = entity_id == slug(text)
        if is_acronym(entity_id):
            return self.aliases.get(name_key(entity_id)) or self.lookup(entity_id) or entity_id
        if label == "DOCUMENT":
            return self.document(text if derived else entity_id.replace("-", " "))
        return self.organization(text if derived else entity_id.replace("-", " ")) or (
            slug(text) if derived else entity_id
        )

    def canonical_ids(self, mentions: Sequence[tuple[str, str, str]]) -> list[str]:
        """Canonical ids of one article's (label, id, text) mentions: each on its own, then a short
        document title takes the id of the one longer title of the article that begins with it."""
        ids = [self.canonical_id(*mention) for mention in mentions]
        titles = {name_key(text): i for i, (label, _, text) in enumerate(mentions) if label == "DOCUMENT"}
        for i, (label, _, text) in enumerate(mentions):
            if label != "DOCUMENT":
                continue
            short = name_key(text)
            longer = {
                ids[j] for key, j in titles.items() if key.startswith(f"{short} of ") or key.startswith(f"{short}:")
            }
            if len(longer) == 1:
                ids[i] = longer.pop()
        return ids


LEARNT_LABELS = ("ORG", "DOCUMENT")


def learnt_aliases(mentions: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """name_key -> id of every long name some (label, id, text) mention of a set of articles gives an
    acronym id, for `Canonicaliser.with_aliases`; a name given two different acronym ids is left out,
    since nothing tells which one it is."""
    seen: dict[str, set[str]] = {}
    for label, entity_id, text in mentions:
        if label in LEARNT_LABELS and is_acronym(entity_id) and not is_acronym(text):
            seen.setdefault(name_key(text), set()).add(entity_id)
    return {name: next(iter(ids)) for name, ids in sorted(seen.items()) if len(ids) == 1}
