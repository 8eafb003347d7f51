"""Gold in the formats of annotation tools: doccano, Label Studio (JSON and JSON-MIN) and CoNLL.

`import_gold` reads what the tools really export, not only what `export_gold` writes:

- doccano JSONL, sequence labelling: `{"id": 7, "text": ..., "label": [[0, 10, "COUNTRY"]]}`
  (`"labels"` in doccano before 1.0); with relation labelling enabled:
  `{"id": 7, "text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": [...]}`.
  doccano keeps the metadata a text was uploaded with as top-level keys (before 1.0 under
  `"meta"`), so `doc_id` and `source` are read from either place.
- Label Studio JSON: a list of tasks (or one task) `{"id", "data": {"text", ...}, "annotations":
  [{"result": [{"type": "labels", "value": {"start", "end", "text", "labels"}}], "was_cancelled",
  "created_at"}]}`; cancelled or skipped annotations are left out and the latest one left is the gold.
- Label Studio JSON-MIN: one flat record per annotation, the task data keys beside the task `id`
  and one key per labelling control holding `[{"start", "end", "text", "labels"}]`.
- CoNLL 2003 (Label Studio's CONLL2003 export, or any `token ... TAG` file with IOB tags): each
  article's text is its tokens joined by spaces, which evaluation aligns onto the cleaned text.

Neither tool has a field for a span's identity. doccano keeps unknown top-level keys of a JSONL
record as metadata, so the ids travel in `"span_ids": {"start:end": id}`; Label Studio regions carry
a free-text `"meta"` (`{"text": [...]}`) shown beside the region, so the id is its first line.
Spans imported without an id get `gold.default_span_id`. The doc id is the record's `doc_id`,
else the tool's own id, else the file name (with the record's number when the file holds several).
A task nobody annotated (every annotation cancelled, or none) is kept with answer "ignore", so it is
counted but never scored as an article without entities.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..output.jsonl import JsonlError, iter_jsonl, write_jsonl
from ..records import LABELS
from .gold import GoldDoc, GoldError, default_span_id

IMPORT_FORMATS = ("doccano", "labelstudio", "conll")
EXPORT_FORMATS = ("doccano", "labelstudio")
UNANNOTATED = "ignore"  # Prodigy's answer for a record that is not gold
CONLL_DOCSTART = "-DOCSTART-"


class _Naming:
    """Doc ids for records without one: the file name, numbered when the file holds several."""

    def __init__(self, path: Path, count: int) -> None:
        self.stem = path.stem
        self.count = count

    def fallback(self, number: int) -> str:
        return self.stem if self.count == 1 else f"{self.stem}-{number}"


def _label(value: Any) -> Any:
    """The label as gold spells it: tools let projects name labels in any case ("Country")."""
    if isinstance(value, str) and value.upper() in LABELS:
        return value.upper()
    return value


def _span(text: str, start: Any, end: Any, label: Any, span_id: Any, where: str) -> dict[str, Any]:
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):  # bool is no offset
        raise GoldError(f"{where}: offsets ({start!r}, {end!r}) out of range; expected 0 <= start < end <= {len(text)}")
    label = _label(label)
    if label not in LABELS:
        raise GoldError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}; relabel or delete the span")
    if span_id is None:
        span_id = default_span_id(label, text[start:end], where)
    return {"start": start, "end": end, "label": label, "text": text[start:end], "id": span_id}


def _record(text: str, doc_id: str, source: Any, spans: list[dict[str, Any]], where: str, answer: str = "accept"):
    record = {
        "text": text,
        "meta": {"doc_id": doc_id, "source": source if isinstance(source, str) else ""},
        "spans": spans,
        "answer": answer,
    }
    return GoldDoc.from_dict(record, where)


def _tool_id(value: Any) -> str | None:
    """A tool's own record id (an integer in doccano and Label Studio) as a doc id."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, str)) and str(value).strip():
        return str(value).strip()
    return None


def _require_text(data: Any, where: str, key: str = "text") -> str:
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected a JSON object, got {type(data).__name__}")
    if not isinstance(data.get(key), str):
        keys = ", ".join(sorted(map(str, data))) or "none"
        raise GoldError(f"{where}: missing or non-string key {key!r} (the article text); keys here: {keys}")
    return data[key]


# --- doccano ------------------------------------------------------------------------------------


def to_doccano(doc: GoldDoc) -> dict[str, Any]:
    return {
        "text": doc.text,
        "label": [[span.start, span.end, span.label] for span in doc.spans],
        "doc_id": doc.doc_id,
        "source": doc.source,
        "span_ids": {f"{span.start}:{span.end}": span.id for span in doc.spans},
    }


def _doccano_meta(data: dict[str, Any], key: str) -> Any:
    """A metadata key: top level (doccano 1.x) or under "meta" (doccano before 1.0)."""
    if key in data:
        return data[key]
    meta = data.get("meta")
    return meta.get(key) if isinstance(meta, dict) else None


def from_doccano(data: Any, where: str, fallback_id: str) -> GoldDoc:
    """One line of a doccano export, in either shape (see the module docstring)."""
    text = _require_text(data, where)
    span_ids = data.get("span_ids") if isinstance(data.get("span_ids"), dict) else {}
    spans = []
    if "entities" in data:
        if not isinstance(data["entities"], list):
            raise GoldError(f"{where}, key 'entities': expected a list, got {data['entities']!r:.80}")
        for index, item in enumerate(data["entities"]):
            item_where = f"{where}, entities[{index}]"
            if not isinstance(item, dict) or not {"start_offset", "end_offset", "label"} <= item.keys():
                raise GoldError(
                    f"{item_where}: expected an object with start_offset, end_offset and label, got {item!r:.80}"
                )
            start, end = item["start_offset"], item["end_offset"]
            spans.append(_span(text, start, end, item["label"], span_ids.get(f"{start}:{end}"), item_where))
    else:
        key = "label" if "label" in data else "labels" if "labels" in data else None
        if key is None:
            raise GoldError(
                f"{where}: missing key 'label' (doccano sequence labelling) or 'entities' (with relation labelling)"
            )
        if not isinstance(data[key], list):
            raise GoldError(f"{where}, key {key!r}: expected a list of [start, end, LABEL], got {data[key]!r:.80}")
        for index, item in enumerate(data[key]):
            item_where = f"{where}, {key}[{index}]"
            if not isinstance(item, list) or len(item) != 3:
                raise GoldError(f"{item_where}: expected [start, end, LABEL], got {item!r}")
            start, end, label = item
            spans.append(_span(text, start, end, label, span_ids.get(f"{start}:{end}"), item_where))
    doc_id = _doccano_meta(data, "doc_id")
    if not (isinstance(doc_id, str) and doc_id):
        doc_id = _tool_id(data.get("id")) or fallback_id
    return _record(text, doc_id, _doccano_meta(data, "source"), spans, where)


def _import_doccano(path: Path) -> list[GoldDoc]:
    try:
        lines = list(iter_jsonl(path))
    except JsonlError as error:
        raise GoldError(str(error)) from error
    naming = _Naming(path, len(lines))
    return [
        from_doccano(data, f"{path}, line {line_no}", naming.fallback(number))
        for number, (line_no, data) in enumerate(lines, start=1)
    ]


# --- Label Studio -------------------------------------------------------------------------------


def to_labelstudio(doc: GoldDoc) -> dict[str, Any]:
    results = [
        {
            "id": f"{doc.doc_id}-{index}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
            "meta": {"text": [span.id]},
        }
        for index, span in enumerate(doc.spans)
    ]
    return {
        "data": {"text": doc.text, "doc_id": doc.doc_id, "source": doc.source},
        "annotations": [{"result": results}],
    }


def _region_span(text: str, value: Any, span_id: Any, where: str) -> dict[str, Any]:
    """A text region `{"start", "end", "text", "labels": [one label]}` as a gold span."""
    if not isinstance(value, dict) or not isinstance(value.get("labels"), list) or len(value["labels"]) != 1:
        raise GoldError(f"{where}: expected 'value' with start, end and exactly one label, got {value!r:.80}")
    span = _span(text, value.get("start"), value.get("end"), value["labels"][0], span_id, where)
    # A region text that is not at its offsets means the offsets count something else (a
    # HyperText region, or a text edited after annotation): refuse rather than shift spans.
    if isinstance(value.get("text"), str) and value["text"] != span["text"]:
        raise GoldError(
            f"{where}: region text {value['text']!r} is not the text at its offsets "
            f"({span['start']}, {span['end']}): {span['text']!r}"
        )
    return span


def _latest(annotations: list[tuple[int, dict[str, Any]]]) -> tuple[int, dict[str, Any]]:
    """The most recently created annotation; on equal or missing times the later one in the list."""
    return max(annotations, key=lambda item: (str(item[1].get("created_at") or ""), item[0]))


def from_labelstudio(task: Any, where: str, fallback_id: str) -> GoldDoc:
    """One exported task: the latest annotation that was not cancelled or skipped is the gold."""
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise GoldError(f"{where}: expected a task object with a 'data' object, got {task!r:.80}")
    data = task["data"]
    text = _require_text(data, where + ", data")
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        raise GoldError(f"{where}, key 'annotations': expected a list, got {annotations!r:.80}")
    kept = [
        (index, item)
        for index, item in enumerate(annotations)
        if isinstance(item, dict) and not (item.get("was_cancelled") or item.get("skipped"))
    ]
    doc_id = data.get("doc_id") if isinstance(data.get("doc_id"), str) and data.get("doc_id") else None
    doc_id = doc_id or _tool_id(task.get("id")) or fallback_id
    if not kept:
        return _record(text, doc_id, data.get("source"), [], where, answer=UNANNOTATED)
    index, annotation = _latest(kept)
    results = annotation.get("result") or []
    spans = []
    for number, result in enumerate(results):
        result_where = f"{where}, annotations[{index}].result[{number}]"
        if not isinstance(result, dict) or result.get("type") != "labels":
            continue  # relations, choices and other result kinds carry no spans
        meta_text = (result.get("meta") or {}).get("text") or [None]
        spans.append(_region_span(text, result.get("value"), meta_text[0], result_where))
    return _record(text, doc_id, data.get("source"), spans, where)


def _is_region_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "labels" in item and "start" in item for item in value)
    )


def from_labelstudio_min(record: Any, where: str, fallback_id: str) -> GoldDoc:
    """One JSON-MIN record: the task data keys, `id`, and the regions under their control's name."""
    text = _require_text(record, where)
    spans = []
    for key, value in record.items():
        if _is_region_list(value):
            spans += [_region_span(text, item, None, f"{where}, {key}[{n}]") for n, item in enumerate(value)]
    doc_id = record.get("doc_id") if isinstance(record.get("doc_id"), str) and record.get("doc_id") else None
    doc_id = doc_id or _tool_id(record.get("id")) or fallback_id
    # A task exported without any annotation has no annotation id; it is not gold.
    answer = UNANNOTATED if "annotation_id" in record and record["annotation_id"] is None else "accept"
    return _record(text, doc_id, record.get("source"), spans, where, answer=answer)


def _import_labelstudio(path: Path) -> list[GoldDoc]:
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GoldError(f"{path}: cannot read a Label Studio JSON export ({error})") from error
    if isinstance(tasks, dict):  # one task per file, as Label Studio writes to cloud storage
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise GoldError(f"{path}: expected a JSON list of tasks, got {type(tasks).__name__}")
    naming = _Naming(path, len(tasks))
    full = [isinstance(task, dict) and "data" in task for task in tasks]
    if all(full):
        return [
            from_labelstudio(task, f"{path}, task[{index}]", naming.fallback(index + 1))
            for index, task in enumerate(tasks)
        ]
    if any(full):
        first = full.index(False)
        raise GoldError(f"{path}, task[{first}]: no 'data' object, while other tasks have one (mixed export formats)")
    docs = [
        from_labelstudio_min(record, f"{path}, task[{index}]", naming.fallback(index + 1))
        for index, record in enumerate(tasks)
    ]
    return _latest_min_records(docs, tasks)


def _latest_min_records(docs: list[GoldDoc], records: list[Any]) -> list[GoldDoc]:
    """JSON-MIN has one record per annotation: keep each task's latest, in first-seen order."""
    chosen: dict[str, tuple[str, int]] = {}
    for index, (doc, record) in enumerate(zip(docs, records)):
        key = (str(record.get("created_at") or ""), index)
        if doc.doc_id not in chosen or key >= chosen[doc.doc_id]:
            chosen[doc.doc_id] = key
    keep = {index for _, index in chosen.values()}
    return [doc for index, doc in enumerate(docs) if index in keep]


# --- CoNLL --------------------------------------------------------------------------------------

_TAG = re.compile(r"^(?:(?P<prefix>[BIESLU])-(?P<label>.+)|O)$")


def _conll_articles(path: Path) -> list[list[tuple[int, list[str]]]]:
    """The articles of a CoNLL file as lists of (line number, fields); `[]` fields mark a sentence break.

    With several -DOCSTART- lines they separate articles and blank lines separate sentences
    (CoNLL 2003); with one or none, as Label Studio writes, each blank-line block is an article.
    """
    try:
        lines = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(f"{path}: cannot read a CoNLL file ({error})") from error
    by_docstart = sum(fields[:1] == [CONLL_DOCSTART] for fields in lines) > 1
    articles: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for line_no, fields in enumerate(lines, start=1):
        ends_article = fields[:1] == [CONLL_DOCSTART] if by_docstart else not fields
        if ends_article:
            if current:
                articles.append(current)
            current = []
        elif not fields:
            if current:
                current.append((line_no, []))
        elif fields[0] != CONLL_DOCSTART:
            current.append((line_no, fields))
    if current:
        articles.append(current)
    return articles


def _from_conll(tokens: list[tuple[int, list[str]]], path: Path, doc_id: str) -> GoldDoc:
    pieces: list[str] = []
    spans: list[dict[str, Any]] = []
    length = 0
    open_span: dict[str, Any] | None = None
    for line_no, fields in tokens:
        if not fields:
            open_span = None
            continue
        where = f"{path}, line {line_no}"
        if len(fields) < 2:
            raise GoldError(f"{where}: expected a token and a tag, got {' '.join(fields)!r}")
        token, tag = fields[0], fields[-1]
        match = _TAG.match(tag)
        if match is None:
            raise GoldError(f"{where}: tag {tag!r} is not O or B-/I-/E-/S- with a label")
        start = length + (1 if pieces else 0)
        pieces.append(token)
        length = start + len(token)
        label = _label(match["label"]) if match["label"] else None
        continues = open_span is not None and open_span["label"] == label and match["prefix"] in ("I", "E", "L")
        if label is None:
            open_span = None
        elif continues:
            open_span["end"] = length
        else:
            open_span = {"start": start, "end": length, "label": label, "where": where}
            spans.append(open_span)
        if match["prefix"] in ("E", "L", "S", "U"):
            open_span = None
    text = " ".join(pieces)
    gold_spans = [_span(text, s["start"], s["end"], s["label"], None, s["where"]) for s in spans]
    return _record(text, doc_id, "", gold_spans, f"{path}, line {tokens[0][0]}")


def _import_conll(path: Path) -> list[GoldDoc]:
    articles = _conll_articles(path)
    naming = _Naming(path, len(articles))
    return [_from_conll(tokens, path, naming.fallback(number)) for number, tokens in enumerate(articles, start=1)]


# --- both directions ----------------------------------------------------------------------------

_IMPORTERS = {"doccano": _import_doccano, "labelstudio": _import_labelstudio, "conll": _import_conll}


def import_gold(path: str | Path, fmt: str) -> list[GoldDoc]:
    """Read a doccano JSONL, Label Studio JSON / JSON-MIN or CoNLL export as validated gold articles.

    Tasks nobody annotated come back with answer "ignore" (`GoldDoc.answer`)."""
    path = Path(path)
    if fmt not in _IMPORTERS:
        raise GoldError(f"Unknown format {fmt!r}: expected one of {', '.join(IMPORT_FORMATS)}")
    if not path.is_file():
        raise GoldError(f"{path}: no such file to import")
    docs = _IMPORTERS[fmt](path)
    seen: set[str] = set()
    for doc in docs:
        if doc.doc_id in seen:
            raise GoldError(f"{path}: duplicate doc id {doc.doc_id!r}")
        seen.add(doc.doc_id)
    return docs


def export_gold(docs: Iterable[GoldDoc], path: str | Path, fmt: str) -> int:
    """Write gold articles as doccano JSONL or a Label Studio JSON list; returns the count."""
    path = Path(path)
    if fmt == "doccano":
        return write_jsonl(path, (to_doccano(doc) for doc in docs))
    if fmt == "labelstudio":
        tasks = [to_labelstudio(doc) for doc in docs]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return len(tasks)
    raise GoldError(f"Unknown format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")


__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "export_gold", "import_gold"]
