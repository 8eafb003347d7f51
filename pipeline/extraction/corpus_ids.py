"""The second pass of a corpus run: a name learnt in one article names the same thing in the others.

The NLP pass sees one article at a time, so "United Nations Relief and Works Agency (UNRWA)" in one
article gives the name the id UNRWA there only. This pass reads the run's records back, learns every
long name an article gave an acronym id, and gives every mention of that name in the output the same
id (through `Canonicaliser`, so bodies named with a learnt owner follow). It reads the whole output,
records kept from an earlier run included, so a resumed run or one with `--jobs N` ends as `--jobs 1`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..records import ArticleRecord
from .identity import Canonicaliser, learnt_aliases


def corpus_aliases(records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The aliases learnt from a run's records (`identity.learnt_aliases`)."""
    return learnt_aliases((e["label"], e["id"], e["text"]) for record in records for e in record["entities"])


def with_corpus_ids(record: dict[str, Any], rules: Canonicaliser) -> bool:
    """Give `record`'s entities the ids `rules` (with the learnt aliases) give them; True when one changed."""
    entities = record["entities"]
    ids = rules.canonical_ids([(e["label"], e["id"], e["text"]) for e in entities])
    renamed = {}
    for entity, new in zip(entities, ids, strict=True):
        if entity["id"] != new:
            renamed[entity["id"]] = new
        entity["id"] = new
    if renamed and record.get("facts"):
        renamed_facts(record["facts"], renamed)
    return bool(renamed)


def renamed_facts(facts: dict[str, Any], renamed: Mapping[str, str]) -> None:
    """Give the ids in `facts` the new names of their entities; two document rows that now name one
    document become one (the first row's status kept, the evidence of both)."""
    summit = facts.get("summit")
    if summit and summit.get("organization") in renamed:
        summit["organization"] = renamed[summit["organization"]]
    rows: dict[str, dict[str, Any]] = {}
    for row in facts.get("documents", []):
        row["id"] = renamed.get(row["id"], row["id"])
        if row.get("proposer") in renamed:
            row["proposer"] = renamed[row["proposer"]]
        if row["id"] in rows:
            first = rows[row["id"]]
            first["evidence"] = first["evidence"] + [span for span in row["evidence"] if span not in first["evidence"]]
            first["proposer"] = first.get("proposer") or row.get("proposer")
        else:
            rows[row["id"]] = row
    if "documents" in facts:
        facts["documents"] = list(rows.values())


def records_with_corpus_ids(records: Sequence[ArticleRecord], rules: Canonicaliser) -> list[ArticleRecord]:
    """The second pass over records held in memory (`evaluate --run`), as `apply_corpus_ids` does on a file."""
    data = [record.to_dict() for record in records]
    aliases = corpus_aliases(data)
    if not aliases:
        return list(records)
    rules = rules.with_aliases(aliases)
    return [
        ArticleRecord.from_dict(item) if with_corpus_ids(item, rules) else record
        for record, item in zip(records, data, strict=True)
    ]
