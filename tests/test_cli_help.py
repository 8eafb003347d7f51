"""Every command's help: plain option names (no `<bool>`), help text on every option line."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in group.commands.items():
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


COMMANDS = command_paths(typer.main.get_command(app))


def test_the_commands_are_found():
    assert {("run",), ("evaluate",), ("table",), ("report",)} <= set(COMMANDS)


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
