"""The root of every error summit-extract raises on purpose.

Each module keeps its own error classes next to the code that raises them; they all derive
from `SummitError`, so a caller (the CLI above all) can tell a problem the project found and
described from a bug. `str(error)` is one line that names the file, line or key involved.
Messages say what is wrong in the library's own terms; how to fix it from the command line
(which flag to pass) is the CLI's to add.
"""

from __future__ import annotations

import importlib


class SummitError(Exception):
    """Something summit-extract checked and refused: bad input data, options or environment."""


class MissingExtraError(SummitError, ImportError):
    """A feature asked for whose library comes with an extra that is not installed."""

    def __init__(self, feature: str, module: str, extra: str) -> None:
        self.feature, self.module, self.extra = feature, module, extra
        super().__init__(
            f"{feature} needs {module}, which comes with the [{extra}] extra: pip install 'summit-extract[{extra}]'"
        )


def require_extra(module: str, extra: str, feature: str) -> None:
    """Import `module` or raise `MissingExtraError` naming `extra`, the install that brings it."""
    try:
        importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(feature, module, extra) from error


__all__ = ["MissingExtraError", "SummitError", "require_extra"]
