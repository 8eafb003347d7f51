"""summit-extract: countries, organisations and documents from articles about international summits.

>>> from summit_extract import extract
>>> record = extract("Leaders adopted the Astana Declaration in Kazakhstan.")
>>> [(e.label, e.text, e.id) for e in record.entities]
[('DOCUMENT', 'Astana Declaration', 'astana-declaration'), ('COUNTRY', 'Kazakhstan', 'KAZ')]
>>> nlp = build_pipeline()  # the spaCy Language: the model's NER and the summit components
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .about import __version__
from .records import ArticleMeta, ArticleRecord, Entity, ErrorRecord, InputInfo, PipelineInfo

if TYPE_CHECKING:
    from .extraction.extract import ArticleInput, Extractor, build_pipeline, extract
    from .reporting.tables import build_view, load_records
    from .rules import RuleError, load_rules

# The names that need spaCy load on first use (PEP 562), so that `import summit_extract.cli` and every
# `summit-extract --help` do not pay for importing spaCy.
_LAZY = {
    "ArticleInput": ".extraction.extract",
    "Extractor": ".extraction.extract",
    "build_pipeline": ".extraction.extract",
    "extract": ".extraction.extract",
    "RuleError": ".rules",
    "load_rules": ".rules",
    "build_view": ".reporting.tables",  # pandas loads on first use too
    "load_records": ".reporting.tables",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ArticleInput",
    "ArticleMeta",
    "ArticleRecord",
    "Entity",
    "ErrorRecord",
    "Extractor",
    "InputInfo",
    "PipelineInfo",
    "RuleError",
    "__version__",
    "build_pipeline",
    "build_view",
    "extract",
    "load_records",
    "load_rules",
]
