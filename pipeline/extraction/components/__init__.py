"""spaCy components of the summit pipeline, each a plain callable behind a thin factory.

Order: the model's `ner`, then `summit_ner_filter` (model entities → candidates),
`summit_country_ruler`, `summit_org_ruler`, `summit_document_ruler`,
`summit_acronym_linker` (needs the others' candidates to label a long form), and
`summit_span_resolver`, which alone writes `doc.ents`: the others only propose candidates
(`doc._.summit_candidates`), and warn when no resolver follows them. One ruler on its own:

    nlp = spacy.blank("en"); nlp.add_pipe("summit_country_ruler"); nlp.add_pipe("summit_span_resolver")
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from ...rules import load_rules
from .acronyms import AcronymLinker, make_acronym_linker
from .countries import CountryRuler, make_country_ruler
from .documents import DocumentRuler, make_document_ruler
from .ner_filter import NerFilter, make_ner_filter
from .organizations import OrgRuler, make_org_ruler
from .resolver import SpanResolver, make_span_resolver
from .rule_data import SavesRuleData

SUMMIT_COMPONENTS = (
    "summit_ner_filter",
    "summit_country_ruler",
    "summit_org_ruler",
    "summit_document_ruler",
    "summit_acronym_linker",
    "summit_span_resolver",
)


def add_summit_components(nlp: Language, patterns: str | Path | None = None) -> Language:
    """Append the summit components to `nlp` (after its NER, if it has one).

    `patterns`: a folder of the user's own pattern files, added to the bundled rules. They are
    given to the components as data, not as a path in the pipeline's config, so `nlp.to_disk`
    saves them with the components and the saved pipeline loads without the folder.
    """
    data = load_rules(patterns) if patterns else None
    for name in SUMMIT_COMPONENTS:
        if name not in nlp.pipe_names:
            component = nlp.add_pipe(name)
            if data is not None and isinstance(component, SavesRuleData):
                component.use_rules(data)
    return nlp


__all__ = [
    "SUMMIT_COMPONENTS",
    "AcronymLinker",
    "CountryRuler",
    "DocumentRuler",
    "NerFilter",
    "OrgRuler",
    "SpanResolver",
    "add_summit_components",
    "make_acronym_linker",
    "make_country_ruler",
    "make_document_ruler",
    "make_ner_filter",
    "make_org_ruler",
    "make_span_resolver",
]
