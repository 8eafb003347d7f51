"""`summit-extract run`: extract a corpus into JSONL."""

from ._app import app  # noqa: F401
