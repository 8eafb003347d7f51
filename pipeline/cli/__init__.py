"""Command-line interface: each module registers its commands on the shared app.

The commands only parse arguments and call importable functions that return data.
"""

from __future__ import annotations

from . import bench, evaluate, gold, report, review, run, table, train  # noqa: F401  (register commands)
from ._app import app


def main() -> None:
    app()
