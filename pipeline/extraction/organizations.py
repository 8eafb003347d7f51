"""The curated table of international organisations: id, full name, acronyms, spelling variants."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..rules import RuleData, load_rules, read_organizations
from .identity import Canonicaliser, name_key, slug, spelling_variants


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

    key = staticmethod(name_key)

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
        """From a JSONL file (default: the bundled one)."""
        return cls.from_rules(RuleData({"organizations.jsonl": read_organizations(path)}) if path else load_rules())

    @classmethod
    def from_rules(cls, data: RuleData) -> OrganizationTable:
        return cls(
            [
                Organization(
                    id=row.data["id"],
                    name=row.data["name"],
                    acronyms=tuple(row.data.get("acronyms", ())),
                    variants=tuple(row.data.get("variants", ())),
                    kind=row.data.get("kind", "organization"),
                )
                for row in data.rows("organizations.jsonl")
            ]
        )


@lru_cache(maxsize=8)
def _table_of(data: RuleData) -> OrganizationTable:
    return OrganizationTable.from_rules(data)


def organization_table(data: RuleData | None = None) -> OrganizationTable:
    """The table of `data` (default: the bundled rules), built once per rule data."""
    return _table_of(data if data is not None else load_rules())


def default_organization_table() -> OrganizationTable:
    return organization_table()


@lru_cache(maxsize=8)
def _canonicaliser_of(data: RuleData) -> Canonicaliser:
    table = organization_table(data)

    def lookup(name: str) -> str | None:
        org = table.lookup(name)
        return org.id if org is not None else None

    from .components.names import NameRules  # the components import this module

    decided = data.files.get("id_aliases.tsv", ())
    return Canonicaliser(
        lookup,
        NameRules.load(data.words("name_rules.json")).body_heads,
        aliases={name_key(row.data["name"]): row.data["id"] for row in decided if row.data["relation"] == "same"},
        apart=frozenset(
            (name_key(row.data["name"]), row.data["id"]) for row in decided if row.data["relation"] == "not-same"
        ),
    )


def canonicaliser(data: RuleData | None = None) -> Canonicaliser:
    """The canonical-id rules of `data` (default: the bundled rules): its organisation table and body heads."""
    return _canonicaliser_of(data if data is not None else load_rules())
