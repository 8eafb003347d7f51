"""From raw article text to an `ArticleRecord`: cleanup, the spaCy pipeline, offsets back to the raw text."""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..about import pipeline_version
from ..cleanup.metadata import extract_metadata
from ..cleanup.steps import CleanText, clean
from ..records import LABELS, ArticleMeta, ArticleRecord, Entity, Facts, InputInfo, PipelineInfo, RejectedSpan
from ..rules import RuleData, load_rules
from .components import add_summit_components
from .components.candidates import doc_with_text
from .components.ner_filter import PLACES_GROUP
from .components.resolver import rejected_of
from .facts.extract import Place, extract_facts, sentences_to_parse
from .facts.structure import StructureRoles
from .identity import Canonicaliser
from .model import load_model, load_parser, model_label, sentence_parser
from .organizations import canonicaliser


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article to extract: its id, where it came from, its raw text (decoded, or taken out of
    a PDF, web page or Word file), where each PDF page begins in it, and the file's own metadata."""

    doc_id: str
    source: str
    raw: str
    input: InputInfo | None = None
    page_starts: tuple[int, ...] | None = None
    meta: ArticleMeta | None = None


def input_info_for_text(raw: str) -> InputInfo:
    data = raw.encode("utf-8")
    return InputInfo(encoding="utf-8", sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))


def build_pipeline(model: str | None = None, patterns: str | Path | None = None) -> Language:
    """The extraction pipeline: the model's NER plus the summit rule components.

    `patterns`: a folder of the user's own pattern files, added to the bundled rules.
    """
    load_rules(patterns)  # a bad pattern file stops here, before the model loads
    nlp = load_model(model, keep_parser=True)  # disabled, for the facts' sentence parser
    add_summit_components(nlp, patterns)
    return nlp


def rule_data_of(nlp: Language) -> RuleData:
    """The rule data the pipeline's summit components hold (bundled, a user's, or read from disk)."""
    files: dict[str, object] = {}
    for _, component in nlp.pipeline:
        data = getattr(component, "rule_data", None)
        for name in getattr(component, "RULE_FILES", ()) if data is not None else ():
            files.setdefault(name, data.files[name])
    return RuleData(files)


class Extractor:
    """Holds one loaded pipeline and turns articles into records.

    With `explain=True` each record also lists the candidates that lost (`rejected`), each
    with its source and the reason.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        patterns: str | Path | None = None,
        nlp: Language | None = None,
        explain: bool = False,
        facts: bool = True,
    ) -> None:
        self.nlp = nlp if nlp is not None else build_pipeline(model, patterns)
        self.explain = explain
        self.facts = facts  # False: records without `facts` (what `bench --stages` times them against)
        self._model = model
        self._structure: StructureRoles | None | bool = False  # loaded at the first article that needs it
        rule_data = rule_data_of(self.nlp)
        version = pipeline_version(rule_data)
        self.canonicaliser = canonicaliser(rule_data)
        self.pipeline_info = PipelineInfo(version=version, model=model_label(self.nlp))

    @property
    def structure(self) -> StructureRoles | None:
        """The facts rules' reader of sentence structure: the model's own parser, loaded once, on first use."""
        if self._structure is False:
            parse = sentence_parser(self.nlp)
            if parse is None:  # a pipeline built elsewhere: the model's parser loaded on its own
                parser = load_parser(self._model)
                parse = None if parser is None else (lambda texts: list(parser.pipe(texts)))
            self._structure = None if parse is None else StructureRoles(parse)
        return self._structure

    def extract(
        self, text: str, *, doc_id: str = "text", source: str = "<string>", explain: bool | None = None
    ) -> ArticleRecord:
        """Extract one article given as a string; `explain` overrides the extractor's setting."""
        item = ArticleInput(doc_id=doc_id, source=source, raw=text, input=input_info_for_text(text))
        return next(self.extract_many([item], explain=explain))

    def extract_many(
        self, items: Iterable[ArticleInput], *, batch_size: int = 16, explain: bool | None = None
    ) -> Iterator[ArticleRecord]:
        """Stream records in input order; texts go through `nlp.pipe` in batches.

        A text longer than a piece (`PIECE_CHARACTERS`, or `nlp.max_length` when that is smaller) goes
        through in pieces (see `text_pieces`), whose entities are put back at their offsets in the whole text.
        """
        limit = min(self.nlp.max_length, PIECE_CHARACTERS)

        def pieces() -> Iterator[tuple[Doc, tuple[CleanText, ArticleInput, int, bool]]]:
            for item in items:
                result = clean(item.raw)
                ranges = text_pieces(result.text, limit) if len(result.text) > limit else None
                for index, (start, end) in enumerate(ranges or [(0, len(result.text))]):
                    last = ranges is None or index == len(ranges) - 1
                    yield doc_with_text(self.nlp, result.text[start:end]), (result, item, start, last)

        done: list[tuple[int, Doc]] = []
        articles: list[tuple[list[tuple[int, Doc]], CleanText, ArticleInput]] = []
        for doc, (result, item, start, last) in self.nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
            done.append((start, doc))
            if last:
                articles.append((done, result, item))
                done = []
            if len(articles) == batch_size:
                yield from self._records(articles, explain)
                articles = []
        yield from self._records(articles, explain)

    def _records(
        self, articles: list[tuple[list[tuple[int, Doc]], CleanText, ArticleInput]], explain: bool | None
    ) -> Iterator[ArticleRecord]:
        """The records of a batch of articles, the sentences their facts read parsed in one call."""
        entities = [self.entities_of_pieces(pieces, cleaned, item) for pieces, cleaned, item in articles]
        structure = self.structure if self.facts and articles else None
        if structure is not None:
            structure.parse_ahead(
                [
                    s
                    for (_, c, _), e in zip(articles, entities, strict=True)
                    for s in sentences_to_parse(c.text, e, structure)
                ]
            )
        try:
            for (pieces, cleaned, item), found in zip(articles, entities, strict=True):
                yield self.record_of_pieces(pieces, cleaned, item, explain=explain, entities=found)
        finally:
            if structure is not None:
                structure.parse_ahead([])

    def entities_of_pieces(
        self, pieces: Sequence[tuple[int, Doc]], cleaned: CleanText, item: ArticleInput
    ) -> tuple[Entity, ...]:
        return canonical_entities(
            [entity for start, doc in pieces for entity in entities_of(doc, cleaned, start, item.page_starts)],
            self.canonicaliser,
        )

    def to_record(
        self, doc: Doc, cleaned: CleanText, item: ArticleInput, *, explain: bool | None = None
    ) -> ArticleRecord:
        return self.record_of_pieces([(0, doc)], cleaned, item, explain=explain)

    def record_of_pieces(
        self,
        pieces: Sequence[tuple[int, Doc]],
        cleaned: CleanText,
        item: ArticleInput,
        *,
        explain: bool | None = None,
        entities: tuple[Entity, ...] | None = None,
    ) -> ArticleRecord:
        """The record of an article processed as `pieces`: (offset in the cleaned text, doc); `entities`: those
        of `entities_of_pieces`, when the caller has them."""
        explain = self.explain if explain is None else explain
        from_file = item.input is not None and item.input.format != "txt"
        if entities is None:
            entities = self.entities_of_pieces(pieces, cleaned, item)
        meta = merged_meta(item.meta, extract_metadata(cleaned.text))
        facts = None
        if self.facts:
            places = [
                Place(start + span.start_char, start + span.end_char, span.text)
                for start, doc in pieces
                for span in doc.spans.get(PLACES_GROUP, ())
            ]
            found = extract_facts(
                cleaned.text, entities, places=places, published=meta.published, structure=self.structure
            )
            # Checked like a record read back from disk, so a rule that writes a bad fact fails here.
            facts = Facts.from_dict(found, len(cleaned.text))
        return ArticleRecord(
            doc_id=item.doc_id,
            source=item.source,
            text=cleaned.text,
            meta=meta,
            entities=entities,
            facts=facts,
            pipeline=self.pipeline_info,
            input=item.input,
            rejected=tuple(span for start, doc in pieces for span in rejected_spans(doc, start)) if explain else None,
            raw_text=item.raw if from_file else None,
        )


def merged_meta(stated: ArticleMeta | None, found: ArticleMeta) -> ArticleMeta:
    """What the file states (a page's <title>, author and date markup) first, what the text shows after."""
    if stated is None:
        return found
    return ArticleMeta(
        title=stated.title or found.title,
        author=stated.author or found.author,
        published=stated.published or found.published,
    )


# spaCy refuses texts longer than `nlp.max_length` (1,000,000 characters by default, error E088)
# because the model's memory grows with the text (one doc of 1,000,000 characters peaked at 2.6 GB); an
# article longer than this is cut into pieces of at most this many characters, which keeps memory near
# that of an ordinary article. A name is cut only
# when it runs across a piece's end, and an acronym defined in one piece is not linked in the next.
PIECE_CHARACTERS = 100_000
# Where a piece may end, best first: after a blank line, a line end, a sentence, a word.
_PIECE_BREAKS = ("\n\n", "\n", ". ", " ")


def text_pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) ranges that cover `text` in order, each at most `limit` characters and cut at
    the best break in the second half of the range (anywhere when it has none)."""
    ranges, start = [], 0
    while len(text) - start > limit:
        stop = start + limit
        end = stop
        for separator in _PIECE_BREAKS:
            found = text.rfind(separator, start + limit // 2, stop)
            if found >= 0:
                end = found + len(separator)
                break
        ranges.append((start, end))
        start = end
    ranges.append((start, len(text)))
    return ranges


def page_of(raw_offset: int, page_starts: Sequence[int]) -> int:
    """The page (from 1) whose text holds `raw_offset`, given where each page starts."""
    return max(1, bisect.bisect_right(page_starts, raw_offset))


def entities_of(
    doc: Doc, cleaned: CleanText, offset: int = 0, page_starts: Sequence[int] | None = None
) -> Iterator[Entity]:
    """Entities of a processed doc, with offsets mapped back to the raw text (and its PDF page);
    `offset` is where the doc's text starts in the cleaned text (for a piece of a long article)."""
    for span in doc.ents:
        if span.label_ not in LABELS:
            continue
        start, end = span.start_char + offset, span.end_char + offset
        raw_start, raw_end = cleaned.raw_span(start, end)
        yield Entity(
            label=span.label_,
            start=start,
            end=end,
            text=span.text,
            id=span.kb_id_ or span.id_,
            norm=span._.summit_norm or span.text,
            source=span._.summit_source or "unknown",
            raw_start=raw_start,
            raw_end=raw_end,
            page=page_of(raw_start, page_starts) if page_starts else None,
        )


def canonical_entities(entities: Sequence[Entity], rules: Canonicaliser) -> tuple[Entity, ...]:
    """One article's entities with their canonical ids (`Canonicaliser.canonical_ids`)."""
    ids = rules.canonical_ids([(e.label, e.id, e.text) for e in entities])
    return tuple(e if e.id == new else dataclasses.replace(e, id=new) for e, new in zip(entities, ids, strict=True))


def rejected_spans(doc: Doc, offset: int = 0) -> Iterator[RejectedSpan]:
    """The candidates the resolver kept out of `doc.ents`, in text order, with the reason each lost."""
    for span, reason in rejected_of(doc):
        yield RejectedSpan(
            label=span.label_,
            start=span.start_char + offset,
            end=span.end_char + offset,
            text=span.text,
            source=span.id_,
            reason=reason,
        )


_DEFAULT_EXTRACTOR: Extractor | None = None


def extract(
    text: str,
    *,
    model: str | None = None,
    patterns: str | Path | None = None,
    doc_id: str = "text",
    explain: bool = False,
) -> ArticleRecord:
    """Extract one text with a pipeline that is loaded once and then reused (a new one for
    `model` or `patterns`). `explain=True` adds the record's `rejected` list: the spans that
    lost, and why."""
    global _DEFAULT_EXTRACTOR
    if model is not None or patterns is not None:
        return Extractor(model, patterns=patterns).extract(text, doc_id=doc_id, explain=explain)
    if _DEFAULT_EXTRACTOR is None:
        _DEFAULT_EXTRACTOR = Extractor()
    return _DEFAULT_EXTRACTOR.extract(text, doc_id=doc_id, explain=explain)
