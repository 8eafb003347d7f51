"""Saving a component's rule data with the pipeline, as spaCy's SpanRuler saves its patterns.

`nlp.to_disk(DIR)` writes each component's pattern files (the bundled ones merged with a
user's) into `DIR/<component>/`; `spacy.load(DIR)` reads them back through the same checked
loader, so a saved pipeline needs no patterns folder of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.util import ensure_path

from ..rules import RuleData, read_folder


class SavesRuleData:
    """Mixin: `to_disk`/`from_disk` of the pattern files named in `RULE_FILES`.

    The component keeps `rule_data` and the `nlp` it was built for; its constructor takes `data=`.
    """

    RULE_FILES: tuple[str, ...] = ()
    rule_data: RuleData
    nlp: Any
    name: str

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.rule_data.write(ensure_path(path), self.RULE_FILES)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SavesRuleData:
        data = read_folder(ensure_path(path), self.RULE_FILES)
        # The constructor builds the matchers from the data; spaCy wants this instance filled in place.
        fresh = type(self)(self.nlp, self.name, data=data)
        self.__dict__.update(vars(fresh))
        return self
