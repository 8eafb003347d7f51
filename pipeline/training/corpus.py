"""Gold folders as training texts: each article's cleaned text (what the pipeline reads) and its spans.

Three kinds of folder are read: the bundled gold and a review sheet's gold (`review import`), both
Prodigy-style *.jsonl; and stand-off gold of real articles (*.json, GUIDELINES section 9), aligned
onto the user's copies the way `evaluate --articles` aligns it, and cut to the annotated region.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..cleanup.steps import clean
from ..evaluation.gold import GoldDoc, GoldError, load_gold_set
from ..evaluation.standoff import AlignmentError, align, load_standoff_set, standoff_files


class TrainingDataError(GoldError):
    """Gold that cannot be trained on; the message names the folder or article and what to do."""


@dataclass(frozen=True, slots=True)
class TrainingText:
    """One article as the pipeline sees it: cleaned text and the gold spans (start, end, label) in it."""

    doc_id: str
    text: str
    spans: tuple[tuple[int, int, str], ...]


Spans = list[tuple[int, int, str]]


def cleaned_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> tuple[str, Spans, Spans]:
    """`text` cleaned as the pipeline cleans it, with each span moved onto the cleaned text: the
    cleaned characters whose raw ranges lie inside the span's raw range. A span that cleanup
    removes entirely is dropped (returned apart for the caller to report)."""
    result = clean(text)
    # Both arrays are non-decreasing (pipeline/textmap.py), so the inside characters are one run.
    starts, ends = result.raw_starts, result.raw_ends
    moved, lost = [], []
    for start, end, label in spans:
        first, stop = bisect.bisect_left(starts, start), bisect.bisect_right(ends, end)
        piece = result.text[first:stop]
        first += len(piece) - len(piece.lstrip())
        stop -= len(piece) - len(piece.rstrip())
        if first < stop:
            moved.append((first, stop, label))
        else:
            lost.append((start, end, label))
    return result.text, moved, lost


def from_gold_doc(doc: GoldDoc) -> TrainingText:
    text, spans, _ = cleaned_spans(doc.text, ((s.start, s.end, s.label) for s in doc.spans))
    return TrainingText(doc.doc_id, text, tuple(spans))


def read_standoff_folder(folder: Path, articles: Path | None) -> tuple[list[TrainingText], dict[str, str]]:
    """Stand-off gold aligned onto the copies in `articles`; articles left out, with the reason."""
    from ..evaluation.evaluate import copy_of  # the copies `evaluate --articles` scores, named by article id
    from ..reading.reader import InputError, read_article

    if articles is None:
        raise TrainingDataError(
            f"{folder}: stand-off gold (*.json) holds no article text; give the folder of your copies of the "
            "pages with --articles DIR (files named <id>.txt, .html, .pdf or .docx)"
        )
    if not articles.is_dir():
        raise TrainingDataError(f"{articles}: not a folder (--articles names the folder of the articles' copies)")
    texts, left_out = [], {}
    for gold in load_standoff_set(folder):
        path = copy_of(gold.id, articles)
        if path is None:
            left_out[gold.id] = f"no copy named {gold.id}.<txt|pdf|html|docx> in {articles}"
            continue
        try:
            cleaned = clean(read_article(path).text).text
            alignment = align(gold, cleaned)
        except (InputError, AlignmentError) as error:
            left_out[gold.id] = str(error)
            continue
        first, last = alignment.region  # only the annotated region is gold; the page around it is not
        spans = tuple(
            (start - first, end - first, mention.label)
            for mention, (start, end) in zip(gold.mentions, alignment.spans, strict=True)
        )
        texts.append(TrainingText(gold.id, cleaned[first:last], spans))
    return texts, left_out


def read_training_folder(folder: str | Path, articles: str | Path | None = None) -> tuple[list[TrainingText], dict]:
    """The training texts of one gold folder (or file), and the articles left out with the reason."""
    folder = Path(folder)
    if folder.is_dir() and not any(folder.glob("*.jsonl")) and standoff_files(folder):
        return read_standoff_folder(folder, Path(articles) if articles is not None else None)
    gold = load_gold_set(folder)
    if not gold.docs:
        raise TrainingDataError(f"{folder}: no accepted gold articles to train on")
    return [from_gold_doc(doc) for doc in gold.docs.values()], {}


def read_training_sets(
    folders: Iterable[str | Path], articles: str | Path | None = None
) -> tuple[list[TrainingText], dict[str, str]]:
    """Every folder's training texts; an article id seen twice is refused (it would be trained on twice)."""
    texts: list[TrainingText] = []
    left_out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for folder in folders:
        found, missed = read_training_folder(folder, articles)
        for text in found:
            if text.doc_id in seen:
                raise TrainingDataError(
                    f"{folder}: article {text.doc_id!r} is also in {seen[text.doc_id]}; give each article once"
                )
            seen[text.doc_id] = str(folder)
        texts += found
        left_out.update(missed)
    if not texts:
        reasons = "; ".join(f"{key}: {value}" for key, value in list(left_out.items())[:3])
        raise TrainingDataError(f"no article to train on ({reasons or 'the gold folders are empty'})")
    return texts, left_out
