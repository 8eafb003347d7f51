"""The curated table of international organisations: id, full name, acronyms, spelling variants."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .countries import ascii_fold
from .identity import slug
from .jsonl import JsonlError, iter_jsonl
from .paths import pattern_file

_SPELLING_PAIRS = (
    ("Organisation", "Organization"),
    ("Centre", "Center"),
    ("Programme", "Program"),
    ("Labour", "Labor"),
    ("Co-operation", "Cooperation"),
    ("Defence", "Defense"),
)


def spelling_variants(name: str) -> set[str]:
    """British/American spellings of a name: 'Organisation of Islamic Cooperation' and '... Organization ...'."""
    variants = {name}
    for british, american in _SPELLING_PAIRS:
        for variant in list(variants):
            variants.add(variant.replace(british, american))
            variants.add(variant.replace(american, british))
    return variants


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    acronyms: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    kind: str = "organization"

    def full_names(self) -> set[str]:
        names: set[str] = set()
        for name in (self.name, *self.variants):
            names |= spelling_variants(name)
        return names


@dataclass
class OrganizationTable:
    organizations: list[Organization]
    _by_key: dict[str, Organization] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for org in self.organizations:
            for name in (*org.full_names(), *org.acronyms):
                self._by_key.setdefault(self.key(name), org)

    @staticmethod
    def key(text: str) -> str:
        text = re.sub(r"^the\s+", "", ascii_fold(text).replace("’", "'").strip(), flags=re.I)
        return " ".join(text.split()).casefold()

    def lookup(self, text: str) -> Organization | None:
        """The organisation a name or acronym stands for ('Shanghai Cooperation Organisation' -> SCO)."""
        return self._by_key.get(self.key(text))

    def identity(self, name: str, *alternatives: str) -> tuple[str, str]:
        """(id, norm) of a name: the curated organisation's, trying `alternatives` next, else the name's slug."""
        for candidate in (name, *alternatives):
            org = self.lookup(candidate)
            if org is not None:
                return org.id, org.name
        return slug(name), name

    def names(self) -> Iterator[tuple[str, Organization, str]]:
        """(surface form, organisation, kind of name) for every form worth matching."""
        for org in self.organizations:
            for name in sorted(org.full_names()):
                yield name, org, "name"
            for acronym in org.acronyms:
                yield acronym, org, "acronym"
                # House styles write long acronyms as words ("Nato", "Brics", "Asean"); short ones
                # written so are ordinary words too often ("Au", "Un").
                if acronym.isalpha() and acronym.isupper() and len(acronym) >= 4:
                    yield acronym.capitalize(), org, "acronym-as-word"

    @classmethod
    def load(cls, path: Path | None = None) -> OrganizationTable:
        path = path or pattern_file("organizations.jsonl")
        organizations = []
        seen: set[str] = set()
        for line_no, row in iter_jsonl(path):
            where = f"{path}, line {line_no}"
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("name"), str):
                raise JsonlError(f"{where}: expected an object with string 'id' and 'name', got {row!r}")
            if row["id"] in seen:
                raise JsonlError(f"{where}: duplicate organisation id {row['id']!r}")
            seen.add(row["id"])
            organizations.append(
                Organization(
                    id=row["id"],
                    name=row["name"],
                    acronyms=tuple(row.get("acronyms", ())),
                    variants=tuple(row.get("variants", ())),
                    kind=row.get("kind", "organization"),
                )
            )
        return cls(organizations)


@lru_cache(maxsize=1)
def default_organization_table() -> OrganizationTable:
    return OrganizationTable.load()
