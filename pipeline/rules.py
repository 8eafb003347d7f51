"""The one loader of rule data: the bundled patterns, a user's own patterns on top, a saved pipeline.

Every pattern file is checked when it is read — JSON syntax line by line, the type of every value,
unknown and missing keys, TSV columns, duplicate ids — and a problem is a `RuleError` whose
one-line message names the file, the line and the key: `"acronyms": "SCO"` is an error, never the
three acronyms S, C and O.

A user's folder (`--patterns DIR`) may hold any of `OVERLAY_FILES`; its organisations, states and
aliases are added to the bundled ones, its word lists are added to the bundled lists of the same key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import SummitError
from .paths import patterns_dir

WORDS = "words"  # a list of non-empty strings
NUMBERS = "numbers"  # an object of name -> integer, with exactly the names listed


@dataclass(frozen=True, slots=True)
class Key:
    type: str
    names: tuple[str, ...] = ()  # for NUMBERS: the names the object must have


def _words(*keys: str) -> dict[str, Key]:
    return {key: Key(WORDS) for key in keys}


# Word-list files: every key they may hold and its type. Keys starting with "_" are comments.
# A new word list for a component is declared here as well as read where it is used.
JSON_SCHEMAS: dict[str, dict[str, Key]] = {
    "name_rules.json": _words(
        "org_heads",
        "document_heads",
        "name_connectors",
        "left_connectors",
        "year_connectors",
        "quote_cues",
        "lowercase_head_connectors",
        "not_name_starts",
        "not_names",
        "person_titles",
        "event_words",
        "place_connectors",
        "date_words",
        "venue_phrases",
        "trailing_org_nouns",
        "weak_connectors",
        "geo_prefixes",
        "geo_suffixes",
        "actor_connectors",
        "headline_verbs",
        "not_entity_heads",
        "generic_modifiers",
        "place_bound_heads",
        "possessive_nouns",
        "provision_words",
        "body_heads",
        "tail_connectors",
    ),
    "span_rules.json": {
        **_words(
            "opening_quotes",
            "closing_quotes",
            "leading_articles",
            "trailing_connectors",
            "possessives",
            "model_country_labels",
            "model_document_labels",
            "article_places",
        ),
        "priorities": Key(NUMBERS, ("org_table", "acronym", "country", "document", "org_pattern", "learned", "ner")),
    },
    "cleanup.json": _words(
        "hyphen_keeping_prefixes",
        "line_end_function_words",
        "abbreviations_not_ending_a_sentence",
        "byline_cues",
        "date_cues",
        "updated_cues",
    ),
}

ID = re.compile(r"^[A-Z][A-Z0-9-]*$")  # ISO 3166-1 alpha-3, or an upper-case name (TRNC, ABKHAZIA)
TSV_SCHEMAS: dict[str, dict[str, frozenset[str] | re.Pattern[str] | None]] = {
    # column -> allowed values (a set), a pattern, or None for any non-empty text
    "countries.tsv": {"id": ID, "norm": None, "status": frozenset({"un-member", "observer", "limited-recognition"})},
    "country_aliases.tsv": {
        "id": ID,
        "alias": None,
        "kind": frozenset({"official", "common", "short", "former", "local", "abbreviation"}),
    },
    "id_aliases.tsv": {"name": None, "id": None, "relation": frozenset({"same", "not-same"})},
}
ORGANIZATION_KEYS = {"id": str, "name": str, "acronyms": list, "variants": list, "kind": str}
ORGANIZATIONS = "organizations.jsonl"

RULE_FILES = (*JSON_SCHEMAS, *TSV_SCHEMAS, ORGANIZATIONS)
# What a user's folder may add to; cleanup and span trimming run with the bundled lists only.
OVERLAY_FILES = ("name_rules.json", ORGANIZATIONS, "countries.tsv", "country_aliases.tsv", "id_aliases.tsv")
BUNDLED_ONLY = tuple(name for name in RULE_FILES if name not in OVERLAY_FILES)
ROW_IDS = {ORGANIZATIONS: "id", "countries.tsv": "id"}  # rows whose id must be unique


class RuleError(SummitError, ValueError):
    """A pattern file or folder that cannot be used; the message names the file, line and key."""


@dataclass(frozen=True, slots=True)
class Row:
    """One checked row of a JSONL or TSV pattern file, with where it came from."""

    where: str  # "patterns/organizations.jsonl, line 4"
    data: Mapping[str, Any]


def _shown(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_of_key(text: str, key: str) -> int:
    """The line where `"key":` first appears: the json module keeps no positions."""
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _unique_pairs(where: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise RuleError(f"{where}: key {key!r} appears twice")
            seen[key] = value
        return seen

    return hook


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise RuleError(f"{path}: pattern file not found") from error
    except UnicodeDecodeError as error:
        raise RuleError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from error
    except OSError as error:
        raise RuleError(f"{path}: cannot be read ({error.strerror or error})") from error


def _check_words(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise RuleError(f"{where}: key {key!r}: expected a list of strings, got {_shown(value)}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise RuleError(f"{where}: key {key!r}: expected non-empty strings in the list, got {_shown(item)}")
    return tuple(dict.fromkeys(value))


def _check_numbers(where: str, key: str, value: Any, spec: Key, *, partial: bool) -> dict[str, int]:
    if not isinstance(value, dict):
        raise RuleError(f"{where}: key {key!r}: expected an object of name to integer, got {_shown(value)}")
    for name, number in value.items():
        if name not in spec.names:
            raise RuleError(f"{where}: key {key!r}: unknown name {name!r}; expected one of {', '.join(spec.names)}")
        if not isinstance(number, int) or isinstance(number, bool):
            raise RuleError(f"{where}: key {key!r}: {name!r} should be an integer, got {_shown(number)}")
    missing = [name for name in spec.names if name not in value]
    if missing and not partial:
        raise RuleError(f"{where}: key {key!r}: missing {', '.join(map(repr, missing))}")
    return dict(value)


def read_json_rules(path: Path, *, partial: bool = False) -> dict[str, Any]:
    """A word-list file: key -> tuple of words (or name -> integer). `partial`: a user's file, keys optional."""
    schema = JSON_SCHEMAS[path.name]
    text = _read_text(path)
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs(str(path)))
    except json.JSONDecodeError as error:
        raise RuleError(f"{path}, line {error.lineno}: not valid JSON ({error.msg}, column {error.colno})") from error
    if not isinstance(data, dict):
        raise RuleError(f"{path}, line 1: expected a JSON object of word lists, got {_shown(data)}")
    checked: dict[str, Any] = {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        where = f"{path}, line {_line_of_key(text, key)}"
        spec = schema.get(key)
        if spec is None:
            raise RuleError(f"{where}: unknown key {key!r}; {path.name} takes {', '.join(schema)}")
        if spec.type == WORDS:
            checked[key] = _check_words(where, key, value)
        else:
            checked[key] = _check_numbers(where, key, value, spec, partial=partial)
    missing = [key for key in schema if key not in checked]
    if missing and not partial:
        raise RuleError(f"{path}: missing key {', '.join(map(repr, missing))}")
    return checked


def read_organizations(path: Path) -> tuple[Row, ...]:
    """organizations.jsonl: one object per line with `id` and `name`, optional acronyms, variants, kind."""
    rows = []
    for line_no, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {line_no}"
        try:
            data = json.loads(line, object_pairs_hook=_unique_pairs(where))
        except json.JSONDecodeError as error:
            raise RuleError(f"{where}: not valid JSON ({error.msg}, column {error.colno})") from error
        if not isinstance(data, dict):
            raise RuleError(f"{where}: expected a JSON object, got {_shown(data)}")
        for key, value in data.items():
            expected = ORGANIZATION_KEYS.get(key)
            if expected is None:
                raise RuleError(f"{where}: unknown key {key!r}; an organisation takes {', '.join(ORGANIZATION_KEYS)}")
            if expected is list:
                _check_words(where, key, value)
            elif not isinstance(value, str) or not value.strip():
                raise RuleError(f"{where}: key {key!r}: expected a non-empty string, got {_shown(value)}")
        for key in ("id", "name"):
            if key not in data:
                raise RuleError(f"{where}: missing key {key!r}")
        rows.append(Row(where, data))
    return tuple(rows)


def read_tsv(path: Path, kind: str | None = None) -> tuple[Row, ...]:
    """A tab-separated table with a header line; lines starting with '#' are comments.

    `kind`: which table it is (countries.tsv, country_aliases.tsv), when the file is named otherwise.
    """
    columns = TSV_SCHEMAS[kind or path.name]
    header: list[str] | None = None
    rows = []
    for line_no, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{path}, line {line_no}"
        if header is None:
            header = cells
            if header != list(columns):
                raise RuleError(f"{where}: expected the header {'<tab>'.join(columns)}, got {'<tab>'.join(cells)}")
            continue
        if len(cells) != len(header):
            raise RuleError(f"{where}: expected {len(header)} tab-separated columns, got {len(cells)}: {_shown(line)}")
        data = dict(zip(header, (cell.strip() for cell in cells)))
        for column, allowed in columns.items():
            value = data[column]
            if not value:
                raise RuleError(f"{where}: column {column!r} is empty")
            if isinstance(allowed, frozenset) and value not in allowed:
                raise RuleError(f"{where}: column {column!r}: {value!r} is not one of {', '.join(sorted(allowed))}")
            if isinstance(allowed, re.Pattern) and not allowed.match(value):
                raise RuleError(f"{where}: column {column!r}: {value!r} is not an upper-case id such as KAZ")
        rows.append(Row(where, data))
    if header is None:
        raise RuleError(f"{path}: no header line; expected {'<tab>'.join(columns)}")
    return tuple(rows)


def read_rule_file(path: Path, *, partial: bool = False) -> Any:
    """The checked content of one pattern file, by its name."""
    if path.name in JSON_SCHEMAS:
        return read_json_rules(path, partial=partial)
    if path.name in TSV_SCHEMAS:
        return read_tsv(path)
    if path.name == ORGANIZATIONS:
        return read_organizations(path)
    raise RuleError(f"{path}: not a pattern file; expected one of {', '.join(RULE_FILES)}")


class RuleData:
    """Checked rule data by file name; what a component uses, writes to disk and fingerprints."""

    def __init__(self, files: Mapping[str, Any]) -> None:
        self.files = dict(files)
        _check_references(self)

    def words(self, name: str) -> Mapping[str, Any]:
        return self.files[name]

    def rows(self, name: str) -> tuple[Row, ...]:
        return self.files[name]

    def subset(self, names: Iterable[str]) -> RuleData:
        return RuleData({name: self.files[name] for name in names})

    def serialise(self, name: str) -> str:
        """The file's text in its own format: what `to_disk` writes and the fingerprint hashes."""
        content = self.files[name]
        if name in JSON_SCHEMAS:
            return json.dumps(content, ensure_ascii=False, indent=1) + "\n"
        if name in TSV_SCHEMAS:
            header = list(TSV_SCHEMAS[name])
            lines = ["\t".join(header)] + ["\t".join(row.data[c] for c in header) for row in content]
            return "\n".join(lines) + "\n"
        return "".join(json.dumps(dict(row.data), ensure_ascii=False) + "\n" for row in content)

    def write(self, folder: Path, names: Iterable[str] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in names if names is not None else self.files:
            (folder / name).write_text(self.serialise(name), encoding="utf-8")

    def digest(self) -> str:
        """SHA-256 of the data itself (comments and layout left out)."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode())
            digest.update(self.serialise(name).encode())
        return digest.hexdigest()


def _check_references(data: RuleData) -> None:
    """Ids unique within a file; every alias names a known state."""
    for name, id_key in ROW_IDS.items():
        first: dict[str, str] = {}
        for row in data.files.get(name, ()):
            value = row.data[id_key]
            if value in first:
                raise RuleError(f"{row.where}: key {id_key!r}: {value!r} is already defined ({first[value]})")
            first[value] = row.where
    if "country_aliases.tsv" in data.files and "countries.tsv" in data.files:
        states = {row.data["id"] for row in data.files["countries.tsv"]}
        for row in data.files["country_aliases.tsv"]:
            if row.data["id"] not in states:
                raise RuleError(
                    f"{row.where}: column 'id': unknown country id {row.data['id']!r} for alias {row.data['alias']!r}"
                    " (ids come from countries.tsv)"
                )


def read_folder(folder: Path, names: Iterable[str] = RULE_FILES) -> RuleData:
    """A complete set of the named pattern files from one folder (bundled patterns, a saved component)."""
    return RuleData({name: read_rule_file(folder / name) for name in names})


def _overlay_files(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        raise RuleError(f"{folder}: patterns folder not found")
    found = False
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".json", ".jsonl", ".tsv"}:
            continue  # notes, READMEs
        if path.name not in OVERLAY_FILES:
            hint = " (it is read from the bundled patterns only)" if path.name in RULE_FILES else ""
            raise RuleError(f"{path}: not a file a patterns folder can add to{hint}; use {', '.join(OVERLAY_FILES)}")
        found = True
        yield path
    if not found:
        raise RuleError(f"{folder}: holds none of {', '.join(OVERLAY_FILES)}")


def with_overlay(base: RuleData, folder: Path) -> RuleData:
    """`base` with the user's files from `folder` added on top, checked as the bundled ones are."""
    files = dict(base.files)
    for path in _overlay_files(folder):
        extra = read_rule_file(path, partial=True)
        if path.name in JSON_SCHEMAS:
            merged = dict(files[path.name])
            for key, words in extra.items():
                merged[key] = tuple(dict.fromkeys((*merged.get(key, ()), *words)))
            files[path.name] = merged
        else:
            files[path.name] = (*files[path.name], *extra)
    return RuleData(files)


@lru_cache(maxsize=8)
def _load(base: str, overlay: str | None) -> RuleData:
    data = read_folder(Path(base))
    return with_overlay(data, Path(overlay)) if overlay else data


def load_rules(patterns: str | Path | None = None) -> RuleData:
    """The bundled rule data, with the user's folder `patterns` (if any) on top; loaded once per folder."""
    overlay = str(Path(patterns).expanduser().resolve()) if patterns else None
    return _load(str(patterns_dir()), overlay)


@lru_cache(maxsize=16)
def _bundled_file(path: str) -> Any:
    return read_rule_file(Path(path))


def bundled_file(name: str) -> Any:
    """One bundled pattern file, checked (cleanup word lists, span trimming)."""
    return _bundled_file(str(patterns_dir() / name))
