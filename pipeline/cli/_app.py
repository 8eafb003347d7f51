"""The Typer application every command module registers itself on.

Every project error a command lets through is worded and mapped to its exit code in one
place (`errors.py`), by the group that dispatches the commands.
"""

from __future__ import annotations

import select
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
import typer
from typer.core import TyperCommand, TyperGroup

from ..about import PACKAGE_NAME, __version__
from ..errors import SummitError

# The order of `summit-extract --help`: the main job first; a command not named here comes last.
COMMAND_ORDER = ("run", "table", "catalog", "report", "evaluate", "review", "train", "gold", "bench")


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


def refuse_overwrite(path: Path, force: bool) -> None:
    """The one overwrite convention of the commands that write a file: an existing one needs --force."""
    if path.exists() and not force:
        fail(f"{path} exists; pass --force to overwrite it, or choose another -o path", 2)


def _is_choice(param: click.Parameter) -> bool:
    """Whether an option takes one of a few values, which its help then lists (`<local|dask>`)."""
    descriptor = getattr(param, "type_descriptor", None)  # Typer 0.2x; older releases keep click's type
    return descriptor.is_choice if descriptor is not None else isinstance(getattr(param, "type", None), click.Choice)


def _argument_name(argument: click.Parameter) -> str:
    name = argument.metavar or str(argument.name).upper()
    if argument.nargs != 1:
        name = name.removesuffix("...") + "..."  # a metavar written as GOLD... reads GOLD..., not GOLD......
    return name if argument.required else f"[{name}]"


def stdout_is_closed() -> bool:
    """Whether nothing reads standard output any more (the reader of its pipe has gone), so that a
    broken pipe of another connection (a socket, a worker's pipe) still reports as an error."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll() on this system, or no descriptor
        return True


class SummitCommand(TyperCommand):
    """Help with the metavars of argparse and click: `--jobs JOBS`, `PATH...`, `[PREDICTIONS]`.

    Typer prints types instead (`<int range>`, `<list[str]>`, `{PATH}...`), and takes an
    argument's metavar only as its name, so the arguments' lines are drawn here.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            takes_value = param.param_type_name == "option" and not getattr(param, "is_flag", False)
            if takes_value and param.metavar is None and not _is_choice(param):
                param.metavar = max(param.opts, key=len).lstrip("-").replace("-", "_").upper()

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        arguments = [_argument_name(param) for param in self.get_params(ctx) if param.param_type_name == "argument"]
        return [self.options_metavar or "", *arguments]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params = self.get_params(ctx)
        arguments = [(_argument_name(p), p.help or "") for p in params if p.param_type_name == "argument"]
        options = [record for p in params if p.param_type_name == "option" and (record := p.get_help_record(ctx))]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class SummitTyper(typer.Typer):
    """A Typer app whose commands are `SummitCommand`s."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", SummitCommand)
        return super().command(*args, **kwargs)


class SummitGroup(TyperGroup):
    """Turns a `SummitError` (or an OS error) from any command into one line and its exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: COMMAND_ORDER.index(name) if name in COMMAND_ORDER else len(names))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SummitError, OSError) as error:
            if isinstance(error, BrokenPipeError) and stdout_is_closed():
                raise  # click's convention for every command: no message, exit 1 (`... | head`)
            # The wording imports the modules whose errors it knows; only a failing command pays for that.
            from .errors import describe, exit_code

            problems = getattr(error, "problems", None)
            if problems:  # one line for the error, then one for each problem it lists (a review sheet's rows)
                warn(f"error: {str(error).splitlines()[0]}")
                for problem in problems:
                    typer.echo(terminal_safe(problem), err=True)
                raise typer.Exit(exit_code(error)) from None
            fail(describe(error), exit_code(error))


# Plain (click-style) help: Typer's rich help prints a `<bool>` type beside every flag, which reads
# as if a flag took a value (`--force true`), and importing rich slows every `--help`.
HELP_SETTINGS: dict[str, Any] = {
    "rich_markup_mode": None,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}

app = SummitTyper(
    name="summit-extract",
    help="Countries, organisations and documents from articles about international summits.",
    no_args_is_help=True,
    cls=SummitGroup,
    **HELP_SETTINGS,
)


def command_group(name: str, help: str) -> typer.Typer:
    """A group of subcommands (`summit-extract gold ...`) with the same help style as the app."""
    group = SummitTyper(help=help, no_args_is_help=True, **HELP_SETTINGS)
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
