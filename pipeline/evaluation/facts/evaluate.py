"""Facts scores for `summit-extract evaluate`: the rules beside the baseline, on the articles that have facts gold."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from summit_extract.evaluation.facts.gold import facts_dir, load_facts_for
from summit_extract.evaluation.facts.scoring import FactScores, baseline_facts, score_facts
from summit_extract.evaluation.gold import gold_sha256
from summit_extract.extraction.facts.extract import extract_facts


def _summary(scores: FactScores) -> dict[str, Any]:
    return {
        "roles": scores.roles.to_dict(),
        "statuses": scores.statuses.to_dict(),
        "proposers": scores.proposers.to_dict(),
        "summit_accuracy": scores.summit_accuracy(),
        "summits": scores.summits,
    }


def evaluate_facts(
    gold_path: str | Path, gold_docs: dict[str, Any], predictions: Iterable[Any], facts: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Score facts read from each prediction (text and spans) and the baseline from the gold spans; {} without gold.

    `facts` (doc id → facts gold) is given by a gold format that carries its facts itself (stand-off gold);
    otherwise they are read from the `facts/` folder beside the span gold."""
    gold_path = Path(gold_path)
    gold_dir = gold_path if gold_path.is_dir() else gold_path.parent
    if facts is None:
        facts = load_facts_for(gold_dir, gold_docs)
        folder = facts_dir(gold_dir)
        files = [folder / f"{doc_id}.json" for doc_id in sorted(facts)]
    else:
        files = []
    by_id = {p.doc_id: p for p in predictions if p.doc_id in facts}
    if not by_id:
        return {}
    # Score the facts a record carries; a record written before facts were extracted gets them read now.
    ours = [(facts[d], p.facts if p.facts is not None else extract_facts(p.text, p.spans)) for d, p in by_id.items()]
    baseline = [(facts[d], baseline_facts(p.spans)) for d, p in by_id.items()]
    scored = sorted(by_id)
    if files:
        digest = gold_sha256(file for file in files if file.stem in by_id)
    else:
        digest = hashlib.sha256(json.dumps([facts[d] for d in scored], sort_keys=True).encode("utf-8")).hexdigest()
    return {
        "articles": len(by_id),
        # What the facts floors were pinned on, as the span gold's SHA-256 is for the span floors.
        "sha256": digest,
        "summit-extract": _summary(score_facts(ours)),
        "baseline": _summary(score_facts(baseline)),
    }


def render_facts(summary: dict[str, Any]) -> str:
    if not summary:
        return "Facts: no article of this gold set has facts gold."
    lines = [
        f"Facts on {summary['articles']} article(s) with facts gold (F1; baseline: every country a member, "
        "every document adopted):"
    ]
    for key in ("roles", "statuses", "proposers"):
        lines.append(
            f"  {key:<10} {summary['summit-extract'][key]['f1']:.3f}   baseline {summary['baseline'][key]['f1']:.3f}"
        )
    accuracy = summary["summit-extract"]["summit_accuracy"]
    base = summary["baseline"]["summit_accuracy"]
    lines.append("  summit     " + ", ".join(f"{k} {v:.2f} ({base[k]:.2f})" for k, v in accuracy.items()))
    return "\n".join(lines)
