"""`summit-extract train`: the shipped model's own `ner` retrained to predict COUNTRY, ORG and DOCUMENT.

Training starts from the shipped model's weights. Its other labels (PERSON, GPE, DATE, ... which the
rule components read) are kept by rehearsal: the stock model's own predictions on the training texts
are added as silver annotations wherever no gold span lies. The best `ner` of the run replaces the
stock one in a copy of the whole shipped pipeline (parser included, for the facts rules), so a
learned model costs at extraction what the shipped one costs.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from ..about import pipeline_version
from ..extraction.model import load_model, resolve_model
from ..records import LABELS
from .corpus import TrainingDataError, TrainingText, read_training_sets

CONFIG = Path(__file__).with_name("ner.cfg")
# The name a learned model is saved under; its version carries the rules fingerprint and a hash
# of the weights, so the model label in every record (and the resume check) tells two models apart.
LEARNED_NAME = "summit_learned"
# Without --dev, every DEV_EVERY-th article (by id) is kept out of training to pick the best model.
DEV_EVERY = 10


@spacy.registry.callbacks("summit.add_ner_labels.v1")
def make_add_ner_labels() -> Callable[[Language], Language]:
    """After the sourced `ner` is loaded: add the summit labels it does not predict yet."""

    def add_labels(nlp: Language) -> Language:
        ner = nlp.get_pipe("ner")
        for label in LABELS:
            ner.add_label(label)
        return nlp

    return add_labels


def training_doc(stock_doc: Doc, text: TrainingText) -> Doc:
    """The stock model's doc of the text with its entities replaced: the gold spans, and the stock
    model's own entities of the other labels where no gold span lies (rehearsal)."""
    gold = filter_spans(
        span
        for start, end, label in text.spans
        if (span := stock_doc.char_span(start, end, label, alignment_mode="expand")) is not None
    )
    taken = {i for span in gold for i in range(span.start, span.end)}
    silver = [ent for ent in stock_doc.ents if ent.label_ not in LABELS and taken.isdisjoint(range(ent.start, ent.end))]
    stock_doc.set_ents(sorted(gold + silver, key=lambda span: span.start), default="outside")
    return stock_doc


def training_docs(stock: Language, texts: Sequence[TrainingText]) -> list[Doc]:
    return [training_doc(doc, text) for doc, text in zip(stock.pipe(t.text for t in texts), texts, strict=True)]


def split_dev(texts: Sequence[TrainingText]) -> tuple[list[TrainingText], list[TrainingText]]:
    """(train, dev): every DEV_EVERY-th article by id is dev, at least one when there are two or more."""
    ordered = sorted(texts, key=lambda t: t.doc_id)
    dev = ordered[DEV_EVERY - 1 :: DEV_EVERY] or ordered[-1:]
    if len(ordered) < 2:
        raise TrainingDataError(
            f"training needs at least two articles (one is kept apart to choose the best model), got {len(ordered)}"
        )
    return [t for t in ordered if t not in dev], dev


@dataclass(slots=True)
class TrainingResult:
    output: Path
    model: str  # the model label records will carry
    train_articles: int
    dev_articles: int
    steps: int
    best_score: float
    left_out: dict[str, str] = field(default_factory=dict)


def weights_hash(nlp: Language) -> str:
    return hashlib.sha256(nlp.get_pipe("ner").to_bytes()).hexdigest()[:8]


def write_model(trained: Language, base: str, output: Path, meta: dict[str, Any]) -> str:
    """The whole base pipeline with the trained `ner` in place of its own, written to `output`."""
    nlp = spacy.load(base)
    position = nlp.pipe_names.index("ner")
    nlp.remove_pipe("ner")
    nlp.add_pipe("ner", source=trained, before=nlp.pipe_names[position] if position < len(nlp.pipe_names) else None)
    version = f"{pipeline_version().split('+', 1)[1]}.ner.{weights_hash(nlp)}"
    nlp.meta.update(name=LEARNED_NAME, version=version, summit=meta)
    nlp.meta["labels"]["ner"] = list(nlp.get_pipe("ner").labels)
    nlp.to_disk(output)
    return f"{nlp.meta['lang']}_{LEARNED_NAME}-{version}"


def train(
    gold: Iterable[str | Path],
    output: str | Path,
    *,
    articles: str | Path | None = None,
    dev: Iterable[str | Path] | None = None,
    base: str | None = None,
    config: str | Path = CONFIG,
    max_steps: int | None = None,
    seed: int = 0,
    overrides: dict[str, Any] | None = None,
    stdout: IO[str] | None = None,
) -> TrainingResult:
    """Train on the gold folders and write the best model to `output` (a folder `run --model` takes).

    `dev`: gold folders to choose the best model on (default: every tenth training article, kept out
    of training). `max_steps` caps the updates for a quick run; `overrides` are spaCy config
    overrides ("training.dropout": 0.1). Training progress goes to `stdout`.
    """
    gold = [Path(folder) for folder in gold]
    texts, left_out = read_training_sets(gold, articles)
    if dev:
        dev_texts, dev_left_out = read_training_sets(dev, articles)
        left_out.update(dev_left_out)
        overlap = {t.doc_id for t in texts} & {t.doc_id for t in dev_texts}
        if overlap:
            raise TrainingDataError(f"articles both in training and --dev gold: {', '.join(sorted(overlap))}")
        train_texts = texts
    else:
        train_texts, dev_texts = split_dev(texts)
    base = resolve_model(base)
    stock = load_model(base)
    all_overrides: dict[str, Any] = {"paths.base": base, "system.seed": seed, **(overrides or {})}
    if max_steps is not None:
        all_overrides["training.max_steps"] = max_steps
    with tempfile.TemporaryDirectory(prefix="summit-train-") as work:
        folder = Path(work)
        for name, part in (("train", train_texts), ("dev", dev_texts)):
            DocBin(docs=training_docs(stock, part), store_user_data=False).to_disk(folder / f"{name}.spacy")
            all_overrides[f"paths.{name}"] = str(folder / f"{name}.spacy")
        from spacy.training.initialize import init_nlp
        from spacy.training.loop import train as train_loop
        from spacy.util import load_config

        settings = load_config(config, overrides=all_overrides, interpolate=False)
        steps = settings["training"]["max_steps"]
        if steps and settings["training"]["eval_frequency"] > steps:
            settings["training"]["eval_frequency"] = steps
        nlp = init_nlp(settings.interpolate())
        out = stdout or sys.stdout
        (folder / "run").mkdir()
        nlp, _ = train_loop(nlp, folder / "run", stdout=out, stderr=out)
        best = spacy.load(folder / "run" / "model-best")
        score = float(best.meta.get("performance", {}).get("ents_f") or 0.0)
        meta = {
            "trained_on": [str(path) for path in gold],
            "dev": [str(path) for path in dev] if dev else f"every {DEV_EVERY}th training article",
            "train_articles": len(train_texts),
            "dev_articles": len(dev_texts),
            "seed": seed,
            "max_steps": steps,
            "base": base,
            "rules": pipeline_version(),
            "dev_ents_f": score,
        }
        label = write_model(best, base, Path(output), meta)
    return TrainingResult(Path(output), label, len(train_texts), len(dev_texts), steps, score, left_out)
