"""The evaluate job: pair predictions with gold, score them, list the errors, compare with the baseline.

Everything returns data (`EvaluationReport.to_dict()`); the CLI only renders it.
Gold articles without a prediction count as all-missed and are listed; predictions without
gold are listed and otherwise ignored.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..output.jsonl import iter_jsonl
from ..paths import REPO_ROOT
from ..records import ArticleRecord, RecordError
from .facts.evaluate import evaluate_facts
from .gold import GoldDoc, GoldError, GoldMismatchError, GoldSet, GoldSpan, align_gold, load_gold_set
from .scoring import (
    ERROR_KINDS,
    DocumentScores,
    Mention,
    MentionError,
    MentionScores,
    list_errors,
    score_documents,
    score_mentions,
)

SYSTEM_NAME = "summit-extract"
BASELINE_NAME = "spacy-baseline"


@dataclass(frozen=True, slots=True)
class Prediction:
    """One system's output for one article: the text it worked on and its mentions."""

    doc_id: str
    text: str
    spans: tuple[Mention, ...]
    facts: dict[str, Any] | None = None  # the record's facts; None for a record written without them

    @classmethod
    def from_record(cls, record: ArticleRecord) -> Prediction:
        facts = None if record.facts is None else record.facts.to_dict()
        return cls(doc_id=record.doc_id, text=record.text, spans=tuple(record.entities), facts=facts)


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """Strict micro figures of one article, for per-article floors and for spotting the worst."""

    doc_id: str
    gold: int
    predicted: int
    correct: int
    f1: float
    has_prediction: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "f1": self.f1,
            "has_prediction": self.has_prediction,
        }


@dataclass(slots=True)
class SystemReport:
    """All scores of one system over the gold articles."""

    name: str
    mentions: MentionScores
    documents: DocumentScores
    articles: list[ArticleScore]
    errors: list[MentionError]

    @property
    def strict_micro_f1(self) -> float:
        return self.mentions.strict_micro_f1

    def error_summary(self) -> dict[str, dict[str, int]]:
        """kind -> label -> count; the label is the gold label, or the predicted one for spurious."""
        summary: dict[str, Counter[str]] = {kind: Counter() for kind in ERROR_KINDS}
        for error in self.errors:
            summary[error.kind][error.gold_label or error.label] += 1
        return {kind: dict(sorted(counts.items())) for kind, counts in summary.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mentions": self.mentions.to_dict(),
            "documents": self.documents.to_dict(),
            "articles": [article.to_dict() for article in self.articles],
            "error_summary": self.error_summary(),
            "errors": [error.to_dict() for error in self.errors],
        }


@dataclass(slots=True)
class EvaluationReport:
    gold_path: str
    gold_sha256: str
    gold_articles: int
    systems: dict[str, SystemReport]
    skipped_gold: list[str] = field(default_factory=list)
    missing_predictions: dict[str, str] = field(default_factory=dict)
    unmatched_predictions: list[str] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)  # unreadable sources, records skipped
    left_out: dict[str, str] = field(default_factory=dict)  # stand-off gold with no usable copy: not scored
    facts: dict[str, Any] = field(default_factory=dict)  # facts scores; empty when no article has facts gold

    @property
    def ours(self) -> SystemReport:
        return self.systems[SYSTEM_NAME]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": {
                "path": self.gold_path,
                "sha256": self.gold_sha256,
                "articles": self.gold_articles,
                "skipped": self.skipped_gold,
            },
            "missing_predictions": self.missing_predictions,
            "unmatched_predictions": self.unmatched_predictions,
            "input_errors": self.input_errors,
            "left_out": self.left_out,
            "systems": {name: system.to_dict() for name, system in self.systems.items()},
            "facts": self.facts,
        }


def score_system(name: str, gold: dict[str, GoldDoc], predictions: dict[str, Prediction]) -> SystemReport:
    """Score one system; gold spans are first moved onto each prediction's text.

    Every article whose texts differ in content is named in one GoldMismatchError, rather than
    stopping at the first.
    """
    pairs: list[tuple[Sequence[GoldSpan], Sequence[Mention]]] = []
    articles: list[ArticleScore] = []
    errors: list[MentionError] = []
    mismatches: list[str] = []
    for doc_id, doc in gold.items():
        prediction = predictions.get(doc_id)
        if prediction is None:
            text, gold_spans, predicted_spans = doc.text, doc.spans, ()
        else:
            try:
                aligned = align_gold(doc, prediction.text)
            except GoldMismatchError as error:
                mismatches.append(str(error))
                continue
            text, gold_spans, predicted_spans = prediction.text, aligned.spans, prediction.spans
        pairs.append((gold_spans, predicted_spans))
        strict = score_mentions([(gold_spans, predicted_spans)]).schemes["strict"].micro
        articles.append(
            ArticleScore(
                doc_id, len(gold_spans), len(predicted_spans), strict.correct, strict.f1, prediction is not None
            )
        )
        errors.extend(list_errors(doc_id, text, gold_spans, predicted_spans))
    if mismatches:
        raise GoldMismatchError("; ".join(mismatches))
    return SystemReport(
        name=name,
        mentions=score_mentions(pairs),
        documents=score_documents(pairs),
        articles=articles,
        errors=errors,
    )


def evaluate_predictions(
    gold: GoldSet,
    predictions: Iterable[Prediction],
    *,
    gold_path: str | Path = "",
    baseline: Iterable[Prediction] | None = None,
    missing_reasons: dict[str, str] | None = None,
    facts: dict[str, Any] | None = None,
) -> EvaluationReport:
    """Score predictions (and optionally the baseline's) against a loaded gold set."""
    if not gold.docs:
        raise GoldError(f"{gold_path or 'gold'}: no accepted gold articles to score against")
    by_id: dict[str, Prediction] = {}
    duplicates: list[str] = []
    for prediction in predictions:
        if prediction.doc_id in by_id:
            duplicates.append(f"doc id {prediction.doc_id!r} is predicted more than once; the last one is scored")
        by_id[prediction.doc_id] = prediction
    systems = {SYSTEM_NAME: score_system(SYSTEM_NAME, gold.docs, by_id)}
    if baseline is not None:
        systems[BASELINE_NAME] = score_system(BASELINE_NAME, gold.docs, {p.doc_id: p for p in baseline})
    reasons = missing_reasons or {}
    return EvaluationReport(
        gold_path=str(gold_path),
        gold_sha256=gold.sha256,
        gold_articles=len(gold.docs),
        systems=systems,
        skipped_gold=list(gold.skipped),
        missing_predictions={
            doc_id: reasons.get(doc_id, "no prediction for this article") for doc_id in gold.docs if doc_id not in by_id
        },
        unmatched_predictions=sorted(doc_id for doc_id in by_id if doc_id not in gold.docs),
        input_errors=list(reasons.values()) + duplicates,
        facts=evaluate_facts(gold_path, gold.docs, by_id.values(), facts) if gold_path else {},
    )


def baseline_predictions(gold: GoldSet, model: str | None = None, *, nlp=None) -> list[Prediction]:
    """Stock spaCy run on the gold texts themselves, so cleanup plays no part in its score."""
    from .baseline import Baseline

    baseline = Baseline(model, nlp=nlp)
    items = [(doc_id, doc.text) for doc_id, doc in gold.docs.items()]
    return [Prediction(a.doc_id, a.text, a.spans) for a in baseline.predict_many(items)]


def source_path(doc: GoldDoc, gold_path: str | Path) -> Path | None:
    """The raw article behind a gold record: `meta.source` as given, or relative to the
    repository, or to the corpus folder that holds the gold folder."""
    if not doc.source:
        return None
    given = Path(doc.source)
    gold_folder = Path(gold_path) if Path(gold_path).is_dir() else Path(gold_path).parent
    for candidate in (
        given,
        REPO_ROOT / given,
        gold_folder.parent / given,
        gold_folder.parent / "articles" / given.name,
    ):
        if candidate.is_file():
            return candidate
    return None


def extract_gold_articles(gold: GoldSet, gold_path: str | Path, extractor) -> tuple[list[Prediction], dict[str, str]]:
    """Run the extractor on the source files of the gold articles; unreadable ones are reasons."""
    from ..extraction.extract import ArticleInput
    from ..reading.reader import InputError, read_article

    items = []
    reasons: dict[str, str] = {}
    for doc_id, doc in gold.docs.items():
        path = source_path(doc, gold_path)
        if path is None:
            reasons[doc_id] = f"source file {doc.source!r} not found"
            continue
        try:
            article = read_article(path)
        except InputError as error:
            reasons[doc_id] = str(error)
            continue
        items.append(ArticleInput(doc_id=doc_id, source=doc.source, raw=article.text, input=article.input))
    from ..extraction.corpus_ids import records_with_corpus_ids
    from ..extraction.organizations import canonicaliser

    # The same second pass as `summit-extract run`, so both score the same ids.
    rules = getattr(extractor, "canonicaliser", None) or canonicaliser()
    records = records_with_corpus_ids(list(extractor.extract_many(items)), rules)
    predictions = [Prediction.from_record(record) for record in records]
    return predictions, reasons


def read_predictions(path: str | Path) -> tuple[list[Prediction], dict[str, str]]:
    """Predictions of an extraction file; a record that breaks the output contract is skipped and
    its article scored as missed, with the reason (file, line, key) kept for the report.

    A line that is not JSON at all, or a file that is not UTF-8, stops the reading: past that
    point the file cannot be trusted line by line.
    """
    predictions: list[Prediction] = []
    reasons: dict[str, str] = {}
    for line_no, data in iter_jsonl(path):
        try:
            predictions.append(Prediction.from_record(ArticleRecord.from_dict(data, where=f"{path}, line {line_no}")))
        except RecordError as error:
            doc_id = data.get("doc_id") if isinstance(data, dict) else None
            reasons[doc_id if isinstance(doc_id, str) else f"{path}, line {line_no}"] = str(error)
    return predictions, reasons


def run_evaluation(
    gold_path: str | Path,
    *,
    predictions_path: str | Path | None = None,
    model: str | None = None,
    baseline: bool = False,
    extractor=None,
    baseline_nlp=None,
) -> EvaluationReport:
    """Score an extraction file, or (without one) extract the gold articles' sources first."""
    gold = load_gold_set(gold_path)
    if not gold.docs:
        raise GoldError(f"{gold_path}: no accepted gold articles to score against")
    reasons: dict[str, str] = {}
    if predictions_path is not None:
        predictions, reasons = read_predictions(predictions_path)
    else:
        if extractor is None:
            from ..extraction.extract import Extractor

            extractor = Extractor(model)
        predictions, reasons = extract_gold_articles(gold, gold_path, extractor)
    baseline_output = baseline_predictions(gold, model, nlp=baseline_nlp) if baseline else None
    return evaluate_predictions(
        gold, predictions, gold_path=gold_path, baseline=baseline_output, missing_reasons=reasons
    )


# --- stand-off gold: real articles scored on the user's own copies ------------------------------


def copy_of(article_id: str, folder: Path) -> Path | None:
    """The user's copy of an article: a file named by its id, in any format the reader takes."""
    from ..reading.formats import FORMAT_OF_SUFFIX

    for suffix in FORMAT_OF_SUFFIX:
        path = folder / f"{article_id}{suffix}"
        if path.is_file():
            return path
    return None


def _in_region(prediction: Prediction, region: tuple[int, int]) -> Prediction:
    """Only what the prediction finds inside the annotated region: the page text around it is not gold."""
    start, end = region
    spans = tuple(span for span in prediction.spans if start <= span.start and span.end <= end)
    return dataclasses.replace(prediction, spans=spans)


def run_standoff_evaluation(
    gold_path: str | Path,
    articles: str | Path,
    *,
    model: str | None = None,
    damage: bool = False,
    extractor=None,
) -> EvaluationReport:
    """Score stand-off gold (GUIDELINES section 9) on the copies in `articles`, named by article id.

    Each copy is read in its own format, optionally given PDF-copy damage, extracted as `run` does
    (with the corpus-ids pass over the set), and the gold's mentions are found in order in its
    cleaned text. An article with no copy, an unreadable one, or one that does not hold the mentions
    in order is left out of the score with the reason. Predictions outside the annotated region
    (menus, related links) are not scored.
    """
    from ..errors import SummitError
    from ..extraction.corpus_ids import records_with_corpus_ids
    from ..extraction.extract import ArticleInput
    from ..extraction.organizations import canonicaliser
    from ..reading.reader import InputError, read_article
    from .damage import pdf_damage
    from .facts.gold import span_ids, validate_facts
    from .gold import gold_sha256
    from .standoff import AlignmentError, align, gold_doc, load_standoff_set, resolve_facts, set_rules

    golds = load_standoff_set(gold_path)
    folder = Path(articles)
    if not folder.is_dir():
        raise GoldError(f"{folder}: not a folder (--articles names the folder of the articles' copies)")
    left_out: dict[str, str] = {}
    items = []
    for gold in golds:
        path = copy_of(gold.id, folder)
        if path is None:
            left_out[gold.id] = f"no copy named {gold.id}.<txt|pdf|html|docx> in {folder}"
            continue
        try:
            article = read_article(path)
        except InputError as error:
            left_out[gold.id] = str(error)
            continue
        if damage:
            raw = pdf_damage(article.text)
            items.append(ArticleInput(doc_id=gold.id, source=str(path), raw=raw, meta=article.meta))
        else:
            items.append(
                ArticleInput(gold.id, str(path), article.text, article.input, article.page_starts, article.meta)
            )
    if extractor is None:
        from ..extraction.extract import Extractor

        extractor = Extractor(model)
    rules = getattr(extractor, "canonicaliser", None) or canonicaliser()
    records = records_with_corpus_ids(list(extractor.extract_many(items)), rules)
    gold_rules = set_rules(golds, rules)
    by_id = {gold.id: gold for gold in golds}
    docs: dict[str, GoldDoc] = {}
    facts: dict[str, Any] = {}
    predictions: list[Prediction] = []
    notes: list[str] = []
    for record in records:
        gold = by_id[record.doc_id]
        try:
            alignment = align(gold, record.text)
        except AlignmentError as error:
            left_out[gold.id] = str(error)
            continue
        try:
            doc = gold_doc(gold, record.text, alignment, record.source, gold_rules)
            article_facts = resolve_facts(gold, doc)
            if article_facts is not None:
                facts[gold.id] = validate_facts(article_facts, f"{gold.path}, facts", gold.id, span_ids(doc.spans))
        except SummitError as error:  # a gold file that breaks the rules: named, and the rest is scored
            left_out[gold.id] = f"gold: {error}"
            continue
        docs[gold.id] = doc
        if gold.region is not None and alignment.fingerprint != gold.region:
            notes.append(
                f"{gold.id}: this copy differs from the annotated one around the mentions "
                f"({alignment.fingerprint.chars} letters and digits, {gold.region.chars} annotated); "
                "scored all the same"
            )
        predictions.append(_in_region(Prediction.from_record(record), alignment.region))
    files = [gold.path for gold in golds if gold.id in docs and gold.path is not None]
    gold_set = GoldSet(docs=docs, files=files, sha256=gold_sha256(files))
    if not docs:
        reasons = "; ".join(f"{key}: {value}" for key, value in list(left_out.items())[:3])
        raise GoldError(f"{gold_path}: no article could be scored on the copies in {folder} ({reasons})")
    report = evaluate_predictions(gold_set, predictions, gold_path=gold_path, facts=facts)
    report.left_out = left_out
    report.input_errors += notes
    return report
