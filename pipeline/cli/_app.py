"""The Typer application every command module registers itself on.

Every project error a command lets through is worded and mapped to its exit code in one
place (`errors.py`), by the group that dispatches the commands.
"""

from __future__ import annotations

from typing import Any, NoReturn

import click
import typer
from typer.core import TyperGroup

from ..about import PACKAGE_NAME, __version__
from ..errors import SummitError


def terminal_safe(text: str) -> str:
    """`text` with each character that is not printable (a line break, the ESC of a terminal
    sequence, a lone surrogate) written as its escape (`\\n`, `\\x1b`), so that a file name can
    neither split a message nor drive the terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def warn(message: str) -> None:
    """Print one line to stderr, made `terminal_safe`."""
    typer.echo(f"summit-extract: {terminal_safe(message)}", err=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line to stderr and exit with `code`."""
    warn(f"error: {message}")
    raise typer.Exit(code)


class SummitGroup(TyperGroup):
    """Turns a `SummitError` (or an OS error) from any command into one line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SummitError, OSError) as error:
            # The wording imports the modules whose errors it knows; only a failing command pays for that.
            from .errors import describe, exit_code

            fail(describe(error), exit_code(error))


# Plain (click-style) help: Typer's rich help prints a `<bool>` type beside every flag, which reads
# as if a flag took a value (`--force true`), and importing rich slows every `--help`.
HELP_SETTINGS: dict[str, Any] = {"rich_markup_mode": None, "add_completion": False, "pretty_exceptions_enable": False}

app = typer.Typer(
    name="summit-extract",
    help="Countries, organisations and documents from articles about international summits.",
    no_args_is_help=True,
    cls=SummitGroup,
    **HELP_SETTINGS,
)


def command_group(name: str, help: str) -> typer.Typer:
    """A group of subcommands (`summit-extract gold ...`) with the same help style as the app."""
    group = typer.Typer(help=help, no_args_is_help=True, **HELP_SETTINGS)
    app.add_typer(group, name=name)
    return group


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"{PACKAGE_NAME} {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
    ),
) -> None:
    """Countries, organisations and documents from articles about international summits."""
