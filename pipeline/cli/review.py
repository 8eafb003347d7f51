"""`summit-extract review` commands."""

from ._app import app  # noqa: F401
