"""`summit-extract table` commands."""

from ._app import app  # noqa: F401
