"""One self-contained HTML report over extraction output, optionally against gold.

All CSS and JS are inline and the charts are SVG drawn here, so the file opens on a laptop
without network. Article text is untrusted: the template autoescapes every value, and the
only markup built in Python (highlights, charts) escapes each piece of text it inserts.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from ..evaluation import scoring
from ..evaluation.gold import GoldDoc, GoldMismatchError, GoldSpan, align_gold
from ..records import CONFIDENCES, DEFAULT_MAX_ARTICLES, LABELS, ArticleRecord, Entity, confidence, method_of
from . import tables
from .files import write_file

LABEL_COLORS = {"COUNTRY": "#feca74", "ORG": "#7aecec", "DOCUMENT": "#e4c6ff"}
CHART_LIMIT = 30  # bars per chart; the full lists are in the tables


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One line of the accuracy table: a level (mention strict / document), a label, P/R/F1, counts."""

    level: str
    label: str
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "label": self.label,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def score_rows(pairs: Sequence[tuple[Sequence[Any], Sequence[Entity]]]) -> list[ScoreRow]:
    """Per-label and overall rows from the project scorer: strict mention level, then document level."""
    if not pairs:
        return []
    mention = scoring.score_mentions(pairs).schemes["strict"]
    rows = []
    for label, score in [*mention.labels.items(), ("ALL", mention.micro)]:
        tp = score.correct
        rows.append(ScoreRow("mention (strict)", label, score.precision, score.recall, score.f1,
                             tp, score.actual - tp, score.possible - tp))  # fmt: skip
    document = scoring.score_documents(pairs)
    for label, counts in [*document.labels.items(), ("ALL", document.micro)]:
        rows.append(ScoreRow("document", label, counts.precision, counts.recall, counts.f1,
                             counts.tp, counts.fp, counts.fn))  # fmt: skip
    return rows


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a written report contains, for the CLI to print."""

    path: Path
    articles: int
    mentions: int
    gold_articles: int
    highlighted_fp: int
    highlighted_fn: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "articles": self.articles,
            "mentions": self.mentions,
            "gold_articles": self.gold_articles,
            "highlighted_fp": self.highlighted_fp,
            "highlighted_fn": self.highlighted_fn,
        }


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    label: str
    kind: str  # "pred" or "fn"
    status: str  # "", "tp", "fp" for predictions; "fn" for missed gold spans
    title: str


def _span_key(start: int, end: int, label: str) -> tuple[int, int, str]:
    return (start, end, label)


def classify(entities: Iterable[Entity], gold_spans: Iterable[GoldSpan] | None) -> tuple[list[_Mark], list[_Mark]]:
    """Predicted marks (tp/fp by exact start, end and label) and the gold spans nobody predicted.

    With no gold (`None`) every prediction is a plain highlight and nothing is missed.
    """
    entities = list(entities)
    gold_spans = list(gold_spans) if gold_spans is not None else None
    gold_keys = {_span_key(s.start, s.end, s.label) for s in gold_spans or ()}
    predicted_keys = {_span_key(e.start, e.end, e.label) for e in entities}
    predicted = [
        _Mark(
            e.start,
            e.end,
            e.label,
            "pred",
            "" if gold_spans is None else "tp" if _span_key(e.start, e.end, e.label) in gold_keys else "fp",
            f"{e.label} · {e.id} · {e.norm} · {e.source}",
        )
        for e in entities
    ]
    missed = [
        _Mark(s.start, s.end, s.label, "fn", "fn", f"missed {s.label} · {s.id}")
        for s in gold_spans or ()
        if _span_key(s.start, s.end, s.label) not in predicted_keys
    ]
    return predicted, missed


def highlight_html(text: str, predicted: Sequence[_Mark], missed: Sequence[_Mark] = ()) -> Markup:
    """The text with predicted entities as <mark> and missed gold spans underlined.

    Predicted and missed spans may cross (a boundary error), which nested HTML cannot
    express, so the text is cut at every span boundary and each piece is wrapped in the
    marks that cover it; the label tag follows the last piece of a span.
    """
    predicted = sorted(predicted, key=lambda m: (m.start, m.end))
    missed = sorted(missed, key=lambda m: (m.start, m.end))
    everything = [*predicted, *missed]
    cuts = sorted({0, len(text), *(m.start for m in everything), *(m.end for m in everything)})
    pieces: list[str] = []
    next_pred = next_fn = 0  # one sweep over the cuts keeps long articles with many spans linear
    for left, right in itertools.pairwise(cuts):
        chunk = str(escape(text[left:right]))
        while next_pred < len(predicted) and predicted[next_pred].end <= left:
            next_pred += 1
        while next_fn < len(missed) and missed[next_fn].end <= left:
            next_fn += 1
        pred = predicted[next_pred] if next_pred < len(predicted) and predicted[next_pred].start <= left else None
        fn = missed[next_fn] if next_fn < len(missed) and missed[next_fn].start <= left else None
        if fn is not None:
            chunk = f'<span class="fn" data-label="{fn.label}" title="{escape(fn.title)}">{chunk}</span>'
            if fn.end == right:
                chunk += f'<span class="fn-label">missed {fn.label}</span>'
        if pred is not None:
            label_tag = f'<span class="ent-label">{pred.label}</span>' if pred.end == right else ""
            status = f" {pred.status}" if pred.status else ""
            chunk = (
                f'<mark class="ent ent-{pred.label}{status}" data-label="{pred.label}" '
                f'title="{escape(pred.title)}">{chunk}{label_tag}</mark>'
            )
        pieces.append(chunk)
    return Markup("".join(pieces))


def bar_chart_svg(items: Sequence[tuple[str, int]], *, colors: Mapping[str, str] | None = None,
                  default_color: str = "#4c78a8", width: int = 460, title: str = "",
                  keys: Sequence[str] | None = None) -> Markup:  # fmt: skip
    """A horizontal bar chart as inline SVG: one bar per (name, value).

    With `keys`, each bar carries its key (`data-key`) so the page can filter a table by it.
    """
    row, pad = 20, 6
    # SVG cannot measure text, so the label column is sized from the longest name (at 12 px about
    # 8.5 px a capital, 6.8 px other characters) and capped so the bars keep most of the width.
    longest = max((_text_width(name) for name, _ in items), default=0)
    label_width = int(min(width * 0.55, max(60, 16 + longest)))
    value_width = width - label_width - 40
    height = max(1, len(items)) * row + 2 * pad
    top = max((value for _, value in items), default=0) or 1
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-size="12">'
        )
    ]
    if not items:
        parts.append(f'<text x="{pad}" y="{pad + 14}" fill="#666">nothing to show</text>')
    for index, (name, value) in enumerate(items):
        y = pad + index * row
        bar = max(1.0, value_width * value / top)
        color = (colors or {}).get(name, default_color)
        key = f' data-key="{escape(keys[index])}"' if keys is not None else ""
        parts.append(
            f'<g class="bar"{key}><title>{escape(name)}: {value}</title>'
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(_fit(name, label_width - 10))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row - 6}" fill="{color}"/>'
            f'<text x="{label_width + bar + 4:.1f}" y="{y + 14}">{value}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _text_width(text: str) -> float:
    return sum(8.5 if c.isupper() else 6.8 for c in text)


def _fit(name: str, width: float) -> str:
    """The name, cut at a character with "…" so that it fits `width` px; the bar's tooltip keeps it whole."""
    if _text_width(name) <= width:
        return name
    while name and _text_width(name) + 7 > width:
        name = name[:-1]
    return name.rstrip() + "…"


def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("summit_extract.reporting", "templates"),
        autoescape=True,  # every value is escaped unless it is Markup built (and escaped) here
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("report.html.j2")


def build_report(
    records: Sequence[ArticleRecord],
    *,
    gold: Mapping[str, GoldDoc] | None = None,
    source_name: str = "",
    gold_name: str | None = None,
    max_articles: int = DEFAULT_MAX_ARTICLES,
) -> tuple[str, ReportSummary]:
    """Render the report; with `gold`, score and mark false positives/negatives. Returns HTML and a summary.

    Every table holds all rows (as JSON the page renders a page at a time); only `max_articles`
    articles, spread evenly over the run, are shown with their text highlighted.
    """
    records = list(records)
    shown_ids = {record.doc_id for record in sample_records(records, max_articles)}
    mention_frame = tables.mentions(records)
    entity_frame = tables.entities_of(mention_frame)
    country_frame = tables.countries_of(mention_frame, [record.doc_id for record in records])
    label_counter = Counter(mention_frame["label"])
    label_counts = [(label, label_counter.get(label, 0)) for label in LABELS]

    entities_by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in entity_frame.to_dict("records"):
        entities_by_doc.setdefault(row["doc_id"], []).append(row)
    articles: list[dict[str, Any]] = []
    pairs: list[tuple[Sequence[GoldSpan], Sequence[Entity]]] = []
    errors: list[scoring.MentionError] = []
    total_fp = total_fn = 0
    for record in records:
        warning, score = "", ""
        predicted, missed = classify(record.entities, None)
        if gold is not None:
            try:
                gold_doc = align_gold(gold[record.doc_id], record.text) if record.doc_id in gold else None
            except GoldMismatchError as error:
                gold_doc, warning = None, f"Not compared with gold: {error}"
            if gold_doc is None and not warning:
                warning = "No gold annotation for this article; highlights are not compared."
            if gold_doc is not None:
                pairs.append((gold_doc.spans, record.entities))
                errors.extend(scoring.list_errors(record.doc_id, record.text, gold_doc.spans, record.entities))
                predicted, missed = classify(record.entities, gold_doc.spans)
                fp = sum(mark.status == "fp" for mark in predicted)
                total_fp += fp
                total_fn += len(missed)
                score = f"{len(predicted) - fp} exact matches, {fp} false positives, {len(missed)} missed gold spans"
        if record.doc_id not in shown_ids:
            continue
        articles.append(
            {
                "doc_id": record.doc_id,
                "source": record.source,
                "meta": record.meta,
                "html": highlight_html(record.text, predicted, missed),
                "entities": entities_by_doc.get(record.doc_id, []),
                "warning": warning,
                "score": score,
                **summit_panel(record),
            }
        )

    country_frame = country_frame.head(CHART_LIMIT)
    org_frame = tables.orgs_of(mention_frame)
    document_frame = tables.documents_of(mention_frame)
    months = Counter((record.meta.published or "")[:7] or "undated" for record in records)
    timeline = sorted(months.items(), key=lambda item: (item[0] == "undated", item[0]))
    pipelines = ", ".join(sorted({f"{r.pipeline.version} / {r.pipeline.model}" for r in records}))
    table_data = {
        "mentions-table": frame_table(
            mention_frame[["doc_id", "label", "text", "id", "norm", "source", "start", "context"]],
            label="label",
            search_until=6,
        ),  # fmt: skip
        "entities-table": frame_table(entity_frame, label="label"),
        "orgs-table": frame_table(org_frame),
        "documents-table": frame_table(document_frame),
        "catalog-table": frame_table(tables.catalog(records), label="label"),
        "summits-table": frame_table(tables.summits(records)),
        "participants-table": frame_table(tables.participants(records)),
        "summit-documents-table": frame_table(tables.summit_documents(records)),
        "roles-table": frame_table(tables.roles_matrix(records)),
        "articles-table": frame_table(articles_frame(records, shown_ids, mention_frame)),
        "errors-table": frame_table(errors_frame(errors), label="label"),
    }
    html = _template().render(
        source_name=source_name,
        gold_name=gold_name,
        pipelines=pipelines,
        article_count=len(records),
        articles=articles,
        labels=LABELS,
        label_counts=label_counts,
        entity_count=len(entity_frame),
        countries_chart=bar_chart_svg(
            [(f"{row['norm']} ({row['id']})", int(row["articles"])) for row in country_frame.to_dict("records")],
            default_color=LABEL_COLORS["COUNTRY"],
            width=520,
            title="Countries by number of articles",
            keys=list(country_frame["id"]),
        ),  # fmt: skip
        orgs_chart=_top_chart(org_frame, LABEL_COLORS["ORG"], "Organisations by number of articles"),
        documents_chart=_top_chart(document_frame, LABEL_COLORS["DOCUMENT"], "Documents by number of articles"),
        timeline_chart=bar_chart_svg(
            timeline, width=360, title="Articles by month of publication", keys=[month for month, _ in timeline]
        ),  # fmt: skip
        chart_limit=CHART_LIMIT,
        labels_chart=bar_chart_svg(
            label_counts, colors=LABEL_COLORS, width=360, title="Mentions by label", keys=list(LABELS)
        ),
        scores=None if gold is None else [row.to_dict() for row in score_rows(pairs)],
        gold_articles=len(pairs),
        error_count=len(errors),
        table_data=table_json({"tables": table_data}),
    )
    summary = ReportSummary(
        path=Path(),
        articles=len(records),
        mentions=len(mention_frame),
        gold_articles=len(pairs),
        highlighted_fp=total_fp,
        highlighted_fn=total_fn,
    )
    return html, summary


def sample_records(records: Sequence[ArticleRecord], limit: int) -> list[ArticleRecord]:
    """`limit` records spread evenly over the run, in run order (all of them when there are fewer)."""
    if limit >= len(records):
        return list(records)
    step = len(records) / limit if limit else 0
    return [records[int(index * step)] for index in range(limit)]


def summit_panel(record: ArticleRecord) -> dict[str, Any]:
    """The article's summit facts for its panel: the summit with how each field was found, its participants and its
    documents with names, how each was found and their confidence, the least reliable first."""
    facts = record.facts
    names = {entity.id: entity.norm for entity in record.entities}
    if facts is None:
        return {"summit": None, "summit_found": {}, "participants": [], "summit_documents": []}
    summit = facts.summit
    participants = [
        {"id": row.id, "norm": names.get(row.id, row.id), "roles": ", ".join(row.roles)}
        | tables.found_cells({role: method_of(row.found_by, role) for role in row.roles})
        for row in facts.participants
    ]
    documents = [
        {"id": row.id, "norm": names.get(row.id, row.id), "status": row.status, "proposer": row.proposer or ""}
        | tables.found_cells({part: method_of(row.found_by, part) for part in row.stated()})
        for row in facts.documents
    ]
    methods = {} if summit is None else {name: method_of(summit.found_by, name) for name in summit.stated()}
    return {
        "summit": summit,
        "summit_found": {name: {"method": m, "confidence": confidence(m)} for name, m in methods.items()},
        "participants": sorted(participants, key=_least_reliable),
        "summit_documents": sorted(documents, key=_least_reliable),
    }


def _least_reliable(row: Mapping[str, Any]) -> int:
    return CONFIDENCES.index(row["confidence"])


def articles_frame(records: Sequence[ArticleRecord], shown_ids: set[str], mention_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per article: id, title, date, month (the timeline's key), summit, mentions, highlighted or not."""
    counts = Counter(mention_frame["doc_id"])
    rows = [
        {
            "doc_id": record.doc_id,
            "title": record.meta.title or "",
            "published": record.meta.published or "",
            "month": (record.meta.published or "")[:7] or "undated",
            "summit": tables.summit_key(record) if record.facts is not None and record.facts.summit else "",
            "mentions": counts.get(record.doc_id, 0),
            "highlighted": "yes" if record.doc_id in shown_ids else "no",
        }
        for record in records
    ]
    columns = ["doc_id", "title", "published", "month", "summit", "mentions", "highlighted"]
    return pd.DataFrame(rows, columns=columns)


def errors_frame(errors: Sequence[scoring.MentionError]) -> pd.DataFrame:
    """The mention-level errors against gold, one line each, predicted and gold side by side."""
    rows = []
    for error in errors:
        e = error.to_dict()
        predicted = f"{e['label']} “{e['text']}” {e['start']}-{e['end']}" if e.get("label") else "—"
        expected = (
            f"{e['gold_label']} “{e['gold_text']}” {e['gold_start']}-{e['gold_end']}" if e.get("gold_label") else "—"
        )
        rows.append({"doc_id": e["doc_id"], "kind": e["kind"], "label": e.get("gold_label") or e.get("label") or "",
                     "predicted": predicted, "gold": expected, "context": e["context"]})  # fmt: skip
    return pd.DataFrame(rows, columns=["doc_id", "kind", "label", "predicted", "gold", "context"])


def frame_table(
    frame: pd.DataFrame,
    *,
    label: str | None = None,
    search_until: int | None = None,
    free_text: Sequence[str] = ("context",),
) -> dict[str, Any]:
    """A table for the page: columns, which are numeric, rows as lists, the label column and searched columns.

    Text columns whose values repeat (article ids, labels, entity ids, names) are stored once each in
    `values[column]`, and their cells hold the index: a run over thousands of articles shrinks several
    times. `free_text` columns (a mention's context) are shared only between rows of one article:
    across articles they hardly repeat in a real run, and the benchmark's repeated articles must not
    gain from it.
    """
    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in frame.columns]
    cells = frame.astype(object).where(frame.notna(), "")
    values: dict[str, list[Any]] = {}
    for position, column in enumerate(frame.columns):
        if numeric[position] or not len(cells):
            continue
        if column in free_text:
            if "doc_id" not in frame.columns:
                continue
            # Free text is shared only within an article (mentions in one sentence share it),
            # never across articles, so repeated articles cost what distinct ones would.
            keys = pd.MultiIndex.from_arrays([cells["doc_id"].map(str), cells[column].map(str)])
            codes, uniques = pd.factorize(keys)
            uniques = uniques.get_level_values(1)
        else:
            codes, uniques = pd.factorize(cells[column].map(str))
        text = cells[column].map(str)
        stored = sum(map(len, uniques)) + len(codes) * (len(str(len(uniques))) + 1)
        if stored < text.str.len().sum():  # worth it only when it makes the file smaller
            values[str(position)] = list(uniques)
            cells[column] = codes
    return {
        "columns": [str(column) for column in frame.columns],
        "numeric": numeric,
        "values": values,
        "rows": cells.to_numpy().tolist(),
        "label": None if label is None else list(frame.columns).index(label),
        "search": len(frame.columns) if search_until is None else search_until,
    }


def decoded_rows(table: Mapping[str, Any]) -> list[list[Any]]:
    """A table's rows with every stored index replaced by its value, as the page shows them."""
    values = {int(position): strings for position, strings in table["values"].items()}
    return [[values[i][cell] if i in values else cell for i, cell in enumerate(row)] for row in table["rows"]]


# In a <script> element only "</" can end it early; escaping <, > and & (and the two line separators
# old parsers treat as newlines) keeps any article text inside the JSON.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def table_json(data: Mapping[str, Any]) -> Markup:
    """The tables as one JSON text safe to place inside a <script type="application/json"> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Markup(text.translate(str.maketrans(_JSON_ESCAPES)))


def _top_chart(frame: pd.DataFrame, color: str, title: str) -> Markup:
    top = frame.head(CHART_LIMIT)
    items = [(f"{row['norm']} ({row['id']})" if row["norm"] != row["id"] else str(row["id"]), int(row["articles"]))
             for row in top.to_dict("records")]  # fmt: skip
    return bar_chart_svg(items, default_color=color, width=520, title=title, keys=list(top["id"]))


def write_report(
    records: Sequence[ArticleRecord],
    output: str | Path,
    **options: Any,
) -> ReportSummary:
    """Render the report and write it to `output` (UTF-8)."""
    html, summary = build_report(records, **options)
    return replace(summary, path=write_file(output, html.encode("utf-8")))
