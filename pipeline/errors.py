"""The root of every error summit-extract raises on purpose.

Each module keeps its own error classes next to the code that raises them; they all derive
from `SummitError`, so a caller (the CLI above all) can tell a problem the project found and
described from a bug. `str(error)` is one line that names the file, line or key involved.
Messages say what is wrong in the library's own terms; how to fix it from the command line
(which flag to pass) is the CLI's to add.
"""

from __future__ import annotations


class SummitError(Exception):
    """Something summit-extract checked and refused: bad input data, options or environment."""


__all__ = ["SummitError"]
