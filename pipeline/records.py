"""Typed records of the output contract, each with an explicit `to_dict()`.

One `ArticleRecord` is one line of the extraction JSONL. `from_dict` validates at the
boundary so every tool that reads an output file gets a message naming the bad key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .errors import SummitError

LABELS = ("COUNTRY", "ORG", "DOCUMENT")
# Roles of a country at a summit, and what happened to a document, strongest status first.
ROLES = ("host", "chair", "member", "new-member", "observer", "dialogue-partner", "partner", "guest", "candidate")
STATUSES = ("signed", "adopted", "proposed", "planned", "mentioned")
# How a fact was found ("found by"), most reliable first, and the confidence each gives (docs/facts.md says what
# each method means and how the order was measured). A fact of a record written before facts carried their method
# has none: UNKNOWN_METHOD, after every method, with "low" confidence.
METHODS = ("dateline", "title", "structure", "list", "window", "default")
CONFIDENCE = {
    "dateline": "high",
    "title": "high",
    "structure": "high",
    "list": "medium",
    "window": "medium",
    "default": "low",
}
UNKNOWN_METHOD = "unknown"
CONFIDENCES = ("low", "medium", "high")  # least reliable first, the order a reviewer checks facts in
# Articles the HTML report highlights (every table keeps all rows); kept here, beside the other constants of
# the output, so that the commands can show it in their help without importing the report and pandas.
DEFAULT_MAX_ARTICLES = 200


class RecordError(SummitError, ValueError):
    """A record that does not follow the output contract."""


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise RecordError(f"{where}: missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise RecordError(f"{where}: key {key!r} should be {expected}, got {value!r}")
    return value


_FIELD_TYPES = {"str": str, "int": int}


def _fields_of(cls: type, data: Any, where: str) -> dict[str, Any]:
    """Every str and int field of a flat record class from a decoded object, type-checked (optional
    fields, typed `int | None`, are the caller's)."""
    if not isinstance(data, dict):
        raise RecordError(f"{where}: expected an object, got {data!r}")
    return {f.name: _require(data, f.name, _FIELD_TYPES[f.type], where) for f in fields(cls) if f.type in _FIELD_TYPES}


def _check_span(label: str, start: int, end: int, text: str) -> None:
    if label not in LABELS:
        raise RecordError(f"Invalid label {label!r}: expected one of {', '.join(LABELS)}")
    if not 0 <= start < end:
        raise RecordError(f"Invalid span offsets ({start}, {end}) for {text!r}")


def _check_offsets(article_text: str, span: Entity | RejectedSpan, where: str, what: str) -> None:
    """The span's text must stand at its offsets in the article."""
    found = article_text[span.start : span.end]
    if span.end > len(article_text) or found != span.text:
        raise RecordError(f"{where}: text[{span.start}:{span.end}] is {found!r}, but the {what} says {span.text!r}")


@dataclass(frozen=True, slots=True)
class Entity:
    """One extracted mention. `text == article_text[start:end]`; raw offsets point into the input file."""

    label: str
    start: int
    end: int
    text: str
    id: str
    norm: str
    source: str
    raw_start: int = -1
    raw_end: int = -1
    page: int | None = None  # the PDF page (from 1) the mention is on; None for other formats

    def __post_init__(self) -> None:
        _check_span(self.label, self.start, self.end, self.text)
        if self.page is not None and (not isinstance(self.page, int) or isinstance(self.page, bool) or self.page < 1):
            raise RecordError(f"Invalid page {self.page!r} for {self.text!r}: expected a page number from 1")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "raw_start": self.raw_start,
            "raw_end": self.raw_end,
            "id": self.id,
            "norm": self.norm,
            "source": self.source,
        }
        if self.page is not None:
            data["page"] = self.page
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "entity") -> Entity:
        page = data.get("page") if isinstance(data, dict) else None
        if page is not None and (not isinstance(page, int) or isinstance(page, bool)):
            raise RecordError(f"{where}: key 'page' should be int, got {page!r}")
        return cls(**_fields_of(cls, data, where), page=page)


@dataclass(frozen=True, slots=True)
class RejectedSpan:
    """A candidate the resolver did not make an entity, and why (written only on request: --explain)."""

    label: str
    start: int
    end: int
    text: str
    source: str
    reason: str

    def __post_init__(self) -> None:
        _check_span(self.label, self.start, self.end, self.text)

    def to_dict(self) -> dict[str, Any]:
        # The output keys are the fields, in their order: label, start, end, text, source, reason.
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "rejected") -> RejectedSpan:
        return cls(**_fields_of(cls, data, where))


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """Metadata found in the article itself; each field is None when the article does not say."""

    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date, e.g. "2024-07-08"

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "author": self.author, "published": self.published}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "meta") -> ArticleMeta:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object, got {data!r}")
        values = {}
        for key in ("title", "author", "published"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise RecordError(f"{where}: key {key!r} should be a string or null, got {value!r}")
            values[key] = value
        return cls(**values)


@dataclass(frozen=True, slots=True)
class InputInfo:
    """How the input file was read: its format, the library that read it (None for plain text),
    its decoding, size and content hash (for resumable runs)."""

    encoding: str
    sha256: str
    bytes: int
    format: str = "txt"
    library: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": self.format}
        if self.library is not None:
            data["library"] = self.library
        data.update(encoding=self.encoding, sha256=self.sha256, bytes=self.bytes)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "input") -> InputInfo:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object, got {data!r}")
        library = data.get("library")
        if library is not None and not isinstance(library, str):
            raise RecordError(f"{where}: key 'library' should be a string, got {library!r}")
        return cls(
            encoding=_require(data, "encoding", str, where),
            sha256=_require(data, "sha256", str, where),
            bytes=_require(data, "bytes", int, where),
            format=_require(data, "format", str, where) if "format" in data else "txt",
            library=library,
        )


def _evidence(data: dict[str, Any], text_length: int, where: str) -> tuple[tuple[int, int], ...]:
    """The `evidence` spans of a fact: [start, end] pairs inside the cleaned text."""
    spans = []
    for index, pair in enumerate(_require(data, "evidence", list, where)):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
            or not 0 <= pair[0] < pair[1] <= text_length
        ):
            raise RecordError(f"{where} evidence[{index}]: expected [start, end] inside the text, got {pair!r}")
        spans.append((pair[0], pair[1]))
    return tuple(spans)


def _optional(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    return None if data.get(key) is None else _require(data, key, kind, where)


def confidence(method: str) -> str:
    """How far a fact found by `method` can be trusted: "high", "medium" or "low" (UNKNOWN_METHOD: "low")."""
    return CONFIDENCE.get(method, "low")


def method_of(found_by: Mapping[str, str], key: str) -> str:
    """The method that found part `key` of a fact (a field, a role, "status"); UNKNOWN_METHOD in an older record."""
    return found_by.get(key, UNKNOWN_METHOD)


def unreliability(method: str) -> int:
    """A method's place in METHODS (0: the most reliable); UNKNOWN_METHOD after them all."""
    return METHODS.index(method) if method in METHODS else len(METHODS)


def least_reliable(methods: Iterable[str]) -> str:
    """The least reliable of `methods`: a fact found in parts is as reliable as its weakest part."""
    return max(methods, key=unreliability, default=UNKNOWN_METHOD)


def most_reliable(methods: Iterable[str]) -> str:
    """The most reliable of `methods`: a fact several articles or rules found is as reliable as the best of them."""
    return min(methods, key=unreliability, default=UNKNOWN_METHOD)


def _found_by(data: dict[str, Any], stated: Sequence[str], where: str) -> dict[str, str]:
    """The `found_by` of a fact: each of its `stated` parts (fields, roles) -> a method of METHODS. A record
    written before facts carried their method has none: an empty mapping."""
    if "found_by" not in data:
        return {}
    found_by = _require(data, "found_by", dict, where)
    if set(found_by) != set(stated):
        raise RecordError(f"{where}: found_by names {sorted(found_by)}, expected a method for each of {sorted(stated)}")
    for key, method in found_by.items():
        if method not in METHODS:
            raise RecordError(f"{where}: found_by {key!r} is {method!r}, expected one of {', '.join(METHODS)}")
    return {key: found_by[key] for key in stated}


def _with_found_by(data: dict[str, Any], found_by: Mapping[str, str]) -> dict[str, Any]:
    """`data` with its `found_by`; a fact without methods (an older record) is written as it was read."""
    return data | {"found_by": dict(found_by)} if found_by else data


@dataclass(frozen=True, slots=True)
class Summit:
    """The summit an article reports; a field the text does not state is None."""

    organization: str
    edition: int | None = None
    city: str | None = None
    country: str | None = None
    year: int | None = None
    start: str | None = None  # ISO 8601 date
    end: str | None = None
    evidence: tuple[tuple[int, int], ...] = ()
    found_by: Mapping[str, str] = field(default_factory=dict)  # each non-null field -> its method; {}: unknown

    def stated(self) -> list[str]:
        """The fields the text states (not null), in their order."""
        return [name for name in SUMMIT_FIELDS if getattr(self, name) is not None]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in SUMMIT_FIELDS}
        return _with_found_by(data | {"evidence": [list(pair) for pair in self.evidence]}, self.found_by)

    @classmethod
    def from_dict(cls, data: Any, text_length: int, where: str = "summit") -> Summit:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object, got {data!r}")
        summit = cls(
            organization=_require(data, "organization", str, where),
            edition=_optional(data, "edition", int, where),
            city=_optional(data, "city", str, where),
            country=_optional(data, "country", str, where),
            year=_optional(data, "year", int, where),
            start=_optional(data, "start", str, where),
            end=_optional(data, "end", str, where),
            evidence=_evidence(data, text_length, where),
        )
        return replace(summit, found_by=_found_by(data, summit.stated(), where))


SUMMIT_FIELDS = ("organization", "edition", "city", "country", "year", "start", "end")


@dataclass(frozen=True, slots=True)
class Participant:
    """A country with the roles the text gives it at the summit."""

    id: str
    roles: tuple[str, ...]
    evidence: tuple[tuple[int, int], ...] = ()
    found_by: Mapping[str, str] = field(default_factory=dict)  # each role -> its method; {}: unknown

    def to_dict(self) -> dict[str, Any]:
        data = {"id": self.id, "roles": list(self.roles), "evidence": [list(pair) for pair in self.evidence]}
        return _with_found_by(data, self.found_by)

    @classmethod
    def from_dict(cls, data: Any, text_length: int, where: str = "participant") -> Participant:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object, got {data!r}")
        roles = _require(data, "roles", list, where)
        if not roles or any(role not in ROLES for role in roles) or len(set(roles)) != len(roles):
            raise RecordError(f"{where}: roles {roles!r} should be distinct names from {', '.join(ROLES)}")
        return cls(
            id=_require(data, "id", str, where),
            roles=tuple(roles),
            evidence=_evidence(data, text_length, where),
            found_by=_found_by(data, roles, where),
        )


@dataclass(frozen=True, slots=True)
class DocumentFact:
    """What happened to a document at the summit, and who proposed it when the text says."""

    id: str
    status: str
    proposer: str | None = None
    evidence: tuple[tuple[int, int], ...] = ()
    found_by: Mapping[str, str] = field(default_factory=dict)  # "status" (and "proposer") -> method; {}: unknown

    def stated(self) -> list[str]:
        return ["status"] if self.proposer is None else ["status", "proposer"]

    def to_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "status": self.status,
            "proposer": self.proposer,
            "evidence": [list(pair) for pair in self.evidence],
        }
        return _with_found_by(data, self.found_by)

    @classmethod
    def from_dict(cls, data: Any, text_length: int, where: str = "document") -> DocumentFact:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object, got {data!r}")
        status = _require(data, "status", str, where)
        if status not in STATUSES:
            raise RecordError(f"{where}: status {status!r} should be one of {', '.join(STATUSES)}")
        document = cls(
            id=_require(data, "id", str, where),
            status=status,
            proposer=_optional(data, "proposer", str, where),
            evidence=_evidence(data, text_length, where),
        )
        return replace(document, found_by=_found_by(data, document.stated(), where))


@dataclass(frozen=True, slots=True)
class Facts:
    """The summit facts of one article: its summit, the countries' roles, the documents' fates."""

    summit: Summit | None
    participants: tuple[Participant, ...] = ()
    documents: tuple[DocumentFact, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "summit": None if self.summit is None else self.summit.to_dict(),
            "participants": [row.to_dict() for row in self.participants],
            "documents": [row.to_dict() for row in self.documents],
        }

    @classmethod
    def from_dict(cls, data: Any, text_length: int, where: str = "facts") -> Facts:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object, got {data!r}")
        summit = data.get("summit")
        return cls(
            summit=None if summit is None else Summit.from_dict(summit, text_length, f"{where} summit"),
            participants=tuple(
                Participant.from_dict(row, text_length, f"{where} participants[{i}]")
                for i, row in enumerate(_require(data, "participants", list, where))
            ),
            documents=tuple(
                DocumentFact.from_dict(row, text_length, f"{where} documents[{i}]")
                for i, row in enumerate(_require(data, "documents", list, where))
            ),
        )


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    version: str
    model: str

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "model": self.model}


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article's extraction: one line of the output JSONL."""

    doc_id: str
    source: str
    text: str
    meta: ArticleMeta
    entities: tuple[Entity, ...]
    pipeline: PipelineInfo
    input: InputInfo | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    rejected: tuple[RejectedSpan, ...] | None = None  # None: not asked for, and not written
    # The text a PDF, web page or Word file gave before cleanup (raw offsets point into it);
    # None for plain text, whose raw offsets point into the decoded file itself.
    raw_text: str | None = None
    facts: Facts | None = None  # None: a record written before facts were extracted

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "doc_id": self.doc_id,
            "source": self.source,
            "text": self.text,
        }
        if self.raw_text is not None:
            data["raw_text"] = self.raw_text
        data |= {
            "meta": self.meta.to_dict(),
            "entities": [entity.to_dict() for entity in self.entities],
        }
        if self.facts is not None:
            data["facts"] = self.facts.to_dict()
        if self.rejected is not None:
            data["rejected"] = [span.to_dict() for span in self.rejected]
        data["pipeline"] = self.pipeline.to_dict()
        if self.input is not None:
            data["input"] = self.input.to_dict()
        data.update(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "record") -> ArticleRecord:
        """Validate one decoded JSON line, checking every entity's offsets against `text`."""
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected a JSON object, got {type(data).__name__}")
        doc_id = _require(data, "doc_id", str, where)
        where = f"{where} (doc_id {doc_id!r})"
        text = _require(data, "text", str, where)
        entities = []
        for index, item in enumerate(_require(data, "entities", list, where)):
            entity = Entity.from_dict(item, f"{where} entities[{index}]")
            _check_offsets(text, entity, f"{where} entities[{index}]", "entity")
            entities.append(entity)
        rejected = None
        if "rejected" in data:
            rejected = []
            for index, item in enumerate(_require(data, "rejected", list, where)):
                span = RejectedSpan.from_dict(item, f"{where} rejected[{index}]")
                _check_offsets(text, span, f"{where} rejected[{index}]", "rejected span")
                rejected.append(span)
        pipeline = _require(data, "pipeline", dict, where)
        raw_text = _require(data, "raw_text", str, where) if "raw_text" in data else None
        facts = Facts.from_dict(data["facts"], len(text), f"{where} facts") if "facts" in data else None
        known = {"doc_id", "source", "text", "raw_text", "meta", "entities", "facts", "rejected", "pipeline", "input"}
        return cls(
            doc_id=doc_id,
            source=_require(data, "source", str, where),
            text=text,
            meta=ArticleMeta.from_dict(_require(data, "meta", dict, where), f"{where} meta"),
            entities=tuple(entities),
            pipeline=PipelineInfo(
                version=_require(pipeline, "version", str, f"{where} pipeline"),
                model=_require(pipeline, "model", str, f"{where} pipeline"),
            ),
            input=InputInfo.from_dict(data["input"], f"{where} input") if data.get("input") else None,
            extra={k: v for k, v in data.items() if k not in known},
            rejected=None if rejected is None else tuple(rejected),
            raw_text=raw_text,
            facts=facts,
        )


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """One input that could not be processed: a line of `<output name>.errors.jsonl`."""

    doc_id: str
    source: str
    error: str  # a short machine-readable kind: "empty", "binary", "decode", "unreadable", ...
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "source": self.source, "error": self.error, "message": self.message}
