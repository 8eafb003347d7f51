"""A review sheet (CSV) of extracted mentions, and merging a reviewer's verdicts into gold.

`export_sheet` writes one row per mention with empty verdict columns; a reviewer fills them in
a spreadsheet and `import_sheet` checks every row (naming the row number and column of each
problem) before it changes any gold file. Sheets are UTF-8 with a byte order mark, minimal
quoting and CRLF line ends, as Excel writes them, so a round trip through Excel reads back
the same.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import SummitError, require_extra
from ..evaluation.gold import (
    GoldDoc,
    GoldError,
    GoldSpan,
    default_span_id,
    gold_files,
    read_gold_file,
    write_gold,
)
from ..extraction.identity import name_key
from ..output.jsonl import dumps
from ..records import LABELS, ArticleRecord
from ..rules import TSV_SCHEMAS, read_tsv
from .files import write_file
from .tables import csv_cell, read_csv_cell, read_xlsx_cell, sentence_context, write_xlsx

SHEET_COLUMNS = [
    "doc_id", "label", "text", "start", "end", "id", "norm", "source", "context",
    "verdict", "fix_label", "fix_text", "fix_id", "occurrence", "merge",
]  # fmt: skip
REQUIRED_COLUMNS = ("doc_id", "label", "text", "start", "end", "id", "verdict", "fix_label", "fix_text", "fix_id")
VERDICTS = ("accept", "reject", "relabel", "add")
COMMENT_MARK = "#"
SHEET_DELIMITERS = ",;\t"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAX_FILE_NAME_BYTES = 255  # NAME_MAX of Linux, macOS and Windows file systems
INSTRUCTIONS = [
    "# Review: in 'verdict' write accept, reject or relabel for each row, or leave it blank to skip the row.",
    (
        "# accept: the mention is right. Fix a wrong boundary by writing the corrected span in 'fix_text' "
        "(it must overlap the original), a wrong identity in 'fix_id'."
    ),
    (
        "# relabel: the span is a mention of another kind; write COUNTRY, ORG or DOCUMENT in 'fix_label' "
        "(and 'fix_text' / 'fix_id' if they change too)."
    ),
    "# reject: not a mention at all; it is removed from gold.",
    (
        "# add (a missed mention): a new row with doc_id, verdict add, label and text; if the text occurs "
        "more than once, give 'start' (its offset) or 'occurrence' (1 = first in the article). 'id' is "
        "optional (ISO3 for countries, else derived from the text)."
    ),
    (
        "# merge (optional, any row): 'same as ID' gives every mention of this text the id ID in the next runs, "
        "'not the same as ID' keeps it from ever getting ID; review import writes these to id_aliases.tsv."
    ),
    "# Rows whose doc_id starts with # are notes and are ignored.",
]
# A note row per article: which gold the sheet was exported against (the article's doc id in the
# 'text' column, its gold version in 'id'), so an import can tell that gold changed meanwhile.
GOLD_VERSION_NOTE = "# gold version"
# The shapes ids take (the output contract): an acronym or code in capitals, or a slug.
_ID_SHAPE = re.compile(r"[A-Z0-9][A-Z0-9&.\-]*|[a-z0-9]+(?:-[a-z0-9]+)*")


class SheetExistsError(SummitError):
    """A review sheet would overwrite an existing file (perhaps one a reviewer filled in)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} exists; a filled-in sheet would be lost")


class ReviewError(SummitError, ValueError):
    """A review sheet that cannot be merged; `problems` lists every row and column at fault."""

    def __init__(self, path: Path | str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s) in the review sheet:\n" + "\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row of a review sheet as typed in; `row` is its spreadsheet row number (header = 1)."""

    row: int
    doc_id: str
    label: str
    text: str
    start: str
    end: str
    id: str
    verdict: str
    fix_label: str
    fix_text: str
    fix_id: str
    occurrence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "doc_id": self.doc_id,
            "label": self.label,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "id": self.id,
            "verdict": self.verdict,
            "fix_label": self.fix_label,
            "fix_text": self.fix_text,
            "fix_id": self.fix_id,
            "occurrence": self.occurrence,
        }


@dataclass(slots=True)
class DocChanges:
    """What one article's gold gained and lost; spans are (start, end, label, text, id) dicts."""

    doc_id: str
    path: Path
    created: bool = False
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    relabelled: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    rebounded: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    reidentified: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or any((self.added, self.removed, self.relabelled, self.rebounded, self.reidentified))

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.removed)} removed",
            f"{len(self.relabelled)} relabelled",
            f"{len(self.rebounded)} re-bounded",
            f"{len(self.reidentified)} re-identified",
        ]
        created = " (new gold record)" if self.created else ""
        return f"{self.doc_id}{created}: " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "path": str(self.path),
            "created": self.created,
            "added": self.added,
            "removed": self.removed,
            "relabelled": [list(pair) for pair in self.relabelled],
            "rebounded": [list(pair) for pair in self.rebounded],
            "reidentified": [list(pair) for pair in self.reidentified],
        }


@dataclass(slots=True)
class ImportResult:
    """The outcome of merging a sheet: per-article changes, rows used and skipped, files written."""

    changes: list[DocChanges]
    decided_rows: int
    blank_rows: int
    written: list[Path]
    dry_run: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [change.to_dict() for change in self.changes],
            "decided_rows": self.decided_rows,
            "blank_rows": self.blank_rows,
            "written": [str(path) for path in self.written],
            "dry_run": self.dry_run,
        }


# --- export -------------------------------------------------------------------------------------


def sheet_rows(records: Iterable[ArticleRecord]) -> list[dict[str, Any]]:
    """One sheet row per mention, in article then text order, with the verdict columns empty."""
    rows = []
    for record in records:
        for entity in sorted(record.entities, key=lambda e: (e.start, e.end)):
            row = {column: "" for column in SHEET_COLUMNS}
            row.update(
                doc_id=record.doc_id,
                label=entity.label,
                text=entity.text,
                start=entity.start,
                end=entity.end,
                id=entity.id,
                norm=entity.norm,
                source=entity.source,
                context=sentence_context(record.text, entity.start, entity.end),
            )
            rows.append(row)
    return rows


def gold_version(doc: GoldDoc | None) -> str:
    """A short fingerprint of one article's gold record ("none" without one)."""
    if doc is None:
        return "none"
    return hashlib.sha256(dumps(doc.to_dict()).encode("utf-8")).hexdigest()[:16]


def gold_versions(gold: str | Path, doc_ids: Iterable[str]) -> dict[str, str]:
    """The gold version of each of `doc_ids` under the gold file or folder `gold`."""
    files, _ = _gold_by_file(Path(gold))
    docs = {doc.doc_id: doc for file_docs in files.values() for doc in file_docs}
    return {doc_id: gold_version(docs.get(doc_id)) for doc_id in doc_ids}


def export_sheet(
    records: Iterable[ArticleRecord], path: str | Path, *, gold: str | Path | None = None, force: bool = False
) -> int:
    """Write the review sheet for `records` to `path`; returns the number of mention rows.

    An existing `path` is refused (`SheetExistsError`) unless `force`. With `gold`, the sheet
    notes each article's gold version, and `import_sheet` refuses rows of an article whose gold
    changed after the export.
    """
    path = Path(path)
    if path.exists() and not force:
        raise SheetExistsError(path)
    records = list(records)
    rows = sheet_rows(records)
    versions = gold_versions(gold, dict.fromkeys(r.doc_id for r in records)) if gold is not None else {}
    table = [[line] + [""] * (len(SHEET_COLUMNS) - 1) for line in INSTRUCTIONS]
    for doc_id, version in versions.items():
        note = {column: "" for column in SHEET_COLUMNS} | {"doc_id": GOLD_VERSION_NOTE, "text": doc_id, "id": version}
        table.append([csv_cell(note[column]) for column in SHEET_COLUMNS])
    table += [[csv_cell(row[column]) for column in SHEET_COLUMNS] for row in rows]
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        workbook = io.BytesIO()
        write_xlsx(pd.DataFrame(table, columns=SHEET_COLUMNS), workbook, "review")
        write_file(path, workbook.getvalue())
    else:
        text = io.StringIO(newline="")
        writer = csv.writer(text, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerows([SHEET_COLUMNS, *table])
        # utf-8-sig: Excel only reads a CSV as UTF-8 when it starts with a byte order mark.
        write_file(path, text.getvalue().encode("utf-8-sig"))
    return len(rows)


# --- reading ------------------------------------------------------------------------------------


def _delimiter(first_line: str) -> str:
    """The field separator of a sheet, sniffed from its header: Excel writes ';' (or a tab) where
    the decimal separator is a comma. csv.Sniffer, restricted to the separators sheets use; ','
    when it cannot tell (a one-column header)."""
    try:
        return csv.Sniffer().sniff(first_line, delimiters=SHEET_DELIMITERS).delimiter
    except csv.Error:
        return ","


def read_csv_table(path: Path) -> list[list[str]]:
    """The cells of a CSV sheet, UTF-8 with or without a byte order mark, separated by , ; or tab."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
        # strict: a stray quote is an error, not a merged row
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]), strict=True)
        return list(rows)
    except OSError as error:
        raise ReviewError(path, [f"cannot open the sheet ({error.strerror or error})"]) from error
    except UnicodeDecodeError as error:
        raise ReviewError(path, [f"not UTF-8 text ({error.reason}); save the sheet as 'CSV UTF-8'"]) from error
    except csv.Error as error:
        raise ReviewError(path, [f"not a readable CSV file ({error})"]) from error


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold: offsets typed as numbers are whole numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(path: Path) -> list[list[str]]:
    """The cells of the first worksheet of an .xlsx workbook, row for row (empty rows kept, so
    row numbers in messages are the spreadsheet's)."""
    require_extra("openpyxl", "excel", "reading an .xlsx review sheet")
    from openpyxl import load_workbook  # only review imports of workbooks need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as error:
        raise ReviewError(path, [f"cannot open the sheet ({error.strerror or error})"]) from error
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ReviewError(path, [f"not a readable .xlsx workbook ({error})"]) from error
    try:
        sheet = workbook.worksheets[0]
        return [[read_xlsx_cell(_cell_text(value)) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_sheet(path: str | Path) -> tuple[list[SheetRow], int]:
    """The data rows of a review sheet (notes and empty rows left out) and the count of blank verdicts.

    Accepts what spreadsheets save: an .xlsx workbook (its first sheet), or CSV with or without a
    byte order mark, separated by commas, semicolons or tabs, CRLF or LF, every field quoted or
    not; columns in any order, extra columns ignored.
    """
    rows, blank, _ = _read_sheet(Path(path))
    return rows, blank


def read_gold_versions(path: str | Path) -> dict[str, str]:
    """The gold version the sheet at `path` noted for each article (empty if exported without gold)."""
    return _read_sheet(Path(path))[2]


def _read_sheet(path: Path) -> tuple[list[SheetRow], int, dict[str, str]]:
    table = read_workbook(path) if path.suffix.lower() in WORKBOOK_SUFFIXES else read_csv_table(path)
    if not table:
        raise ReviewError(path, ["the sheet is empty: expected a header row with " + ", ".join(REQUIRED_COLUMNS)])
    header = [cell.strip().lower() for cell in table[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ReviewError(path, [f"row 1: missing column(s) {', '.join(missing)} in the header {table[0]!r}"])
    index = {column: header.index(column) for column in SHEET_COLUMNS if column in header}
    rows, blank, versions = [], 0, {}
    for number, cells in enumerate(table[1:], start=2):

        def cell(column: str, cells: list[str] = cells) -> str:
            position = index.get(column)
            return read_csv_cell(cells[position]) if position is not None and position < len(cells) else ""

        if cell("doc_id").strip() == GOLD_VERSION_NOTE:
            versions[cell("text").strip()] = cell("id").strip()
            continue
        if not any(value.strip() for value in cells) or cell("doc_id").lstrip().startswith(COMMENT_MARK):
            continue

        row = SheetRow(
            row=number,
            doc_id=cell("doc_id").strip(),
            label=cell("label").strip().upper(),
            text=cell("text"),
            start=cell("start").strip(),
            end=cell("end").strip(),
            id=cell("id").strip(),
            verdict=cell("verdict").strip().lower(),
            fix_label=cell("fix_label").strip().upper(),
            fix_text=cell("fix_text").strip(),
            fix_id=cell("fix_id").strip(),
            occurrence=cell("occurrence").strip(),
        )
        if not row.verdict:
            blank += 1
            continue
        rows.append(row)
    return rows, blank, versions


# --- planning -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Edit:
    """What one decided row does: drop `original` from gold (if there), then put `target` in."""

    row: int
    doc_id: str
    original: tuple[int, int, str] | None  # (start, end, label) of the mention the row is about
    target: GoldSpan | None
    keep_gold_id: bool  # accept without fix_id: an id already in gold for this span wins


class _Problems:
    """Every problem found, kept so the reviewer can fix the whole sheet in one pass."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def __len__(self) -> int:
        return len(self.found)

    def add(self, row: int, column: str, message: str) -> None:
        self.found.append((row, f"row {row}, column {column}: {message}"))

    def messages(self) -> list[str]:
        return [message for _, message in sorted(self.found, key=lambda item: item[0])]


def _int(value: str, row: int, column: str, problems: _Problems) -> int | None:
    try:
        number = int(value)
    except ValueError:
        # Spreadsheets sometimes save whole numbers as "12.0".
        try:
            as_float = float(value)
        except ValueError:
            as_float = None
        if as_float is None or not as_float.is_integer():
            problems.add(row, column, f"expected a whole number, got {value!r}")
            return None
        number = int(as_float)
    if number < 0:
        problems.add(row, column, f"expected an offset of 0 or more, got {number}")
        return None
    return number


def _occurrences(text: str, needle: str) -> list[int]:
    found, position = [], text.find(needle)
    while position >= 0:
        found.append(position)
        position = text.find(needle, position + 1)
    return found


def _derived_id(label: str, text: str) -> str | None:
    """The id a span gets when the reviewer gives none: the rule gold imports use, or None."""
    try:
        return default_span_id(label, text, "review")
    except GoldError:
        return None


def _make_span(start: int, end: int, label: str, text: str, given_id: str, row: int,
               problems: _Problems) -> GoldSpan | None:  # fmt: skip
    """A gold span with `given_id`, or the id gold derives from the text; checked as gold checks it."""
    if given_id and not _ID_SHAPE.fullmatch(given_id):
        problems.add(
            row, "fix_id", f"{given_id!r} is not an id: expected an acronym or code in capitals (SCO, KAZ) "
            "or a slug (astana-declaration)"
        )  # fmt: skip
        return None
    span_id = given_id or _derived_id(label, text)
    if not span_id:
        problems.add(row, "fix_id", f"no id given and none can be derived for {label} {text!r}; write it in fix_id")
        return None
    data = {"start": start, "end": end, "label": label, "text": text, "id": span_id}
    try:
        return GoldSpan.from_dict(data, f"the {label} span {text!r}")
    except GoldError as error:
        problems.add(row, "fix_id" if given_id else "text", str(error))
        return None


def _rebound(text: str, start: int, end: int, fix_text: str, row: int, problems: _Problems) -> tuple[int, int] | None:
    """The occurrence of `fix_text` that overlaps the original span (the nearest, if several)."""
    candidates = [p for p in _occurrences(text, fix_text) if p < end and start < p + len(fix_text)]
    if not candidates:
        problems.add(
            row, "fix_text", f"{fix_text!r} does not occur overlapping the original span {text[start:end]!r} "
            f"at {start}-{end}"
        )  # fmt: skip
        return None
    best = min(candidates, key=lambda p: abs(p - start))
    return best, best + len(fix_text)


def _plan_row(row: SheetRow, text: str, problems: _Problems) -> _Edit | None:
    """Check one decided row against the article text and turn it into an edit."""
    before = len(problems)
    if row.verdict not in VERDICTS:
        problems.add(row.row, "verdict", f"unknown verdict {row.verdict!r}; expected {', '.join(VERDICTS)} or blank")
        return None
    if row.verdict == "add":
        return _plan_add(row, text, problems)
    if row.label not in LABELS:
        problems.add(row.row, "label", f"unknown label {row.label!r}; expected one of {', '.join(LABELS)}")
    start = _int(row.start, row.row, "start", problems)
    end = _int(row.end, row.row, "end", problems)
    if start is None or end is None or len(problems) > before:
        return None
    if not start < end <= len(text):
        problems.add(row.row, "end", f"offsets {start}-{end} do not fit an article of {len(text)} characters")
        return None
    if text[start:end] != row.text:
        problems.add(
            row.row, "text", f"the article has {text[start:end]!r} at {start}-{end}, not {row.text!r} "
            "(keep the exported text; a corrected span goes in fix_text)"
        )  # fmt: skip
        return None
    original = (start, end, row.label)
    if row.verdict == "reject":
        return _Edit(row.row, row.doc_id, original, None, keep_gold_id=False)
    label = row.label
    if row.verdict == "relabel":
        if not row.fix_label:
            problems.add(row.row, "fix_label", "relabel needs the new label (COUNTRY, ORG or DOCUMENT)")
            return None
        if row.fix_label not in LABELS:
            problems.add(row.row, "fix_label", f"unknown label {row.fix_label!r}; expected one of {', '.join(LABELS)}")
            return None
        label = row.fix_label
    elif row.fix_label and row.fix_label != row.label:
        problems.add(row.row, "verdict", f"fix_label {row.fix_label!r} given with verdict accept; use relabel")
        return None
    if row.fix_text:
        bounds = _rebound(text, start, end, row.fix_text, row.row, problems)
        if bounds is None:
            return None
        start, end = bounds
    surface = text[start:end]
    unchanged = label == row.label and (start, end) == original[:2]
    # The extracted id carries over unless the label changed, or the boundary changed and the id
    # was only the one derived from the old text (a document title's slug): then it is derived anew.
    derived_from_old_text = row.id == _derived_id(row.label, row.text)
    carried = row.id if label == row.label and (unchanged or not derived_from_old_text) else ""
    target = _make_span(start, end, label, surface, row.fix_id or carried, row.row, problems)
    if target is None:
        return None
    keep = row.verdict == "accept" and not row.fix_id and unchanged
    return _Edit(row.row, row.doc_id, original, target, keep_gold_id=keep)


def _plan_add(row: SheetRow, text: str, problems: _Problems) -> _Edit | None:
    label = row.fix_label or row.label
    surface = row.fix_text or row.text
    if label not in LABELS:
        problems.add(
            row.row, "label", f"unknown label {label!r} for a missed mention; expected one of {', '.join(LABELS)}"
        )
        return None
    if not surface:
        problems.add(row.row, "text", "add needs the text of the missed mention")
        return None
    positions = _occurrences(text, surface)
    if not positions:
        problems.add(row.row, "text", f"{surface!r} does not occur in the article")
        return None
    if row.start:
        start = _int(row.start, row.row, "start", problems)
        if start is None:
            return None
        if start not in positions:
            problems.add(
                row.row, "start", f"the article has {text[start : start + len(surface)]!r} at {start}, not {surface!r}"
            )
            return None
    elif row.occurrence:
        occurrence = _int(row.occurrence, row.row, "occurrence", problems)
        if occurrence is None:
            return None
        if not 1 <= occurrence <= len(positions):
            problems.add(
                row.row, "occurrence", f"{surface!r} occurs {len(positions)} time(s); got occurrence {occurrence}"
            )
            return None
        start = positions[occurrence - 1]
    elif len(positions) > 1:
        problems.add(
            row.row, "occurrence", f"{surface!r} occurs {len(positions)} times; give start or occurrence (1 = first)"
        )  # fmt: skip
        return None
    else:
        start = positions[0]
    target = _make_span(start, start + len(surface), label, surface, row.fix_id or row.id, row.row, problems)
    if target is None:
        return None
    return _Edit(row.row, row.doc_id, None, target, keep_gold_id=False)


def _conflicts(edits: Sequence[_Edit], problems: _Problems) -> None:
    """Rows about the same mention, or putting in the same span, must agree."""
    by_original: dict[tuple[int, int, str], _Edit] = {}
    by_target: dict[tuple[int, int, str], _Edit] = {}
    for edit in edits:
        if edit.original is not None:
            first = by_original.setdefault(edit.original, edit)
            if first is not edit and first.target != edit.target:
                problems.add(edit.row, "verdict", f"conflicts with row {first.row} about the same mention "
                             f"at {edit.original[0]}-{edit.original[1]} ({edit.original[2]})")  # fmt: skip
        if edit.target is not None:
            key = (edit.target.start, edit.target.end, edit.target.label)
            first = by_target.setdefault(key, edit)
            if first is not edit and first.target != edit.target:
                problems.add(edit.row, "fix_id", f"gives {edit.target.text!r} the id {edit.target.id!r}, "
                             f"row {first.row} gives it {first.target.id!r}")  # fmt: skip


def _apply(spans: Sequence[GoldSpan], edits: Sequence[_Edit]) -> dict[tuple[int, int, str], tuple[GoldSpan, int]]:
    """The gold spans after `edits`, each with the sheet row that put it there (0: already in gold)."""
    result = {(s.start, s.end, s.label): (s, 0) for s in spans}
    old = dict(result)
    for edit in edits:
        if edit.original is not None:
            result.pop(edit.original, None)
    for edit in edits:
        if edit.target is None:
            continue
        key = (edit.target.start, edit.target.end, edit.target.label)
        kept = old.get(key) if edit.keep_gold_id else None
        result[key] = (kept[0] if kept else edit.target, edit.row)
    return result


def _overlaps(result: Mapping[tuple[int, int, str], tuple[GoldSpan, int]], problems: _Problems) -> None:
    """Gold spans must not overlap: name the row that brought in each crossing span."""
    ordered = sorted(result.values(), key=lambda pair: (pair[0].start, pair[0].end))
    for (a, row_a), (b, row_b) in itertools.pairwise(ordered):
        if b.start < a.end:
            # the later row is blamed: an existing gold span (row 0) or an earlier row was there first
            row, span, other, other_row = (row_b, b, a, row_a) if row_b > row_a else (row_a, a, b, row_b)
            origin = f"row {other_row}" if other_row else "the existing gold"
            problems.add(row, "text", f"{span.text!r} at {span.start}-{span.end} ({span.label}) would overlap "
                         f"{other.text!r} at {other.start}-{other.end} ({other.label}) from {origin}; "
                         "reject or fix one of them")  # fmt: skip


def _diff(doc_id: str, path: Path, created: bool, before: Sequence[GoldSpan], after: Sequence[GoldSpan]) -> DocChanges:
    """Classify the difference between two span lists as the reviewer would describe it."""
    changes = DocChanges(doc_id=doc_id, path=path, created=created)
    old = [s for s in before if s not in after]
    new = [s for s in after if s not in before]
    for kind, test in (
        ("reidentified", lambda a, b: (a.start, a.end, a.label) == (b.start, b.end, b.label)),
        ("relabelled", lambda a, b: (a.start, a.end) == (b.start, b.end)),
        ("rebounded", lambda a, b: a.label == b.label and a.start < b.end and b.start < a.end),
        ("relabelled", lambda a, b: a.start < b.end and b.start < a.end),
    ):
        for a in list(old):
            b = next((b for b in new if test(a, b)), None)
            if b is not None:
                getattr(changes, kind).append((a.to_dict(), b.to_dict()))
                old.remove(a)
                new.remove(b)
    changes.removed = [s.to_dict() for s in old]
    changes.added = [s.to_dict() for s in new]
    return changes


# --- import -------------------------------------------------------------------------------------


def _gold_by_file(gold: Path) -> tuple[dict[Path, list[GoldDoc]], dict[str, Path]]:
    """Every gold record (skipped answers too, so rewriting a file keeps them) by file, and each doc's file."""
    files: dict[Path, list[GoldDoc]] = {}
    where: dict[str, Path] = {}
    if not gold.exists() or (gold.is_dir() and not any(gold.glob("*.jsonl"))):
        return files, where  # no gold yet: every reviewed article gets a new record
    for path in gold_files(gold):
        files[path] = [doc for _, doc in read_gold_file(path)]
        for doc in files[path]:
            where[doc.doc_id] = path
    return files, where


def _file_name_fits(name: str) -> bool:
    return "\0" not in name and len(os.fsencode(name)) <= MAX_FILE_NAME_BYTES


def _new_gold_path(gold: Path, doc_id: str) -> Path:
    """Where a new article's gold goes: the gold file itself, or `<folder>/<doc_id>.jsonl`."""
    if gold.is_file() or (not gold.exists() and gold.suffix == ".jsonl"):
        return gold
    return gold / f"{doc_id}.jsonl"


def import_sheet(
    sheet: str | Path,
    gold: str | Path,
    *,
    extractions: Mapping[str, ArticleRecord] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check `sheet` and merge its verdicts into the gold under `gold`.

    Articles without gold get a new record (`<gold folder>/<doc_id>.jsonl`) built from their
    extraction (text and source). Rows of an article whose gold changed since the sheet was
    exported (the sheet's gold version notes) are refused. Nothing is written when any row has a
    problem, or with `dry_run`.
    """
    sheet, gold = Path(sheet), Path(gold)
    extractions = extractions or {}
    rows, blank, exported_versions = _read_sheet(sheet)
    files, where = _gold_by_file(gold)
    gold_docs = {doc.doc_id: doc for docs in files.values() for doc in docs}

    problems = _Problems()
    edits: dict[str, list[_Edit]] = defaultdict(list)
    unusable: dict[str, tuple[str, list[int]]] = {}  # doc_id -> (reason, its rows): reported once
    for row in rows:
        if not row.doc_id:
            problems.add(row.row, "doc_id", "empty; every decided row names its article")
            continue
        gold_doc, record = gold_docs.get(row.doc_id), extractions.get(row.doc_id)
        exported = exported_versions.get(row.doc_id)
        if exported is not None and exported != gold_version(gold_doc):
            reason = (
                f"the gold of {row.doc_id!r} changed after the sheet was exported (version {exported} in the "
                f"sheet, {gold_version(gold_doc)} now), so its verdicts could undo that change; "
                "export a new sheet for this article"
            )
            unusable.setdefault(row.doc_id, (reason, []))[1].append(row.row)
            continue
        if gold_doc is None and record is None:
            reason = (
                f"article {row.doc_id!r} has no gold record and is not in the extraction file; "
                "pass the extraction output the sheet was exported from"
            )
            unusable.setdefault(row.doc_id, (reason, []))[1].append(row.row)
            continue
        if gold_doc is not None and record is not None and gold_doc.text != record.text:
            reason = (
                f"the gold text of {row.doc_id!r} differs from its extraction text, so the sheet's "
                "offsets do not apply to gold; re-create the gold record or re-export the sheet"
            )
            unusable.setdefault(row.doc_id, (reason, []))[1].append(row.row)
            continue
        edit = _plan_row(row, gold_doc.text if gold_doc is not None else record.text, problems)
        if edit is not None:
            edits[row.doc_id].append(edit)
    for reason, numbers in unusable.values():
        more = f" (and {len(numbers) - 1} more rows of this article)" if len(numbers) > 1 else ""
        problems.add(numbers[0], "doc_id", reason + more)
    planned: list[tuple[GoldDoc, list[GoldSpan], Path, bool]] = []
    for doc_id, doc_edits in edits.items():
        _conflicts(doc_edits, problems)
        created = doc_id not in gold_docs
        if created:
            record = extractions[doc_id]
            before = GoldDoc(doc_id=doc_id, source=record.source, text=record.text, spans=())
            path = _new_gold_path(gold, doc_id)
            if path.parent != gold and path != gold or doc_id.startswith(".") or not _file_name_fits(path.name):
                # the id becomes a file name: it must not climb out of the gold folder or hide, and
                # the system must take it (no NUL byte, not over 255 bytes)
                problems.add(doc_edits[0].row, "doc_id", f"{doc_id!r} cannot name a gold file in {gold}")
                continue
        else:
            before, path = gold_docs[doc_id], where[doc_id]
        result = _apply(before.spans, doc_edits)
        _overlaps(result, problems)
        after_spans = sorted((span for span, _ in result.values()), key=lambda s: (s.start, s.end))
        planned.append((before, after_spans, path, created))
    if problems:
        raise ReviewError(sheet, problems.messages())

    changes: list[DocChanges] = []
    touched: dict[Path, list[GoldDoc]] = {}
    for before, after_spans, path, created in planned:
        doc_id = before.doc_id
        change = _diff(doc_id, path, created, before.spans, after_spans)
        if not change.changed:
            continue
        changes.append(change)
        after = GoldDoc(before.doc_id, before.source, before.text, tuple(after_spans), before.answer)
        docs = touched.setdefault(path, list(files.get(path, [])))
        docs[:] = [*docs, after] if created else [after if doc.doc_id == doc_id else doc for doc in docs]

    written: list[Path] = []
    if not dry_run:
        for path, docs in touched.items():
            write_gold(docs, path)
            written.append(path)
    return ImportResult(changes=changes, decided_rows=len(rows), blank_rows=blank, written=written, dry_run=dry_run)


# --- merges a reviewer decides ---------------------------------------------------------------------

MERGE_COLUMN = "merge"
ALIASES_FILE = "id_aliases.tsv"
# Where `review import` writes the alias file without --patterns; the next run reads it with
# `--patterns summit-patterns`.
DEFAULT_ALIAS_FOLDER = Path("summit-patterns")
_MERGE = re.compile(r"^\s*(not\s+(?:the\s+)?same\s+as|same\s+as)\s+(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Merge:
    """One reviewer decision: every mention named `name` is (`same`) or is not (`not-same`) the thing `id`."""

    name: str
    id: str
    relation: str


def sheet_merges(sheet: str | Path) -> list[Merge]:
    """The 'same as ID' / 'not the same as ID' decisions of a review sheet's merge column, in row
    order; a ReviewError names every row that cannot be read."""
    sheet = Path(sheet)
    table = read_workbook(sheet) if sheet.suffix.lower() in WORKBOOK_SUFFIXES else read_csv_table(sheet)
    header = [cell.strip().lower() for cell in table[0]] if table else []
    if MERGE_COLUMN not in header:
        return []
    merge_at, text_at = header.index(MERGE_COLUMN), header.index("text") if "text" in header else None
    problems = _Problems()
    merges = []
    for number, cells in enumerate(table[1:], start=2):
        value = read_csv_cell(cells[merge_at]).strip() if merge_at < len(cells) else ""
        if not value or (cells and cells[0].lstrip().startswith(COMMENT_MARK)):
            continue
        text = read_csv_cell(cells[text_at]).strip() if text_at is not None and text_at < len(cells) else ""
        match = _MERGE.match(value)
        if match is None:
            problems.add(number, MERGE_COLUMN, f"{value!r}: expected 'same as ID' or 'not the same as ID'")
        elif not _ID_SHAPE.fullmatch(match.group(2)):
            problems.add(number, MERGE_COLUMN, f"{match.group(2)!r} is not an id (SCO, astana-declaration)")
        elif not text:
            problems.add(number, "text", "empty; a merge names the mention's text")
        else:
            relation = "not-same" if match.group(1).lower().startswith("not") else "same"
            merges.append(Merge(text, match.group(2), relation))
    if problems:
        raise ReviewError(sheet, problems.messages())
    return merges


def write_aliases(folder: str | Path, merges: Sequence[Merge]) -> Path:
    """Add `merges` to `folder`/id_aliases.tsv (created if need be), the user alias file the next run
    reads with `--patterns folder`; a later decision on a name replaces an earlier one."""
    path = Path(folder) / ALIASES_FILE
    decided: dict[tuple[str, str], Merge] = {}

    def key(merge: Merge) -> tuple[str, str]:
        # A name is the same as one thing, and can be apart from several.
        return (name_key(merge.name), "" if merge.relation == "same" else merge.id)

    old = read_tsv(path) if path.exists() else ()
    for merge in [Merge(row.data["name"], row.data["id"], row.data["relation"]) for row in old] + list(merges):
        name = name_key(merge.name)
        # A later word on the same name and id replaces the earlier one, whichever way it goes.
        decided.pop((name, merge.id), None)
        if decided.get((name, "")) is not None and decided[(name, "")].id == merge.id:
            del decided[(name, "")]
        decided[key(merge)] = merge
    lines = ["\t".join(TSV_SCHEMAS[ALIASES_FILE])]
    lines += [f"{m.name}\t{m.id}\t{m.relation}" for m in decided.values()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
