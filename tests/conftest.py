"""Shared fixtures. Model-backed fixtures load the real pipeline once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"
SEED_ARTICLE = CORPUS / "articles" / "000_f25956cb5b5f35ed.txt"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_raw() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def blank_nlp():
    """A blank English pipeline for component tests that need no statistical model."""
    return spacy.blank("en")


@pytest.fixture(scope="session")
def blank_model(tmp_path_factory) -> Path:
    """A blank English pipeline on disk (`--model DIR`): the command line runs end to end in seconds."""
    folder = tmp_path_factory.mktemp("models") / "blank"
    spacy.blank("en").to_disk(folder)
    return folder


@pytest.fixture(scope="session")
def extractor():
    """The real extraction pipeline (en_core_web_sm + summit components), loaded once."""
    from summit_extract.extraction.extract import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def structure():
    """The facts rules' reader of sentence structure over the model's own parser, loaded once."""
    from summit_extract.extraction.facts.structure import StructureRoles
    from summit_extract.extraction.model import load_parser

    parser = load_parser()
    return StructureRoles(lambda texts: list(parser.pipe(texts)))
