"""Every command's help: plain option names (no `<bool>`), help text on every option line."""

from __future__ import annotations

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
