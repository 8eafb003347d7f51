"""The table of countries: sovereign states and states with limited recognition.

Which ISO 3166-1 entries are states, and their common English names, come from the reviewed
`patterns/countries.tsv`; names and official names come from pycountry (maintained ISO data);
extra names in use (short, former, local, abbreviated) from `patterns/country_aliases.tsv`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from ..rules import RuleData, load_rules, read_tsv
from .identity import ascii_fold, name_key, spelling_variants


@dataclass(frozen=True, slots=True)
class Country:
    id: str  # ISO 3166-1 alpha-3 where one exists
    norm: str  # common English name
    status: str  # un-member, observer, limited-recognition


@dataclass(frozen=True, slots=True)
class CountryName:
    name: str
    country: Country
    kind: str  # iso-name, official, common, short, former, local, abbreviation, variant


def fold_letters(text: str) -> str:
    """Accents off, one character for one, so offsets and token lengths stay the same:
    'São Tomé and Príncipe' -> 'Sao Tome and Principe' (a character that does not fold to a
    single letter stays as it is)."""
    if text.isascii():
        return text
    folded = []
    for ch in text:
        base = ascii_fold(ch)
        folded.append(base if len(base) == 1 else ch)
    return "".join(folded)


@lru_cache(maxsize=1)
def foreign_subdivisions() -> dict[str, frozenset[str]]:
    """Names of ISO 3166-2 subdivisions (states, provinces, regions) with the countries they
    belong to, from pycountry: "Jordan, Minnesota" is a town in a US state, not the kingdom."""
    owners: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        owners.setdefault(subdivision.name, set()).add(subdivision.country_code)
    return {name: frozenset(codes) for name, codes in owners.items()}


def _iso_names(alpha_3: str) -> Iterator[tuple[str, str]]:
    record = pycountry.countries.get(alpha_3=alpha_3)
    if record is None:
        return
    for attr, kind in (("name", "iso-name"), ("official_name", "official"), ("common_name", "common")):
        value = getattr(record, attr, None)
        # "Korea, Republic of" style inverted names are catalogue entries, never written in prose.
        if value and "," not in value:
            yield (value[4:] if value.startswith("the ") else value), kind


# Words that open a state's formal name: "Republic of the Congo", "State of Kuwait", "Union of the Comoros".
STATE_FORMS = re.compile(
    r"^(?:[\w'’]+ )*(?:Republic|State|Kingdom|Union|Federation|Sultanate|Principality|Commonwealth|Emirate)$"
)


def formal_variants(name: str, official: str | None) -> Iterator[str]:
    """The ways prose shortens or turns a state's formal name, generated rather than listed:
    "Democratic Republic of the Congo" -> "Democratic Republic of Congo"; an official "Rwandese Republic" beside
    the name "Rwanda" -> "Republic of Rwanda". ("Benin Republic" is not made: "<name> Republic" also opens
    "India Republic Day".)"""
    head, of_the, rest = name.partition(" of the ")
    if of_the and STATE_FORMS.match(head) and " " not in rest:
        yield f"{head} of {rest}"
    if official and official.endswith(" Republic") and official.count(" ") == 1 and " " not in name:
        yield f"Republic of {name}"


class CountryTable:
    """All names of all countries, and lookup of a surface form to its country."""

    def __init__(self, names: list[CountryName]) -> None:
        self.names = names
        self._by_key: dict[str, Country] = {}
        for entry in names:
            self._by_key.setdefault(self.key(entry.name), entry.country)

    key = staticmethod(name_key)

    def lookup(self, text: str) -> Country | None:
        """The country a surface form names, or None ('Russian Federation' -> RUS, 'Astana' -> None)."""
        return self._by_key.get(self.key(text))

    def alpha_2(self, country_id: str) -> str | None:
        """The ISO 3166-1 alpha-2 code of a country id, None for states ISO does not list."""
        record = pycountry.countries.get(alpha_3=country_id) if len(country_id) == 3 else None
        return record.alpha_2 if record else None

    def by_id(self, country_id: str) -> Country | None:
        for entry in self.names:
            if entry.country.id == country_id:
                return entry.country
        return None

    @classmethod
    def load(cls, states_path: Path | None = None, aliases_path: Path | None = None) -> CountryTable:
        """From two TSV files (default: the bundled ones)."""
        if states_path is None and aliases_path is None:
            return cls.from_rules(load_rules())
        bundled = load_rules()
        states = read_tsv(states_path, "countries.tsv") if states_path else bundled.rows("countries.tsv")
        aliases = read_tsv(aliases_path, "country_aliases.tsv") if aliases_path else bundled.rows("country_aliases.tsv")
        return cls.from_rules(RuleData({"countries.tsv": states, "country_aliases.tsv": aliases}))

    @classmethod
    def from_rules(cls, data: RuleData) -> CountryTable:
        """From checked rule data: its states (with pycountry's names for them) and aliases."""
        countries = {
            row.data["id"]: Country(row.data["id"], row.data["norm"], row.data["status"])
            for row in data.rows("countries.tsv")
        }
        raw_names: list[tuple[str, Country, str]] = []
        for country in countries.values():
            raw_names.append((country.norm, country, "common"))
            raw_names.extend((name, country, kind) for name, kind in _iso_names(country.id))
        for row in data.rows("country_aliases.tsv"):
            raw_names.append((row.data["alias"], countries[row.data["id"]], row.data["kind"]))
        # After every listed name, so a listed name of another state keeps its meaning.
        officials = {
            country.id: next((value for value, kind in _iso_names(country.id) if kind == "official"), None)
            for country in countries.values()
        }
        for name, country, _ in list(raw_names):
            raw_names.extend((variant, country, "variant") for variant in formal_variants(name, officials[country.id]))
        names: list[CountryName] = []
        seen: set[str] = set()
        for name, country, kind in raw_names:
            for variant in sorted(spelling_variants(name)):
                if variant not in seen:
                    seen.add(variant)
                    names.append(CountryName(variant, country, kind if variant == name else "variant"))
        return cls(names)


@lru_cache(maxsize=8)
def _table_of(data: RuleData) -> CountryTable:
    return CountryTable.from_rules(data)


def country_table(data: RuleData | None = None) -> CountryTable:
    """The table of `data` (default: the bundled rules), built once per rule data."""
    return _table_of(data if data is not None else load_rules())


def default_country_table() -> CountryTable:
    return country_table()
