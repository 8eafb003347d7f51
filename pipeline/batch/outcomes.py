"""What happens to one article in a batch: a record, an error record, or skipped as already done."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import ArticleRecord, ErrorRecord

# A resumable article is identified by what went in and what processed it.
DoneKey = tuple[str, str, str, bool, bool]  # (input sha256, pipeline version, model, with rejected spans, with facts)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article already in the output with the same input hash, pipeline version and model."""

    doc_id: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "source": self.source}


Outcome = ArticleRecord | ErrorRecord | Skipped

__all__ = ["DoneKey", "Outcome", "Skipped"]
