"""`summit-extract evaluate` commands."""

from ._app import app  # noqa: F401
