"""The Typer application every command module registers itself on.

Every project error a command lets through is worded and mapped to its exit code in one
place (`errors.py`), by the group that dispatches the commands.
"""

from __future__ import annotations

from typing import Any, NoReturn

import click
import typer
from typer.core import TyperGroup

from ..errors import SummitError
from .errors import describe, exit_code


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line to stderr and exit with `code`."""
    typer.echo(f"summit-extract: error: {message}", err=True)
    raise typer.Exit(code)


class SummitGroup(TyperGroup):
    """Turns a `SummitError` (or an OS error) from any command into one line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SummitError, OSError) as error:
            fail(describe(error), exit_code(error))


app = typer.Typer(
    name="summit-extract",
    help="Countries, organisations and documents from articles about international summits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=SummitGroup,
)
