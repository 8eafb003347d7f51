"""Review tables over extraction output: pandas views of mentions, entities, countries, orgs, documents.

Every view is a plain function `list[ArticleRecord] -> DataFrame`, so the CLI, the HTML
report and the review sheet all read the same numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from ..errors import SummitError, require_extra
from ..output.jsonl import JsonlError, dumps, iter_jsonl
from ..records import (
    CONFIDENCES,
    ROLES,
    STATUSES,
    SUMMIT_FIELDS,
    UNKNOWN_METHOD,
    ArticleRecord,
    Entity,
    Facts,
    RecordError,
    confidence,
    least_reliable,
    method_of,
    most_reliable,
    unreliability,
)
from .files import write_file

MENTION_COLUMNS = [
    "doc_id", "label", "text", "norm", "id", "source", "context",
    "start", "end", "raw_start", "raw_end",
]  # fmt: skip
ENTITY_COLUMNS = ["doc_id", "label", "id", "norm", "first_text", "first_start", "mentions"]
ORG_COLUMNS = ["id", "norm", "articles", "mentions"]
DOCUMENT_COLUMNS = ["id", "norm", "articles", "mentions", "doc_ids"]
CATALOG_COLUMNS = [
    "label",
    "id",
    "name",
    "variants",
    "articles",
    "mentions",
    "first_published",
    "last_published",
    "doc_ids",
]
# The facts views end with how each fact was found and the confidence of its least reliable part.
FOUND_COLUMNS = ["found_by", "confidence"]
SUMMIT_COLUMNS = [
    "doc_id", "summit", "organization", "edition", "city", "country", "year", "start", "end", *FOUND_COLUMNS,
]  # fmt: skip
PARTICIPANT_COLUMNS = ["summit", "id", "norm", "roles", "articles", "doc_ids", *FOUND_COLUMNS]
SUMMIT_DOCUMENT_COLUMNS = [
    "summit", "id", "norm", "status", "statuses", "proposer", "articles", "doc_ids", *FOUND_COLUMNS,
]  # fmt: skip
# Text formats can go to stdout; xlsx and parquet are binary and need a file.
TEXT_FORMATS = ("csv", "tsv", "jsonl", "md")
BINARY_FORMATS = ("xlsx", "parquet")
FORMATS = (*TEXT_FORMATS, *BINARY_FORMATS)
# A terminal column keeps at least this many characters (an ellipsis included) before it is dropped.
MIN_COLUMN_WIDTH = 10
_COLUMN_GAP = 3  # characters between two columns of the terminal table

# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by white space,
# or at a blank line. The record carries no parse, and re-parsing with the model just to show
# context would cost a model load per table; this window is enough to judge a mention.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\n\s*\n")
_WHITESPACE = re.compile(r"\s+")
_CONTEXT_LIMIT = 160  # characters kept on each side of the mention when the sentence is long
# Spreadsheets read a cell starting with one of these as a formula; context is display only.
_FORMULA_START = "=+-@"
# OWASP's CSV-injection list: a cell starting with one of these is a formula (or turns into one).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


_XLSX_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
_XLSX_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class TableError(SummitError, ValueError):
    """A view or format that does not exist, or a table that cannot be written."""


@dataclass(frozen=True, slots=True)
class LoadedRecords:
    """The valid records of an output file, one message per line that was left out, and one per
    doc id that occurs more than once (only its last record is kept)."""

    records: list[ArticleRecord]
    skipped: list[str]
    duplicates: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "records": [record.to_dict() for record in self.records],
            "skipped": list(self.skipped),
            "duplicates": list(self.duplicates),
        }


def load_records(path: str | Path, *, stream: IO[bytes] | None = None) -> LoadedRecords:
    """The records of an extraction output file; a line that breaks the contract is left out
    with a message naming file and line, so one bad record does not hide the others.

    A doc id written more than once (two runs appending to one file) counts once: its last
    record is kept, where it stands, as a resumed run keeps it.

    A file that is not UTF-8 JSON Lines at all, or holds no record, raises `JsonlError`. With
    `stream` (standard input), that is read and `path` only names it.
    """
    found: list[tuple[int, ArticleRecord]] = []
    skipped = []
    for line_no, data in iter_jsonl(path, stream=stream):
        try:
            found.append((line_no, ArticleRecord.from_dict(data, where=f"{path}, line {line_no}")))
        except RecordError as error:
            skipped.append(str(error))
    if not found:
        reason = "every line breaks the output contract" if skipped else "no article records (the file is empty)"
        raise JsonlError(f"{path}: {reason}; expected the JSONL written by `summit-extract run`")
    lines: dict[str, list[int]] = {}
    for line_no, record in found:
        lines.setdefault(record.doc_id, []).append(line_no)
    duplicates = [
        f"{path}: doc id {doc_id!r} occurs {len(numbers)} times (lines {', '.join(map(str, numbers))}); "
        f"only line {numbers[-1]} is used"
        for doc_id, numbers in lines.items()
        if len(numbers) > 1
    ]
    records = [record for line_no, record in found if lines[record.doc_id][-1] == line_no]
    return LoadedRecords(records, skipped, duplicates)


def sentence_context(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] on one line, cut to a window when very long."""
    # Only a bounded stretch is searched, so long articles with many mentions stay linear.
    sentence_start = max(0, start - 2 * _CONTEXT_LIMIT)
    for match in _SENTENCE_END.finditer(text, sentence_start, start):
        sentence_start = match.end()
    stop = min(len(text), end + 2 * _CONTEXT_LIMIT)
    found = _SENTENCE_END.search(text, end, stop)
    sentence_end = stop if found is None else found.start() + (text[found.start()] in ".!?")
    left = max(sentence_start, start - _CONTEXT_LIMIT)
    right = min(sentence_end, end + _CONTEXT_LIMIT)
    # A window cut inside the sentence starts and ends at a word break, not inside a word.
    if left > sentence_start and not text[left - 1].isspace():
        space = _WHITESPACE.search(text, left, start)
        left = space.end() if space else left
    if right < sentence_end and not text[right].isspace():
        spaces = list(_WHITESPACE.finditer(text, end, right))
        right = spaces[-1].start() if spaces else right
    window = " ".join(text[left:right].split()).lstrip(_FORMULA_START + " ")
    return ("…" if left > sentence_start else "") + window + ("…" if right < sentence_end else "")


def _mention_row(record: ArticleRecord, entity: Entity) -> dict[str, object]:
    return {
        "doc_id": record.doc_id,
        "label": entity.label,
        "text": entity.text,
        "norm": entity.norm,
        "id": entity.id,
        "source": entity.source,
        "context": sentence_context(record.text, entity.start, entity.end),
        "start": entity.start,
        "end": entity.end,
        "raw_start": entity.raw_start,
        "raw_end": entity.raw_end,
    }


def mentions(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """One row per mention, in article order then text order."""
    rows = [
        _mention_row(record, entity)
        for record in records
        for entity in sorted(record.entities, key=lambda e: (e.start, e.end))
    ]
    frame = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return frame.astype({c: "int64" for c in ("start", "end", "raw_start", "raw_end")})


def _joined(doc_ids: Iterable[str]) -> str:
    """The articles, each once, in the order first seen."""
    return ", ".join(dict.fromkeys(doc_ids))


def _most_common_norm(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per group of `keys`, the most frequent `norm`; ties go to the one seen first.

    One grouped count and a stable sort instead of a Python function per group, which was the
    slow part of a report over hundreds of articles.
    """
    counts = frame.groupby([*keys, "norm"], sort=False).size().reset_index(name="count")
    counts = counts.sort_values("count", ascending=False, kind="stable").drop_duplicates(keys)
    return counts.set_index(keys)["norm"]


def entities_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The entities view of a mentions frame (see `entities`)."""
    if frame.empty:
        return pd.DataFrame(columns=ENTITY_COLUMNS).astype({"first_start": "int64", "mentions": "int64"})
    keys = ["doc_id", "label", "id"]
    order = {doc_id: index for index, doc_id in enumerate(dict.fromkeys(frame["doc_id"]))}
    table = (
        frame.groupby(keys, sort=False)
        .agg(first_text=("text", "first"), first_start=("start", "min"), mentions=("text", "size"))
        .join(_most_common_norm(frame, keys))
        .reset_index()
    )
    table["_order"] = table["doc_id"].map(order)
    table = table.sort_values(["_order", "first_start"], kind="stable").drop(columns="_order")
    return table[ENTITY_COLUMNS].reset_index(drop=True)


def entities(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """One row per normalised entity (label + id) per article, with its first mention and count."""
    return entities_of(mentions(records))


def countries_of(frame: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """The countries view of a mentions frame, one count column per article in `doc_ids`."""
    frame = frame[frame["label"] == "COUNTRY"]
    if frame.empty:
        return pd.DataFrame(columns=["id", "norm", "articles", *doc_ids]).astype({"articles": "int64"})
    counts = frame.pivot_table(index="id", columns="doc_id", values="text", aggfunc="size", fill_value=0)
    counts = counts.reindex(columns=doc_ids, fill_value=0).astype("int64")
    table = counts.reset_index()
    table.columns.name = None
    table.insert(1, "norm", table["id"].map(_most_common_norm(frame, ["id"])))
    table.insert(2, "articles", (counts > 0).sum(axis=1).to_numpy())
    return table.sort_values(["articles", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def countries(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """Countries × articles: mention counts per article plus the number of articles naming each."""
    records = list(records)
    return countries_of(mentions(records), [record.doc_id for record in records])


def by_articles(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """The entities of `label` in a mentions frame by number of articles naming them, with their mentions
    and the articles (`doc_ids`)."""
    frame = frame[frame["label"] == label]
    if frame.empty:
        return pd.DataFrame(columns=DOCUMENT_COLUMNS).astype({"articles": "int64", "mentions": "int64"})
    table = (
        frame.groupby("id", sort=False)
        .agg(
            articles=("doc_id", "nunique"),
            mentions=("text", "size"),
            doc_ids=("doc_id", _joined),
        )
        .join(_most_common_norm(frame, ["id"]))
        .reset_index()
    )
    order = ["articles", "mentions", "id"]
    return table.sort_values(order, ascending=[False, False, True], kind="stable").reset_index(drop=True)


def orgs_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The orgs view of a mentions frame (see `orgs`)."""
    return by_articles(frame, "ORG")[ORG_COLUMNS]


def documents_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The documents view of a mentions frame (see `documents`)."""
    return by_articles(frame, "DOCUMENT")[DOCUMENT_COLUMNS]


def orgs(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """Organisations by number of articles naming them."""
    return orgs_of(mentions(records))


def documents(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """Documents with the articles that mention them."""
    return documents_of(mentions(records))


def catalog_of(frame: pd.DataFrame, published: Mapping[str, str | None]) -> pd.DataFrame:
    """The catalogue of a mentions frame (see `catalog`); `published` is each article's date or None."""
    frame = frame[frame["label"] != "COUNTRY"]
    if frame.empty:
        return pd.DataFrame(columns=CATALOG_COLUMNS).astype({"articles": "int64", "mentions": "int64"})
    frame = frame.assign(published=frame["doc_id"].map(published))
    keys = ["label", "id"]
    variants = (
        frame.groupby([*keys, "text"], sort=False)
        .size()
        .reset_index(name="count")
        .sort_values(["count", "text"], ascending=[False, True], kind="stable")
        .groupby(keys, sort=False)
        .apply(lambda group: "; ".join(f"{t} ({n})" for t, n in zip(group["text"], group["count"], strict=True)))
        .rename("variants")
    )
    table = (
        frame.groupby(keys, sort=False)
        .agg(
            articles=("doc_id", "nunique"),
            mentions=("text", "size"),
            first_published=("published", "min"),
            last_published=("published", "max"),
            doc_ids=("doc_id", _joined),
        )
        .join(_most_common_norm(frame, keys).rename("name"))
        .join(variants)
        .reset_index()
    )
    order = ["label", "articles", "mentions", "id"]
    table = table.sort_values(order, ascending=[True, False, False, True], kind="stable").reset_index(drop=True)
    return table[CATALOG_COLUMNS]


def catalog(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """The corpus catalogue: one row per organisation or document (label, id) with its preferred
    name, every variant written with its count (how a reviewer spots a wrong merge), the number
    of articles and mentions, the first and last publication date, and the articles naming it.
    The HTML report can show it as it is."""
    records = list(records)
    return catalog_of(mentions(records), {record.doc_id: record.meta.published for record in records})


def summit_key(record: ArticleRecord) -> str:
    """The name a summit is grouped under across articles: 'SCO 2024'. An organisation holds one summit
    a year far more often than two, and edition and city are missing from many articles, so the
    organisation and year are the key; an article that states no summit is grouped under ''."""
    summit = record.facts.summit if record.facts is not None else None
    if summit is None:
        return ""
    return f"{summit.organization} {summit.year}" if summit.year is not None else summit.organization


def found_cells(methods: Mapping[str, str]) -> dict[str, str]:
    """The found_by and confidence cells of a fact whose parts (fields, roles, status) were found by `methods`
    ("unknown" for a fact of a record written before facts carried their methods)."""
    known = set(methods.values()) != {UNKNOWN_METHOD}
    return {
        "found_by": "; ".join(f"{part}: {method}" for part, method in methods.items()) if known else UNKNOWN_METHOD,
        "confidence": confidence(least_reliable(methods.values())),
    }


def _least_reliable_first(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The rows of a facts view with the lowest confidence first (what a reviewer checks first), then by `keys`."""
    rank = table["confidence"].map(CONFIDENCES.index)
    table = table.assign(_rank=rank).sort_values(["_rank", *keys], kind="stable")
    return table.drop(columns="_rank").reset_index(drop=True)


def summits(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """One row per article that reports a summit: the summit's fields as the article states them, how each was
    found; the least reliable first."""
    rows = [
        {"doc_id": record.doc_id, "summit": summit_key(record)}
        | {name: getattr(summit, name) for name in SUMMIT_FIELDS}
        | found_cells({name: method_of(summit.found_by, name) for name in summit.stated()})
        for record in records
        if record.facts is not None and (summit := record.facts.summit) is not None
    ]
    table = pd.DataFrame(rows, columns=SUMMIT_COLUMNS).astype({"edition": "Int64", "year": "Int64"})
    return _least_reliable_first(table, [])


def _with_facts(records: Iterable[ArticleRecord]) -> Iterator[tuple[ArticleRecord, Facts, str, dict[str, str]]]:
    """Each record that carries facts, with them, its summit key and the norm of each of its entity ids."""
    for record in records:
        if record.facts is not None:
            yield record, record.facts, summit_key(record), {entity.id: entity.norm for entity in record.entities}


def _in_role_order(roles: Iterable[str]) -> str:
    present = set(roles)
    return ", ".join(role for role in ROLES if role in present)


def _role_methods(frame: pd.DataFrame) -> dict[str, str]:
    """Each role of one summit × country, in role order, with the most reliable method any article found it by."""
    best = frame.groupby("role")["method"].agg(most_reliable)
    return {role: best[role] for role in ROLES if role in best.index}


def _participant_rows(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """One row per article × country × role, with the summit and the method that found the role."""
    rows = [
        {"summit": summit, "id": row.id, "norm": norms.get(row.id, row.id), "role": role, "doc_id": record.doc_id,
         "method": method_of(row.found_by, role)}
        for record, facts, summit, norms in _with_facts(records)
        for row in facts.participants
        for role in row.roles
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["summit", "id", "norm", "role", "doc_id", "method"])


def participants(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """One row per summit × country: every role the articles give it there, which articles say so, and how the
    roles were found (each by the most reliable method of any article); the least reliable first."""
    frame = _participant_rows(records)
    if frame.empty:
        return pd.DataFrame(columns=PARTICIPANT_COLUMNS).astype({"articles": "int64"})
    groups = frame.groupby(["summit", "id"], sort=False)
    table = groups.agg(
        norm=("norm", "first"),
        roles=("role", _in_role_order),
        articles=("doc_id", "nunique"),
        doc_ids=("doc_id", _joined),
    )
    found = groups[["role", "method"]].apply(lambda group: pd.Series(found_cells(_role_methods(group))))
    table = table.join(found).reset_index()
    return _least_reliable_first(table, ["summit", "id"])[PARTICIPANT_COLUMNS]


def summit_documents(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """One row per summit × document: the strongest status any article gives it (signed over adopted over
    proposed ...), every status seen with its count, the proposer named, and the articles that report it."""
    rows = [
        {"summit": summit, "id": row.id, "norm": norms.get(row.id, row.id), "status": row.status,
         "proposer": row.proposer, "doc_id": record.doc_id, "status_method": method_of(row.found_by, "status"),
         "proposer_method": method_of(row.found_by, "proposer")}
        for record, facts, summit, norms in _with_facts(records)
        for row in facts.documents
    ]  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=SUMMIT_DOCUMENT_COLUMNS).astype({"articles": "int64"})
    frame = pd.DataFrame(rows)

    def statuses(seen: pd.Series) -> str:
        counts = seen.value_counts()
        return ", ".join(f"{status} ({counts[status]})" for status in STATUSES if status in counts)

    def found(group: pd.DataFrame) -> pd.Series:
        # The strongest status by the most reliable article that gives it; the proposer by the article it is from.
        strongest = group["status"] == min(group["status"], key=STATUSES.index)
        methods = {"status": most_reliable(group.loc[strongest, "status_method"])}
        named = group[group["proposer"].notna()]
        if len(named):
            methods["proposer"] = named["proposer_method"].iloc[0]
        return pd.Series(found_cells(methods))

    groups = frame.groupby(["summit", "id"], sort=False)
    table = groups.agg(
        norm=("norm", "first"),
        status=("status", lambda seen: min(seen, key=STATUSES.index)),
        statuses=("status", statuses),
        proposer=("proposer", lambda named: next(iter(named.dropna()), None)),
        articles=("doc_id", "nunique"),
        doc_ids=("doc_id", _joined),
    )
    found_by = groups[["status", "status_method", "proposer", "proposer_method"]].apply(found)
    table = table.join(found_by).reset_index()
    return _least_reliable_first(table, ["summit", "id"])[SUMMIT_DOCUMENT_COLUMNS]


def roles_matrix(records: Iterable[ArticleRecord]) -> pd.DataFrame:
    """Countries × summits: each cell the roles a country had at a summit, '' where no article gives one; then how
    the country's roles were found (each method once, least reliable first) and the lowest confidence of them."""
    records = list(records)
    table = participants(records)
    table = table[table["summit"] != ""]
    if table.empty:
        return pd.DataFrame(columns=["id", "norm", *FOUND_COLUMNS])
    matrix = table.pivot_table(index=["id", "norm"], columns="summit", values="roles", aggfunc="first", fill_value="")
    matrix.columns.name = None
    rows = _participant_rows(records)
    methods = rows[rows["summit"] != ""].groupby("id")["method"].agg(set)
    matrix = matrix.reset_index()
    matrix["found_by"] = matrix["id"].map(lambda id_: ", ".join(sorted(methods[id_], key=unreliability, reverse=True)))
    matrix["confidence"] = matrix["id"].map(lambda id_: confidence(least_reliable(methods[id_])))
    return matrix


VIEWS: dict[str, Callable[[Iterable[ArticleRecord]], pd.DataFrame]] = {
    "mentions": mentions,
    "entities": entities,
    "countries": countries,
    "orgs": orgs,
    "documents": documents,
    "catalog": catalog,
    "summits": summits,
    "participants": participants,
    "summit-documents": summit_documents,
    "roles": roles_matrix,
}


def build_view(records: Iterable[ArticleRecord], view: str) -> pd.DataFrame:
    """The named view of `records`."""
    if view not in VIEWS:
        raise TableError(f"Unknown view {view!r}: expected one of {', '.join(VIEWS)}")
    return VIEWS[view](records)


def to_markdown(frame: pd.DataFrame) -> str:
    """A readable pipe table for the terminal or README."""
    if frame.empty:
        return "(no rows)"
    return frame.to_markdown(index=False)


def format_of_path(path: str | Path) -> str:
    """The format a file name asks for (".xlsx" -> xlsx); a suffix that names none is an error."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        named = f"suffix {'.' + suffix!r}" if suffix else "no suffix"
        raise TableError(
            f"{path}: {named} names no table format; use one of {', '.join('.' + f for f in FORMATS)} or give --format"
        )
    return suffix


def to_text(frame: pd.DataFrame, fmt: str) -> str:
    """`frame` as csv, tsv, jsonl or md text (csv and tsv with formula cells neutralised)."""
    if fmt == "md":
        return to_markdown(frame) + "\n"
    if fmt == "jsonl":
        return "".join(dumps(row) + "\n" for row in frame.to_dict("records"))
    if fmt in ("csv", "tsv"):
        return csv_safe(frame).to_csv(index=False, sep="," if fmt == "csv" else "\t", lineterminator="\n")
    raise TableError(f"{fmt!r} is not a text format: expected one of {', '.join(TEXT_FORMATS)}")


@dataclass(frozen=True, slots=True)
class TerminalTable:
    """A table drawn for a terminal of a given width, and what was given up to fit it."""

    text: str
    left_out: list[str]  # columns dropped from the right, in order
    cut: bool  # some cells were shortened (ending in "…")

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "left_out": list(self.left_out), "cut": self.cut}


def terminal_table(frame: pd.DataFrame, width: int) -> TerminalTable:
    """`frame` drawn in at most `width` columns of characters: cells shortened with "…", and the
    right-most columns left out when even shortened cells would not fit.

    rich draws the table: it measures wide (East Asian) characters and shortens cells the way
    `csvlook` does, which a hand-written str.ljust table would get wrong.
    """
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    if frame.empty:
        return TerminalTable("(no rows)\n", [], False)
    # Not astype(str): pandas keeps a missing value missing (NaN) through it, and a missing cell reads as blank.
    cells = frame.astype(object).map(
        lambda value: "" if value is None or value is pd.NA or value != value else str(value)
    )
    natural = [max([cell_len(str(name)), *map(cell_len, cells[name])]) for name in frame.columns]
    widths: list[int] = []
    for full in natural:  # as many columns as fit at their narrowest, from the left
        narrowest = min(full, MIN_COLUMN_WIDTH)
        if widths and sum(widths) + narrowest + _COLUMN_GAP * len(widths) > width:
            break
        widths.append(narrowest)
    spare = width - sum(widths) - _COLUMN_GAP * (len(widths) - 1)
    while spare > 0:  # share what is left evenly among the columns still short of their full width
        short = [index for index, full in enumerate(natural[: len(widths)]) if widths[index] < full]
        if not short:
            break
        share = max(1, spare // len(short))
        for index in short:
            grow = min(share, natural[index] - widths[index], spare)
            widths[index] += grow
            spare -= grow
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for name, column_width in zip(frame.columns, widths):
        table.add_column(str(name), width=column_width, no_wrap=True, overflow="ellipsis")
    for row in cells.iloc[:, : len(widths)].itertuples(index=False):
        table.add_row(*row)
    console = Console(width=max(width, sum(widths)), color_system=None, highlight=False)
    with console.capture() as capture:
        console.print(table)
    text = "\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n"
    cut = any(column_width < full for column_width, full in zip(widths, natural))
    kept = widths
    return TerminalTable(text, [str(name) for name in frame.columns[len(kept) :]], cut)


def _needs_quote_mark(text: str) -> bool:
    # Quote marks before a trigger are escaped too ("'=x" -> "''=x"), so `csv_cell` can be undone exactly.
    return text.lstrip("'").startswith(_FORMULA_TRIGGERS)


def csv_cell(value: object) -> object:
    """A value made safe for a CSV opened in a spreadsheet: text that would start a formula gets a
    leading `'` (OWASP's advice for CSV injection); `read_csv_cell` takes it off again."""
    if isinstance(value, str) and _needs_quote_mark(value):
        return "'" + value
    return value


def read_csv_cell(text: str) -> str:
    """The value `csv_cell` was given (a cell without its quote mark is returned as it is)."""
    return text[1:] if text.startswith("'") and _needs_quote_mark(text[1:]) else text


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell and column name passed through `csv_cell`."""
    return frame.rename(columns=lambda name: csv_cell(str(name))).map(csv_cell)


def xlsx_cell(value: object) -> object:
    """Text as an .xlsx cell can hold it: a control character as `_xHHHH_` and the underscore of a
    literal `_xHHHH_` as `_x005F_` (OOXML's own escape, ST_Xstring); `read_xlsx_cell` undoes it.

    openpyxl refuses these characters (IllegalCharacterError) rather than escaping them."""
    if isinstance(value, str):
        return _XLSX_ESCAPE.sub(lambda match: f"_x{ord(match.group()):04X}_", value)
    return value


def read_xlsx_cell(text: str) -> str:
    """The value `xlsx_cell` was given."""
    return _XLSX_ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text) if "_x" in text else text


def write_table(frame: pd.DataFrame, path: str | Path, fmt: str, *, sheet_name: str = "table") -> Path:
    """Write `frame` to `path` in one of `FORMATS`; returns the path (`WriteError` naming it when it
    cannot be written)."""
    if fmt not in FORMATS:
        raise TableError(f"Unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt in TEXT_FORMATS:
        return write_file(path, to_text(frame, fmt).encode("utf-8"))
    buffer = io.BytesIO()
    if fmt == "parquet":
        require_extra("pyarrow", "parquet", "a .parquet table")
        frame.to_parquet(buffer, index=False)
    else:
        write_xlsx(frame, buffer, sheet_name)
    return write_file(path, buffer.getvalue())


def write_xlsx(frame: pd.DataFrame, target: IO[bytes], sheet_name: str) -> None:
    """`frame` as a workbook of one sheet, every text cell through `xlsx_cell` and never a formula."""
    require_extra("openpyxl", "excel", "an .xlsx workbook")
    frame = frame.rename(columns=lambda name: xlsx_cell(str(name))).map(xlsx_cell)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet_name[:31])
        # openpyxl stores any string starting with "=" as a formula; article text is untrusted,
        # so such cells are forced back to plain strings.
        for row in writer.sheets[sheet_name[:31]].iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
