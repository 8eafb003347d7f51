"""Package version and the names other modules quote in output and messages."""

__version__ = "0.1.0"
PACKAGE_NAME = "summit-extract"
