"""Every command's help: plain option names (no `<bool>`), help text on every option line."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from summit_extract.cli import app

runner = CliRunner()


def command_paths(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand; a group is what has `commands` (Typer 0.29 carries its own copy of click,
    whose groups are no `click.Group`)."""
    paths = []
    for name, command in group.commands.items():
        paths.append((*prefix, name))
        if hasattr(command, "commands"):
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


COMMANDS = command_paths(typer.main.get_command(app))


def test_run_is_the_first_command():
    result = runner.invoke(app, ["--help"])
    lines = result.stdout.splitlines()
    commands = [line.split()[0] for line in lines[lines.index("Commands:") + 1 :] if line.strip()]
    assert commands[:4] == ["run", "table", "catalog", "report"]


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda command: " ".join(command) or "summit-extract")
def test_h_is_help(command):
    short = runner.invoke(app, [*command, "-h"], env={"COLUMNS": "200"})
    assert short.exit_code == 0, short.output
    assert short.stdout == runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).stdout


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (("run",), ["Usage: summit-extract run [OPTIONS] PATH...", "  PATH...  ", "--glob GLOB", "-j, --jobs JOBS"]),
        (("evaluate",), ["Usage: summit-extract evaluate [OPTIONS] [PREDICTIONS]", "--min-f1 MIN_F1", "--gold GOLD"]),
        (("table",), ["Usage: summit-extract table [OPTIONS] EXTRACTIONS", "--view <mentions|entities|"]),
        (("gold", "migrate"), ["Usage: summit-extract gold migrate [OPTIONS] GOLD..."]),
        (
            ("gold", "fingerprint"),
            ["Usage: summit-extract gold fingerprint [OPTIONS] GOLD...\n", "  GOLD...  Stand-off"],
        ),
    ],
)
def test_metavars_name_the_value(command, expected):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    for text in expected:
        assert text in result.stdout


# What a metavar must not look like: a repeated "..." (GOLD......), a Python type (<list[str]>, <int range>), braces.
METAVAR_FAULTS = ("....", "<list[", "<int", "<float", "<str>", "<path>", "{", "}")


def metavar_faults(help_text: str) -> list[str]:
    return [fault for fault in METAVAR_FAULTS if fault in help_text]


@pytest.mark.parametrize(
    ("help_text", "faults"),
    [
        ("Usage: summit-extract gold migrate [OPTIONS] GOLD...\n  GOLD...  Gold files", []),
        ("Usage: summit-extract gold fingerprint [OPTIONS] GOLD......", ["...."]),
        ("  --items <list[str]>  Items.", ["<list["]),
        ("  --jobs <int range>  Workers.", ["<int"]),
        ("Usage: summit-extract run [OPTIONS] {PATH}...", ["{", "}"]),
        ("  --view <mentions|entities>  The view.", []),
    ],
)
def test_metavar_faults_on_hand_made_help(help_text, faults):
    assert metavar_faults(help_text) == faults


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda command: " ".join(command) or "summit-extract")
def test_no_metavar_is_doubled_a_python_type_or_braced(command):
    result = runner.invoke(app, [*command, "-h"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert metavar_faults(result.stdout) == []


def test_the_commands_are_found():
    assert {("run",), ("evaluate",), ("table",), ("report",), ("gold", "fingerprint"), ("review", "import")} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_is_plain_and_complete(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout
    usage = result.stdout.splitlines()[0]
    assert "...}" not in usage, usage  # a repeated argument reads {PATH}..., not {PATH...}...
    options = [line for line in result.stdout.splitlines() if line.strip().startswith("--")]
    assert all(len(line.split()) > 1 for line in options), options


CHECKOUT = str(Path(__file__).resolve().parent.parent)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_shows_no_path_of_a_checkout(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert CHECKOUT not in result.stdout
    assert "default: outputs/" not in result.stdout and "default: corpus/" not in result.stdout


# An installed copy has no corpus, gold or floors of ours beside it: what only a checkout holds is
# asked for, and nothing is written where the command runs.
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["evaluate", "out.jsonl"], "Missing option '--gold'"),
        (["evaluate", "out.jsonl", "--gold", "gold", "--check-floors"], "--check-floors needs --floors FILE"),
        (["evaluate", "out.jsonl", "--gold", "gold", "--pin"], "--pin needs --floors FILE"),
        (["bench", "--docs", "1"], "bench needs --source DIR"),
        (["bench", "--docs", "1", "--stages"], "bench needs --source DIR"),
        (["bench", "--report", "--articles", "1"], "--report needs --report-source FILE"),
        (["report", "out.jsonl"], "Missing option '-o' / '--output'"),
        (["review", "import", "review.csv"], "Missing option '--gold'"),
    ],
)
def test_what_only_a_checkout_has_is_asked_for(tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
