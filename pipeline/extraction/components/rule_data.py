"""The base of the proposing components: their rule data, saved with the pipeline as spaCy's
SpanRuler saves its patterns, and the candidates they propose.

`nlp.to_disk(DIR)` writes each component's pattern files (the bundled ones merged with a
user's) into `DIR/<component>/`; `spacy.load(DIR)` reads them back through the same checked
loader, so a saved pipeline needs no patterns folder of its own.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.util import ensure_path

from ...rules import RuleData, read_folder
from .candidates import Candidate, candidates_of

RESOLVER = "summit_span_resolver"


class SavesRuleData:
    """Mixin: `to_disk`/`from_disk` of the pattern files named in `RULE_FILES`, `use_rules`, and
    `candidates`, where the component appends what it proposes.

    The component keeps `rule_data` and the `nlp` it was built for; its constructor takes `data=`.
    """

    RULE_FILES: tuple[str, ...] = ()
    rule_data: RuleData
    nlp: Any
    name: str
    _resolver_checked = False

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.rule_data.write(ensure_path(path), self.RULE_FILES)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SavesRuleData:
        return self.use_rules(read_folder(ensure_path(path), self.RULE_FILES))

    def use_rules(self, data: RuleData) -> SavesRuleData:
        """Match with `data` from now on (the bundled rules with a user's on top, say)."""
        # The constructor builds the matchers from the data; spaCy wants this instance filled in place.
        fresh = type(self)(self.nlp, self.name, data=data)
        self.__dict__.update(vars(fresh))
        return self

    def candidates(self, doc: Any) -> list[Candidate]:
        """`doc._.summit_candidates`, to append to. The first time, a warning if no resolver
        follows in the pipeline: without it the candidates never become `doc.ents`."""
        if not self._resolver_checked:
            self._resolver_checked = True
            names = self.nlp.pipe_names
            if self.name in names and RESOLVER not in names[names.index(self.name) :]:
                warnings.warn(
                    f"{self.name} only proposes candidates (doc._.summit_candidates) and sets no doc.ents; "
                    f'add the resolver after it: nlp.add_pipe("{RESOLVER}")',
                    UserWarning,
                    stacklevel=2,
                )
        return candidates_of(doc)
