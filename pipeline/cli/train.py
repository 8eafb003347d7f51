"""`summit-extract train`: the model's `ner` retrained on gold folders, written where `run --model` reads it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ._app import app, refuse_overwrite, warn


@app.command("train")
def train_command(
    gold: Annotated[
        list[Path],
        typer.Argument(
            metavar="GOLD",
            help="Gold folders to train on: Prodigy-style *.jsonl (the bundled gold, or what `review import` "
            "wrote), or stand-off *.json of real articles with --articles.",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the trained model to.")],
    articles: Annotated[
        Path | None,
        typer.Option(
            "--articles", help="Your copies of the stand-off gold's articles, named <id>.txt/.html/.pdf/.docx."
        ),
    ] = None,
    dev: Annotated[
        list[Path] | None,
        typer.Option("--dev", help="Gold to choose the best model on (default: every tenth training article)."),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="The spaCy model to start from (default: en_core_web_sm).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="A spaCy training config (default: the bundled ner.cfg).")
    ] = None,
    max_steps: Annotated[
        int | None, typer.Option("--max-steps", min=1, help="Stop after this many updates (a quick run).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed and gold give the same model.")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing model folder.")] = False,
) -> None:
    """Retrain the model's `ner` to predict COUNTRY, ORG and DOCUMENT beside its own labels; the best
    model goes to --output, for `summit-extract run --model DIR`."""
    from ..training.train import CONFIG, train

    refuse_overwrite(output, force)
    result = train(
        gold,
        output,
        articles=articles,
        dev=dev,
        base=model,
        config=config or CONFIG,
        max_steps=max_steps,
        seed=seed,
        stdout=sys.stderr,
    )
    for doc_id, reason in result.left_out.items():
        warn(f"left out {doc_id}: {reason}")
    typer.echo(
        f"Trained on {result.train_articles} articles ({result.dev_articles} to choose the best), "
        f"{result.steps} steps at most; best entity F1 on them {result.best_score:.3f}.\n"
        f"Model {result.model} written to {result.output}; use it with: summit-extract run --model {result.output} ..."
    )
