"""`summit-extract report` commands."""

from ._app import app  # noqa: F401
