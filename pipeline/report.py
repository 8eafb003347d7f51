"""One self-contained HTML report over extraction output, optionally against gold.

All CSS and JS are inline and the charts are SVG drawn here, so the file opens on a laptop
without network. Article text is untrusted: the template autoescapes every value, and the
only markup built in Python (highlights, charts) escapes each piece of text it inserts.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import scoring, tables
from .gold import GoldDoc, GoldMismatchError, GoldSpan, align_gold
from .records import LABELS, ArticleRecord, Entity

LABEL_COLORS = {"COUNTRY": "#feca74", "ORG": "#7aecec", "DOCUMENT": "#e4c6ff"}
COUNTRY_CHART_LIMIT = 30  # bars; the full list is in the countries table view


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
                  default_color: str = "#4c78a8", width: int = 460, title: str = "") -> Markup:  # fmt: skip
    """A horizontal bar chart as inline SVG: one bar per (name, value)."""
    row, pad = 20, 6
    # SVG cannot measure text, so the label column is sized from the longest name (at 12 px about
    # 8.5 px a capital, 6.8 px other characters) and capped so the bars keep most of the width.
    longest = max((sum(8.5 if c.isupper() else 6.8 for c in name) for name, _ in items), default=0)
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
        parts.append(
            f'<g class="bar"><title>{escape(name)}: {value}</title>'
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row - 6}" fill="{color}"/>'
            f'<text x="{label_width + bar + 4:.1f}" y="{y + 14}">{value}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", "templates"),
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
) -> tuple[str, ReportSummary]:
    """Render the report; with `gold`, score and mark false positives/negatives. Returns HTML and a summary."""
    records = list(records)
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
        articles.append(
            {
                "doc_id": record.doc_id,
                "source": record.source,
                "meta": record.meta,
                "html": highlight_html(record.text, predicted, missed),
                "entities": entities_by_doc.get(record.doc_id, []),
                "warning": warning,
                "score": score,
            }
        )

    country_items = [
        (f"{row['norm']} ({row['id']})", int(row["articles"]))
        for row in country_frame.head(COUNTRY_CHART_LIMIT).to_dict("records")
    ]
    pipelines = ", ".join(sorted({f"{r.pipeline.version} / {r.pipeline.model}" for r in records}))
    html = _template().render(
        source_name=source_name,
        gold_name=gold_name,
        pipelines=pipelines,
        articles=articles,
        labels=LABELS,
        label_counts=label_counts,
        entity_count=len(entity_frame),
        countries_chart=bar_chart_svg(
            country_items, default_color=LABEL_COLORS["COUNTRY"], width=520, title="Countries by number of articles"
        ),
        countries_cut=COUNTRY_CHART_LIMIT if len(country_frame) > COUNTRY_CHART_LIMIT else 0,
        labels_chart=bar_chart_svg(label_counts, colors=LABEL_COLORS, width=360, title="Mentions by label"),
        scores=None if gold is None else [row.to_dict() for row in score_rows(pairs)],
        gold_articles=len(pairs),
        errors=[error.to_dict() for error in errors],
        mentions=mention_frame.to_dict("records"),
        entities=entity_frame.to_dict("records"),
        orgs=tables.orgs_of(mention_frame).to_dict("records"),
        documents=tables.documents_of(mention_frame).to_dict("records"),
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


def write_report(
    records: Sequence[ArticleRecord],
    output: str | Path,
    **options: Any,
) -> ReportSummary:
    """Render the report and write it to `output` (UTF-8)."""
    html, summary = build_report(records, **options)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return replace(summary, path=output)
