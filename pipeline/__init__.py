"""summit-extract: countries, organisations and documents from articles about international summits.

>>> from pipeline import extract
>>> record = extract("Leaders adopted the Astana Declaration in Kazakhstan.")
>>> [(e.label, e.text, e.id) for e in record.entities]
[('DOCUMENT', 'Astana Declaration', 'astana-declaration'), ('COUNTRY', 'Kazakhstan', 'KAZ')]
>>> nlp = build_pipeline()  # the spaCy Language: the model's NER and the summit components
"""

from __future__ import annotations

from .about import __version__
from .extract import ArticleInput, Extractor, build_pipeline, extract  # `extract` the function shadows the module
from .records import ArticleMeta, ArticleRecord, Entity, ErrorRecord, InputInfo, PipelineInfo
from .rules import RuleError, load_rules

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
    "extract",
    "load_rules",
]
