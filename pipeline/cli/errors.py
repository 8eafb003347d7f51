"""How the command line words the library's errors and which exit code each one gives: all here.

Exit codes: 2 when a command could not do its work (bad usage, bad data or files, a missing
model, an output that is not ours, locked by another run or not writable); 1 when it ran and its
result fails (a run with failed articles or whose output failed after its first record, floors
broken, a check that refuses); 130 when interrupted.
"""

from __future__ import annotations

from functools import singledispatch

from ..batch.errors import (
    ForeignOutputError,
    LinkBesideOutputError,
    OptionConflictError,
    OptionError,
    OutputError,
    OutputIncompleteError,
    OutputLockedError,
    UnmatchedPatternError,
)
from ..errors import SummitError
from ..evaluation.regression import FloorLoweredError, GoldChangedError
from ..reading.sources import NoArticleError
from ..reporting.review import SheetExistsError
from .exit_codes import INTERRUPTED, RESULT_FAILS, USAGE_OR_DATA

# Errors that report a check's verdict rather than a command that could not run.
EXIT_CODES: dict[type[BaseException], int] = {
    SummitError: USAGE_OR_DATA,
    OSError: USAGE_OR_DATA,
    GoldChangedError: RESULT_FAILS,
    FloorLoweredError: RESULT_FAILS,
    OutputIncompleteError: RESULT_FAILS,  # the run started and wrote records, but not all of them
}


def exit_code(error: BaseException) -> int:
    """The exit code of the nearest class of `error` in `EXIT_CODES`."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return RESULT_FAILS


# `run()` keywords whose flag is not their name with dashes.
FLAG_NAMES = {"stdin_doc_id": "--doc-id"}


def flag(option: str) -> str:
    """`batch_size` -> `--batch-size`: a `run()` keyword as the CLI spells it."""
    return FLAG_NAMES.get(option, "--" + option.replace("_", "-"))


@singledispatch
def describe(error: BaseException) -> str:
    """One line for the user: the library's message plus, where the CLI has one, the next step."""
    return str(error)


@describe.register
def _(error: OptionError) -> str:
    return f"invalid {flag(error.option)} {error.value}: expected {error.expected}"


@describe.register
def _(error: OptionConflictError) -> str:
    needs = f"{flag(error.needs)} {error.needed_value}"
    return f"{flag(error.option)} is for {needs}; add {needs} or drop {flag(error.option)}"


@describe.register
def _(error: OutputError) -> str:
    return f"{error}; choose another -o path"


@describe.register
def _(error: LinkBesideOutputError) -> str:
    return f"{error}; remove the link (or find out who planted it), or choose another -o path"


@describe.register
def _(error: OutputLockedError) -> str:
    return f"{error}; wait for that run to end, or choose another -o path (--force does not override a lock)"


@describe.register
def _(error: OutputIncompleteError) -> str:
    return f"{error}; the output holds only whole lines: fix the cause and run the same command again to resume"


@describe.register
def _(error: SheetExistsError) -> str:
    return f"{error}; pass --force to overwrite it, or choose another -o path"


@describe.register
def _(error: UnmatchedPatternError) -> str:
    return f"{error}; check the pattern, and quote it so that the shell leaves it to summit-extract"


@describe.register
def _(error: NoArticleError) -> str:
    return f"{error}; nothing was written: give article files or folders that hold them"


@describe.register
def _(error: ForeignOutputError) -> str:
    return f"{error}; choose another -o file or pass --force to overwrite it"


__all__ = ["EXIT_CODES", "INTERRUPTED", "RESULT_FAILS", "USAGE_OR_DATA", "describe", "exit_code", "flag"]
