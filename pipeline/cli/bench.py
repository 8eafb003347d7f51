"""`summit-extract bench` commands."""

from ._app import app  # noqa: F401
