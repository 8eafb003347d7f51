"""Gold annotations: loading with validation and alignment onto cleaned text.

A gold file is JSON Lines in Prodigy's span format, one article per line:

    {"text": ..., "meta": {"doc_id", "source"}, "spans": [{"start", "end", "label", "text", "id"}],
     "answer": "accept"}

Records whose `answer` is "reject" or "ignore" are skipped (in Prodigy those mean the annotator
threw the example away, so it is not gold); they are counted in `GoldSet.skipped`. A record
without `answer` is taken as accepted, so hand-written files need not repeat it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from ..errors import SummitError
from ..extraction.countries import default_country_table
from ..extraction.identity import Canonicaliser, learnt_aliases, slug
from ..extraction.organizations import canonicaliser
from ..output.jsonl import JsonlError, iter_jsonl, write_jsonl
from ..records import LABELS

ACCEPTED_ANSWERS = ("accept",)
SKIPPED_ANSWERS = ("reject", "ignore")


class GoldError(SummitError, ValueError):
    """A gold file that breaks the format; the message names the file, line and key."""


class GoldMismatchError(GoldError):
    """Gold text and predicted text differ in content, not only in whitespace."""


@lru_cache(maxsize=1024)
def _is_country_code(code: str) -> bool:
    """ISO 3166-1 alpha-3, or an id of the project's country table (Kosovo XKX, Northern Cyprus TRNC...)."""
    if pycountry.countries.get(alpha_3=code) is not None:
        return True
    return default_country_table().by_id(code) is not None


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One annotated mention; `id` is the identity used by the document-level score."""

    start: int
    end: int
    label: str
    text: str
    id: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label, "text": self.text, "id": self.id}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> GoldSpan:
        if not isinstance(data, dict):
            raise GoldError(f"{where}: expected an object, got {data!r}")
        values: dict[str, Any] = {}
        for key, kind in (("start", int), ("end", int), ("label", str), ("text", str), ("id", str)):
            if key not in data:
                raise GoldError(f"{where}: missing key {key!r}")
            value = data[key]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise GoldError(f"{where}, key {key!r}: expected {kind.__name__}, got {value!r}")
            values[key] = value
        if values["label"] not in LABELS:
            raise GoldError(f"{where}, key 'label': expected one of {', '.join(LABELS)}, got {values['label']!r}")
        if not values["id"].strip():
            raise GoldError(f"{where}, key 'id': expected a non-empty identity, got {values['id']!r}")
        if values["label"] == "COUNTRY" and not _is_country_code(values["id"]):
            raise GoldError(
                f"{where}, key 'id': expected an ISO 3166-1 alpha-3 code or an id of "
                f"patterns/countries.tsv, got {values['id']!r}"
            )
        return cls(**values)


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One annotated article: its cleaned text and its spans, sorted by offset."""

    doc_id: str
    source: str
    text: str
    spans: tuple[GoldSpan, ...]
    answer: str = "accept"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "meta": {"doc_id": self.doc_id, "source": self.source},
            "spans": [span.to_dict() for span in self.spans],
            "answer": self.answer,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> GoldDoc:
        """Validate one decoded line; every message starts with `where` (file and line)."""
        if not isinstance(data, dict):
            raise GoldError(f"{where}: expected a JSON object, got {type(data).__name__}")
        for key, kind in (("text", str), ("meta", dict), ("spans", list)):
            if key not in data:
                raise GoldError(f"{where}: missing key {key!r}")
            if not isinstance(data[key], kind):
                raise GoldError(f"{where}, key {key!r}: expected {kind.__name__}, got {data[key]!r:.80}")
        meta = data["meta"]
        for key in ("doc_id", "source"):
            if key not in meta:
                raise GoldError(f"{where}: missing key 'meta.{key}'")
            if not isinstance(meta[key], str) or (key == "doc_id" and not meta[key]):
                raise GoldError(f"{where}, key 'meta.{key}': expected a non-empty string, got {meta[key]!r}")
        answer = data.get("answer", "accept")
        if answer not in ACCEPTED_ANSWERS + SKIPPED_ANSWERS:
            expected = ", ".join(ACCEPTED_ANSWERS + SKIPPED_ANSWERS)
            raise GoldError(f"{where}, key 'answer': expected one of {expected}, got {answer!r}")
        text = data["text"]
        spans = []
        for index, item in enumerate(data["spans"]):
            span_where = f"{where}, spans[{index}]"
            span = GoldSpan.from_dict(item, span_where)
            if not 0 <= span.start < span.end <= len(text):
                raise GoldError(
                    f"{span_where}: offsets ({span.start}, {span.end}) out of range; expected "
                    f"0 <= start < end <= {len(text)} (the text length)"
                )
            if text[span.start : span.end] != span.text:
                raise GoldError(
                    f"{span_where}: text[{span.start}:{span.end}] is {text[span.start : span.end]!r} "
                    f"but span text is {span.text!r}"
                )
            spans.append((index, span))
        spans.sort(key=lambda pair: (pair[1].start, pair[1].end))
        for (index_a, a), (index_b, b) in itertools.pairwise(spans):
            if b.start < a.end:
                raise GoldError(
                    f"{where}, spans[{index_b}]: {b.text!r} ({b.start}, {b.end}) overlaps "
                    f"spans[{index_a}] {a.text!r} ({a.start}, {a.end}); gold spans must not overlap"
                )
        return cls(
            doc_id=meta["doc_id"],
            source=meta["source"],
            text=text,
            spans=tuple(span for _, span in spans),
            answer=answer,
        )


@dataclass(slots=True)
class GoldSet:
    """The accepted gold articles of one file or folder, plus what was skipped and a content hash."""

    docs: dict[str, GoldDoc]
    files: list[Path]
    sha256: str
    skipped: list[str] = field(default_factory=list)


def gold_files(path: str | Path) -> list[Path]:
    """The gold files under `path`: the file itself, or the folder's *.jsonl files in name order."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise GoldError(f"{path}: no *.jsonl gold files in this folder")
        return files
    if path.is_file():
        return [path]
    raise GoldError(f"{path}: no such gold file or folder")


def gold_sha256(files: Iterable[Path]) -> str:
    """One SHA-256 over the gold files' names and bytes, so any edit, addition or removal shows."""
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda item: item.name):
        digest.update(file.name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def read_gold_file(path: str | Path) -> Iterator[tuple[int, GoldDoc]]:
    """Yield (line number, validated record) for each line of one gold file, skipped ones included."""
    try:
        for line_no, data in iter_jsonl(path):
            yield line_no, GoldDoc.from_dict(data, f"{path}, line {line_no}")
    except JsonlError as error:
        raise GoldError(str(error)) from error


def load_gold_set(path: str | Path) -> GoldSet:
    """Load and validate every gold file under `path`; doc ids must be unique across files."""
    files = gold_files(path)
    sha256 = gold_sha256(files)  # hashed at load time, so it always describes what was read
    docs: dict[str, GoldDoc] = {}
    seen: dict[str, str] = {}
    skipped: list[str] = []
    for file in files:
        for line_no, doc in read_gold_file(file):
            where = f"{file}, line {line_no}"
            if doc.doc_id in seen:
                raise GoldError(
                    f"{where}, key 'meta.doc_id': duplicate doc id {doc.doc_id!r}, first seen at {seen[doc.doc_id]}"
                )
            seen[doc.doc_id] = where
            if doc.answer in SKIPPED_ANSWERS:
                skipped.append(doc.doc_id)
                continue
            docs[doc.doc_id] = doc
    return GoldSet(docs=docs, files=files, sha256=sha256, skipped=skipped)


def load_gold(path: str | Path) -> dict[str, GoldDoc]:
    """doc_id -> accepted gold article, from one file or a folder of *.jsonl files."""
    return load_gold_set(path).docs


# --- alignment onto a prediction's text ----------------------------------------------------------


def _skippable_hyphen(text: str, index: int) -> bool:
    """A hyphen at a line end ('Kazakh-\\nstan'): cleanup may join the word and drop it."""
    if text[index] not in "-\u00ad":
        return False
    rest = index + 1
    while rest < len(text) and text[rest] in " \t\r":
        rest += 1
    return text[index] == "\u00ad" or (rest < len(text) and text[rest] == "\n")


def character_map(source: str, target: str) -> list[int]:
    """For each index of `source`, the index of the same character in `target` (-1 for whitespace
    and dropped hyphens).

    A two-pointer walk rather than difflib: it only ever tolerates whitespace and line-end
    hyphens, so any other difference stops it at the first differing character, where difflib
    would quietly align around a changed word. Raises ValueError with the offsets of the difference.
    """
    mapping = [-1] * len(source)
    i = j = 0
    while True:
        while i < len(source) and source[i].isspace():
            i += 1
        while j < len(target) and target[j].isspace():
            j += 1
        if i == len(source) and j == len(target):
            return mapping
        if i < len(source) and j < len(target) and source[i] == target[j]:
            mapping[i] = j
            i += 1
            j += 1
        elif i < len(source) and _skippable_hyphen(source, i):
            i += 1
        elif j < len(target) and _skippable_hyphen(target, j):
            j += 1
        else:
            raise ValueError(f"{i}:{j}")


def _context(text: str, index: int, width: int = 30) -> str:
    return " ".join(text[max(0, index - width) : index + width].split())


def align_gold(doc: GoldDoc, text: str) -> GoldDoc:
    """`doc` with its spans moved onto `text`, which may differ from the gold text only in
    whitespace and repaired line-end hyphens; GoldMismatchError names the article otherwise."""
    if doc.text == text:
        return doc
    try:
        mapping = character_map(doc.text, text)
    except ValueError as error:
        gold_at, pred_at = (int(part) for part in str(error).split(":"))
        raise GoldMismatchError(
            f"article {doc.doc_id!r}: gold text and predicted text differ beyond whitespace: gold "
            f"offset {gold_at} reads {_context(doc.text, gold_at)!r}, predicted offset {pred_at} reads "
            f"{_context(text, pred_at)!r}; re-annotate or re-extract this article"
        ) from None
    spans = []
    for span in doc.spans:
        inside = [mapping[k] for k in range(span.start, span.end) if mapping[k] >= 0]
        if not inside:
            raise GoldMismatchError(f"article {doc.doc_id!r}: span {span.text!r} has no counterpart in the text")
        start, end = inside[0], inside[-1] + 1
        spans.append(GoldSpan(start=start, end=end, label=span.label, text=text[start:end], id=span.id))
    return GoldDoc(doc_id=doc.doc_id, source=doc.source, text=text, spans=tuple(spans), answer=doc.answer)


# --- identities of imported spans ---------------------------------------------------------------


def default_span_id(label: str, text: str, where: str) -> str:
    """The identity of a span imported without one: the country table's id for countries (every
    name the pipeline knows: "Russia", "Türkiye", "UAE"), the text itself for an all-capitals
    acronym, otherwise `slug(text)`."""
    if label == "COUNTRY":
        country = default_country_table().lookup(text)
        if country is None:
            raise GoldError(
                f"{where}: no id for country {text!r}, a name the country table does not know; add its ISO3 code"
            )
        return country.id
    compact = text.replace(" ", "")
    if label == "ORG" and compact.isalpha() and compact.isupper():
        return compact
    return slug(text)


def write_gold(docs: Iterable[GoldDoc], path: str | Path) -> int:
    return write_jsonl(path, (doc.to_dict() for doc in docs))


# --- canonical ids (corpus/GUIDELINES.md section 6) ----------------------------------------------


def canonical_gold(doc: GoldDoc, rules: Canonicaliser | None = None) -> GoldDoc:
    """`doc` with every span's id made canonical (`Canonicaliser.canonical_ids`)."""
    ids = (rules or canonicaliser()).canonical_ids([(s.label, s.id, s.text) for s in doc.spans])
    spans = tuple(dataclasses.replace(s, id=new) for s, new in zip(doc.spans, ids, strict=True))
    return dataclasses.replace(doc, spans=spans)


def migrate_gold(path: str | Path, rules: Canonicaliser | None = None) -> dict[str, dict[str, str]]:
    """Rewrite the gold files under `path` with canonical ids, the acronyms one article defines
    applying to all of the set as in a run (running it again changes nothing); returns, per
    article, each id that changed and its new value, for migrating the facts gold alongside."""
    files = gold_files(path)
    read = {file: [doc for _, doc in read_gold_file(file)] for file in files}
    mentions = ((s.label, s.id, s.text) for docs in read.values() for doc in docs for s in doc.spans)
    rules = (rules or canonicaliser()).with_aliases(learnt_aliases(mentions))
    changes: dict[str, dict[str, str]] = {}
    for file, docs in read.items():
        migrated = [canonical_gold(doc, rules) for doc in docs]
        renamed_here = {}
        for old, new in zip(docs, migrated, strict=True):
            renamed = {a.id: b.id for a, b in zip(old.spans, new.spans, strict=True) if a.id != b.id}
            if renamed:
                renamed_here[old.doc_id] = renamed
        if renamed_here:
            write_gold(migrated, file)
            changes |= renamed_here
    return changes
