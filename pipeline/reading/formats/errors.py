"""The one error every reader raises for an input that cannot become an article."""

from __future__ import annotations

from ...errors import SummitError

# Each kind is the `error` of the input's line in `<output name>.errors.jsonl`.
INPUT_ERROR_KINDS = (
    "empty",
    "binary",
    "too-large",
    "unreadable",
    "missing",  # a file that vanished after it was listed, or a symbolic link to nothing
    "decode",
    "no-text-layer",  # a PDF whose pages hold no text (a scan)
    "encrypted",  # a PDF or Word file that needs a password
    "corrupt",  # a PDF or Word file that is truncated or not what its suffix says
    "no-article",  # a web page that is only navigation, links or boilerplate
)


def one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class InputError(SummitError):
    """An input that cannot be read as an article; `str(error)` names the file and the reason."""

    def __init__(self, kind: str, source: str, reason: str) -> None:
        if kind not in INPUT_ERROR_KINDS:
            raise ValueError(f"Invalid input error kind {kind!r}: expected one of {', '.join(INPUT_ERROR_KINDS)}")
        self.kind = kind
        self.source = source
        self.reason = reason
        self.message = one_line(f"{source}: {reason}, skipped")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


__all__ = ["INPUT_ERROR_KINDS", "InputError", "one_line"]
