"""`from summit_extract.run import run`: the batch job's entry point, kept where README names it.

The batch layer itself lives in `summit_extract.batch`.
"""

from __future__ import annotations

from .batch import RunError, RunSummary, Skipped, errors_path_for, run

__all__ = ["RunError", "RunSummary", "Skipped", "errors_path_for", "run"]
