"""summit-extract: countries, organisations and documents from articles about international summits.

>>> from pipeline import extract
>>> record = extract("Leaders adopted the Astana Declaration in Kazakhstan.")
>>> [(e.label, e.text, e.id) for e in record.entities]
[('DOCUMENT', 'Astana Declaration', 'astana-declaration'), ('COUNTRY', 'Kazakhstan', 'KAZ')]
"""

from __future__ import annotations

from .about import __version__
from .extract import ArticleInput, Extractor, extract  # `extract` the function shadows the module name here
from .records import ArticleMeta, ArticleRecord, Entity, ErrorRecord, InputInfo, PipelineInfo

__all__ = [
    "ArticleInput",
    "ArticleMeta",
    "ArticleRecord",
    "Entity",
    "ErrorRecord",
    "Extractor",
    "InputInfo",
    "PipelineInfo",
    "__version__",
    "extract",
]
