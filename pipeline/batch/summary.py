"""What a run did: counts, failures and one row per article, as data (the CLI prints it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..records import LABELS, ArticleRecord, ErrorRecord
from .outcomes import Outcome, Skipped


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of the per-article summary table."""

    doc_id: str
    status: str  # "extracted", "skipped" or "failed"
    countries: int = 0
    orgs: int = 0
    documents: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "status": self.status,
            "countries": self.countries,
            "orgs": self.orgs,
            "documents": self.documents,
        }


def label_counts(entities: Iterable[Any]) -> Counter[str]:
    """Entities per label, from `Entity` objects or their dicts."""
    return Counter(entity["label"] if isinstance(entity, dict) else entity.label for entity in entities)


def row_for(doc_id: str, status: str, counts: Counter[str] | None = None) -> ArticleRow:
    counts = counts or Counter()
    return ArticleRow(doc_id, status, counts["COUNTRY"], counts["ORG"], counts["DOCUMENT"])


@dataclass(slots=True)
class RunSummary:
    """What a run did, returned by `run()`."""

    output: str
    errors_output: str
    engine: str = "local"
    jobs: int = 1
    read: int = 0
    extracted: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0  # from the start of the run (the process, from the CLI) to its end: start-up included
    extract_seconds: float = 0.0  # reading and extracting the articles alone
    entities: Counter[str] = field(default_factory=Counter)
    failures: list[ErrorRecord] = field(default_factory=list)
    articles: list[ArticleRow] = field(default_factory=list)
    interrupted: bool = False
    corpus_id_records: int = 0  # records whose ids the second pass changed (`corpus_ids`)

    @property
    def words_per_second(self) -> float:
        return self.words / self.extract_seconds if self.extract_seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.interrupted else 0

    def add(self, outcome: Outcome, previous: dict[str, Counter[str]] | None = None) -> None:
        """Count one outcome; `previous` holds label counts of records already in the output."""
        self.read += 1
        if isinstance(outcome, ArticleRecord):
            counts = label_counts(outcome.entities)
            self.extracted += 1
            self.words += len(outcome.text.split())
            self.entities.update(counts)
            self.articles.append(row_for(outcome.doc_id, "extracted", counts))
        elif isinstance(outcome, Skipped):
            self.skipped += 1
            self.articles.append(row_for(outcome.doc_id, "skipped", (previous or {}).get(outcome.doc_id)))
        else:
            self.add_failure(outcome, counted=True)

    def add_failure(self, error: ErrorRecord, *, counted: bool = False) -> None:
        if not counted:
            self.read += 1
        self.failed += 1
        self.failures.append(error)
        self.articles.append(row_for(error.doc_id, "failed"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "errors_output": self.errors_output,
            "engine": self.engine,
            "jobs": self.jobs,
            "read": self.read,
            "extracted": self.extracted,
            "skipped": self.skipped,
            "failed": self.failed,
            "entities": {label: self.entities.get(label, 0) for label in LABELS},
            "failures": [failure.to_dict() for failure in self.failures],
            "articles": [row.to_dict() for row in self.articles],
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "extract_seconds": round(self.extract_seconds, 3),
            "words_per_second": round(self.words_per_second, 1),
            "interrupted": self.interrupted,
        }


__all__ = ["ArticleRow", "RunSummary", "label_counts", "row_for"]
