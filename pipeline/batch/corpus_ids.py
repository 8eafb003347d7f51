"""The second pass of a corpus run: a name learnt in one article names the same thing in the others.

The NLP pass sees one article at a time, so "United Nations Relief and Works Agency (UNRWA)" in one
article gives the name the id UNRWA there only. This pass reads the run's records back, learns every
long name an article gave an acronym id, and gives every mention of that name in the output the same
id (through `Canonicaliser`, so bodies named with a learnt owner follow). It reads the whole output,
records kept from an earlier run included, so a resumed run or one with `--jobs N` ends as `--jobs 1`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..extraction.identity import Canonicaliser, learnt_aliases
from ..output.jsonl import dumps, iter_jsonl
from ..records import ArticleRecord
from .errors import OutputError
from .output import corpus_ids_path_for, open_exclusive


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


def apply_corpus_ids(output: Path, rules: Canonicaliser) -> int:
    """Rewrite `output` with the ids learnt across all its records; returns how many records changed.

    Two streaming reads (learn, then rewrite), so memory does not grow with the corpus; the new
    file is written beside the output and renamed over it, as `keep_latest_records` does."""
    aliases = corpus_aliases(data for _, data in iter_jsonl(output))
    if not aliases:
        return 0
    rules = rules.with_aliases(aliases)
    temporary = corpus_ids_path_for(output)
    changed = 0
    target = open(open_exclusive(temporary, output=output), "w", encoding="utf-8")
    try:
        with target:
            for _, data in iter_jsonl(output):
                changed += with_corpus_ids(data, rules)
                target.write(dumps(data) + "\n")
            target.flush()
            os.fsync(target.fileno())
        if changed:
            shutil.copymode(output, temporary)
            temporary.replace(output)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(output, f"cannot be rewritten with the ids learnt across the run ({reason})") from error
    finally:
        temporary.unlink(missing_ok=True)
    return changed


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
