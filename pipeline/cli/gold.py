"""`summit-extract gold` commands."""

from ._app import app  # noqa: F401
