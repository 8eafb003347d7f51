"""`summit-extract evaluate`: score extractions against gold, optionally beside stock spaCy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..records import LABELS
from ._app import app, fail, warn
from .exit_codes import RESULT_FAILS, USAGE_OR_DATA

if TYPE_CHECKING:
    from ..evaluation.evaluate import EvaluationReport

FLOAT = ".3f"


def _prf(score) -> list[float]:
    return [score.precision, score.recall, score.f1]


def render_report(report: EvaluationReport, *, show_errors: bool = False) -> str:
    """The report as plain-text tables: the same numbers as `--json`, for reading."""
    from tabulate import tabulate

    from ..evaluation.evaluate import BASELINE_NAME, SYSTEM_NAME
    from ..evaluation.scoring import ERROR_KINDS, SCHEMES

    systems = list(report.systems.values())
    ours = report.ours
    lines = [
        f"Gold: {report.gold_path} ({report.gold_articles} articles, SHA-256 {report.gold_sha256[:12]}...)",
        "",
        "Mention level, micro over all labels (SemEval-2013 schemes):",
    ]
    rows = [
        [scheme, system.name, *_prf(system.mentions.schemes[scheme].micro), system.mentions.schemes[scheme].macro_f1]
        for scheme in SCHEMES
        for system in systems
    ]
    lines.append(tabulate(rows, ["scheme", "system", "P", "R", "F1", "macro F1"], floatfmt=FLOAT))
    lines += ["", "Mention level, strict, per label:"]
    rows = []
    for label in LABELS:
        for system in systems:
            score = system.mentions.schemes["strict"].labels[label]
            rows.append([label, system.name, score.possible, score.actual, score.correct, *_prf(score)])
    lines.append(tabulate(rows, ["label", "system", "gold", "predicted", "correct", "P", "R", "F1"], floatfmt=FLOAT))
    lines += ["", "Document level (sets of label and id per article):"]
    rows = []
    for label in (*LABELS, "micro"):
        for system in systems:
            counts = system.documents.micro if label == "micro" else system.documents.labels[label]
            rows.append([label, system.name, counts.tp, counts.fp, counts.fn, *_prf(counts)])
    lines.append(tabulate(rows, ["label", "system", "tp", "fp", "fn", "P", "R", "F1"], floatfmt=FLOAT))
    lines += ["", f"Per article, strict ({SYSTEM_NAME}):"]
    rows = [[a.doc_id, a.gold, a.predicted, a.correct, a.f1] for a in sorted(ours.articles, key=lambda a: a.f1)]
    lines.append(tabulate(rows, ["doc_id", "gold", "predicted", "correct", "F1"], floatfmt=FLOAT))
    lines += ["", f"Errors by kind and label ({SYSTEM_NAME}, strict; --errors lists each one):"]
    summary = ours.error_summary()
    rows = [
        [kind, *(summary[kind].get(label, 0) for label in LABELS), sum(summary[kind].values())] for kind in ERROR_KINDS
    ]
    lines.append(tabulate(rows, ["kind", *LABELS, "total"]))
    if show_errors:
        for kind in ERROR_KINDS:
            errors = [error for error in ours.errors if error.kind == kind]
            if not errors:
                continue
            lines += ["", f"{kind} ({len(errors)}):"]
            rows = [
                [
                    e.doc_id,
                    f"{e.label} {e.text!r}" if e.label else "",
                    f"{e.gold_label} {e.gold_text!r}" if e.gold_label else "",
                    e.context,
                ]
                for e in errors
            ]
            lines.append(tabulate(rows, ["doc_id", "predicted", "gold", "context"], maxcolwidths=[None, 40, 40, 70]))
    if report.missing_predictions:
        lines += ["", "Gold articles without a prediction (scored as all missed):"]
        lines += [f"  {doc_id}: {reason}" for doc_id, reason in report.missing_predictions.items()]
    if report.left_out:
        lines += ["", "Left out of the score (no usable copy, or gold that breaks its rules):"]
        lines += [f"  {doc_id}: {reason}" for doc_id, reason in report.left_out.items()]
    if report.input_errors:
        lines += ["", "Inputs skipped:"]
        lines += [f"  {message}" for message in report.input_errors]
    if report.unmatched_predictions:
        lines += ["", "Predictions without gold (ignored): " + ", ".join(report.unmatched_predictions)]
    if report.skipped_gold:
        lines += ["", "Gold records skipped (answer reject/ignore): " + ", ".join(report.skipped_gold)]
    if BASELINE_NAME in report.systems:
        gain = ours.strict_micro_f1 - report.systems[BASELINE_NAME].strict_micro_f1
        lines += ["", f"Strict micro-F1 gain over the stock spaCy baseline: {gain:+.3f}"]
    return "\n".join(lines)


def shares_no_article(report: EvaluationReport) -> bool:
    """True when not one gold article has a prediction: scoring that would only print zeros."""
    return len(report.missing_predictions) == report.gold_articles


def no_overlap_message(report: EvaluationReport, predictions: Path) -> str:
    """Why nothing could be scored, with the ids on both sides so the mismatch shows."""

    def some(ids: list[str]) -> str:
        return ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "") if ids else "none"

    gold_ids = sorted(report.missing_predictions)
    return (
        f"{predictions} shares no article with the gold {report.gold_path}: predictions for "
        f"{some(report.unmatched_predictions)}; gold for {some(gold_ids)}. Doc ids must match: run the gold's "
        "articles (their file names give the ids) or pass --gold with the gold of these articles"
    )


@app.command("evaluate")
def evaluate_command(
    predictions: Path | None = typer.Argument(
        None,
        metavar="PREDICTIONS",
        help="Extraction output (JSONL from `summit-extract run`) to score; omit with --run.",
    ),
    gold: Path = typer.Option(..., "--gold", help="Gold file or folder of *.jsonl gold files."),
    run: bool = typer.Option(False, "--run", help="Extract the gold articles' source files now and score that."),
    model: str | None = typer.Option(
        None, "--model", help="spaCy model name or path (default: installed en_core_web_sm)."
    ),
    baseline: bool = typer.Option(
        False, "--baseline", help="Also score stock spaCy (GPE/ORG/LAW/WORK_OF_ART) on the gold texts."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON instead of tables."),
    errors: bool = typer.Option(False, "--errors", help="List every false positive and false negative with context."),
    min_f1: float | None = typer.Option(
        None, "--min-f1", min=0.0, max=1.0, help="Exit 1 when strict micro-F1 is below this."
    ),
    check: bool = typer.Option(
        False, "--check-floors", help="Exit 1 when a figure falls below the pinned floors or the gold changed."
    ),
    pin: bool = typer.Option(
        False, "--pin", help="Write this run's figures as the new floors (never lower unless --allow-lower)."
    ),
    allow_lower: bool = typer.Option(False, "--allow-lower", help="With --pin: allow floors to go down."),
    floors: Path | None = typer.Option(
        None, "--floors", help="Floors file (JSON) for --pin and --check-floors; needed with them."
    ),
    articles: Path | None = typer.Option(
        None,
        "--articles",
        metavar="DIR",
        help="With stand-off gold (--gold corpus/real/SET): the folder of your copies of its articles, "
        "named <id>.txt|.pdf|.html|.docx; they are extracted now and scored.",
    ),
    pdf_damage: bool = typer.Option(
        False, "--pdf-damage", help="With --articles: give each copy a PDF copy's damage first (wraps, hyphens, pages)."
    ),
    article_floor: list[str] | None = typer.Option(
        None,
        "--article-floor",
        help="With --pin: doc id that gets its own floor (repeatable; default: those already pinned).",
    ),
) -> None:
    """Score extractions against gold: mention level (strict, exact, partial, type), document level, errors."""
    from ..evaluation.evaluate import run_evaluation
    from ..evaluation.facts.evaluate import render_facts
    from ..evaluation.regression import check_floors, load_floors, pin_floors

    if articles is not None:
        if predictions is not None:
            fail("--articles extracts the copies itself: give no PREDICTIONS file", USAGE_OR_DATA)
        if baseline or pin:
            fail("--baseline and --pin are for bundled gold, not for --articles", USAGE_OR_DATA)
    elif (predictions is None) == (not run):
        fail("give either a PREDICTIONS file or --run (not both, not neither)", USAGE_OR_DATA)
    elif pdf_damage:
        fail("--pdf-damage only makes sense with --articles", USAGE_OR_DATA)
    if allow_lower and not pin:
        fail("--allow-lower only makes sense with --pin", USAGE_OR_DATA)
    if (pin or check) and floors is None:
        fail(
            f"{'--pin' if pin else '--check-floors'} needs --floors FILE: the floors pinned on this gold", USAGE_OR_DATA
        )
    if articles is not None:
        from ..evaluation.evaluate import run_standoff_evaluation

        report = run_standoff_evaluation(gold, articles, model=model, damage=pdf_damage)
    else:
        report = run_evaluation(gold, predictions_path=predictions, model=model, baseline=baseline)
    for message in report.input_errors:
        warn(message)
    if predictions is not None and shares_no_article(report):
        fail(no_overlap_message(report, predictions), USAGE_OR_DATA)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_report(report, show_errors=errors))
        typer.echo(render_facts(report.facts))
    status = 0
    if pin:
        result = pin_floors(report, floors, articles=article_floor or None, allow_lower=allow_lower)
        changed = ", ".join(
            f"{name} {old if old is not None else '-'} -> {new}" for name, (old, new) in result.changes.items()
        )
        typer.echo(f"Pinned floors in {floors}: {changed or 'no change'}", err=True)
    if check:
        problems = check_floors(report, load_floors(floors), floors)
        for problem in problems:
            typer.echo(f"below floor: {problem}", err=True)
        if not problems:
            typer.echo(f"Floors hold: every figure pinned in {floors} is met, on the same gold.", err=True)
        status = RESULT_FAILS if problems else status
    f1 = report.ours.strict_micro_f1
    if min_f1 is not None and f1 < min_f1:
        typer.echo(f"strict micro-F1 {f1:.4f} is below --min-f1 {min_f1}", err=True)
        status = RESULT_FAILS
    if status:
        raise typer.Exit(status)
