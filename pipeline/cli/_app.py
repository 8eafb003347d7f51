"""The Typer application every command module registers itself on."""

from __future__ import annotations

from typing import NoReturn

import typer

app = typer.Typer(
    name="summit-extract",
    help="Countries, organisations and documents from articles about international summits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line to stderr and exit with `code`."""
    typer.echo(f"summit-extract: error: {message}", err=True)
    raise typer.Exit(code)
