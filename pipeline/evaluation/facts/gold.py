"""Facts gold: one JSON file per article in `<set>/facts/`, checked against corpus/GUIDELINES.md section 8."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from summit_extract.errors import SummitError
from summit_extract.extraction.facts.patterns import ROLES, STATUSES

SUMMIT_KEYS = {"organization", "edition", "city", "country", "year", "start", "end"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FactsGoldError(SummitError):
    """A facts gold file breaks the rules of GUIDELINES section 8."""


def facts_dir(gold_dir: Path) -> Path:
    """`corpus/gold` → `corpus/facts`: the facts sit beside the span gold."""
    return gold_dir.parent / "facts"


def _check(where: str, ok: bool, message: str) -> None:
    if not ok:
        raise FactsGoldError(f"{where}: {message}")


def validate_facts(facts: Any, where: str, doc_id: str, ids: dict[str, set[str]]) -> dict[str, Any]:
    """Raise FactsGoldError naming the file and key of the first rule broken; `ids` are the span gold's ids by label."""
    countries, orgs, documents = ids.get("COUNTRY", set()), ids.get("ORG", set()), ids.get("DOCUMENT", set())
    _check(
        where,
        isinstance(facts, dict) and set(facts) == {"doc_id", "summit", "participants", "documents"},
        "keys must be doc_id, summit, participants, documents",
    )
    _check(where, facts["doc_id"] == doc_id, f"doc_id {facts['doc_id']!r} is not the file name")
    summit = facts["summit"]
    if summit is not None:
        _check(where, isinstance(summit, dict) and set(summit) == SUMMIT_KEYS, f"summit keys {sorted(summit)}")
        _check(
            where,
            summit["organization"] in orgs | countries,
            f"summit.organization {summit['organization']!r} is not an id of the span gold",
        )
        _check(
            where,
            summit["country"] is None or summit["country"] in countries,
            f"summit.country {summit['country']!r} is not a COUNTRY id of the span gold",
        )
        for key in ("edition", "year"):
            _check(where, summit[key] is None or type(summit[key]) is int, f"summit.{key} must be an integer or null")
        for key in ("start", "end"):
            value = summit[key]
            _check(
                where,
                value is None or (isinstance(value, str) and bool(_ISO_DATE.match(value))),
                f"summit.{key} must be YYYY-MM-DD or null",
            )
    else:
        _check(where, not facts["participants"], "participants without a summit")
    seen: set[str] = set()
    for row in facts["participants"]:
        _check(where, isinstance(row, dict) and set(row) == {"id", "roles"}, f"participant keys {sorted(row)}")
        _check(where, row["id"] in countries, f"participant {row['id']!r} is not a COUNTRY id of the span gold")
        _check(where, row["id"] not in seen, f"participant {row['id']!r} twice")
        seen.add(row["id"])
        roles = row["roles"]
        _check(
            where,
            isinstance(roles, list) and bool(roles) and len(set(roles)) == len(roles) and set(roles) <= set(ROLES),
            f"participant {row['id']!r} roles {roles}",
        )
        _check(
            where,
            "new-member" not in roles or "member" in roles,
            f"participant {row['id']!r}: new-member without member",
        )
    rows = [d.get("id") for d in facts["documents"] if isinstance(d, dict)]
    _check(
        where,
        sorted(rows) == sorted(documents),
        f"documents rows {sorted(map(str, rows))} are not the DOCUMENT ids of the span gold {sorted(documents)}",
    )
    for row in facts["documents"]:
        _check(where, set(row) == {"id", "title", "status", "proposer"}, f"document keys {sorted(row)}")
        _check(where, row["status"] in STATUSES, f"document {row['id']!r} status {row['status']!r}")
        _check(
            where,
            row["proposer"] is None or row["proposer"] in countries | orgs,
            f"document {row['id']!r} proposer {row['proposer']!r} is not an id of the span gold",
        )
    return facts


def load_facts_file(path: Path, ids: dict[str, set[str]]) -> dict[str, Any]:
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise FactsGoldError(f"{path}: {error}") from error
    return validate_facts(facts, str(path), path.stem, ids)


def span_ids(spans: Any) -> dict[str, set[str]]:
    """The ids of a span gold by label: what its facts may name."""
    ids: dict[str, set[str]] = {}
    for span in spans:
        ids.setdefault(span.label, set()).add(span.id)
    return ids


def load_facts_for(gold_dir: Path, gold_docs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Facts gold of the articles of `gold_docs` (doc_id → GoldDoc) that have a facts file; none is fine."""
    folder = facts_dir(Path(gold_dir))
    found: dict[str, dict[str, Any]] = {}
    for doc_id, doc in gold_docs.items():
        path = folder / f"{doc_id}.json"
        if path.exists():
            found[doc_id] = load_facts_file(path, span_ids(doc.spans))
    return found


def migrate_facts_file(path: Path, renamed: dict[str, str]) -> bool:
    """Rename ids in one facts gold file as its span gold's ids were renamed (`gold.migrate_gold_file`);
    True when the file changed."""
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise FactsGoldError(f"{path}: {error}") from error

    def new(value: Any) -> Any:
        return renamed.get(value, value) if isinstance(value, str) else value

    before = json.dumps(facts)
    if facts.get("summit"):
        facts["summit"]["organization"] = new(facts["summit"]["organization"])
    # Rows that now share an id were one thing written two ways: the first row stays, with what the others add.
    participants: dict[str, dict[str, Any]] = {}
    for row in facts.get("participants", ()):
        row["id"] = new(row["id"])
        kept = participants.setdefault(row["id"], row)
        kept["roles"] = [*kept["roles"], *(role for role in row["roles"] if role not in kept["roles"])]
    documents: dict[str, dict[str, Any]] = {}
    for row in facts.get("documents", ()):
        row["id"], row["proposer"] = new(row["id"]), new(row["proposer"])
        kept = documents.setdefault(row["id"], row)
        kept["proposer"] = kept["proposer"] or row["proposer"]
    if "participants" in facts:
        facts["participants"] = list(participants.values())
    if "documents" in facts:
        facts["documents"] = list(documents.values())
    if json.dumps(facts) == before:
        return False
    path.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return True
