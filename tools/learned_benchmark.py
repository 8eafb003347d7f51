"""Score rules only, a learned model alone and the two combined on the development sets.

    python tools/learned_benchmark.py --model DIR [--articles ~/.cache/summit-real]

Sets: the real development articles (stand-off gold on your copies) and the team's blind sets
(corpus/blind*/gold, extracted from their source files). Prints one Markdown table: strict micro F1
and strict F1 of each label. "learned alone" is the learned model's pipeline without the rule
components (country, organisation and document rulers, acronym linker): its own spans, with ids.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summit_extract.evaluation.evaluate import run_evaluation, run_standoff_evaluation
from summit_extract.extraction.extract import Extractor, build_pipeline
from summit_extract.records import LABELS

REPO = Path(__file__).resolve().parent.parent
RULE_COMPONENTS = ("summit_country_ruler", "summit_org_ruler", "summit_document_ruler", "summit_acronym_linker")


def learned_alone(model: str) -> Extractor:
    nlp = build_pipeline(model)
    for name in RULE_COMPONENTS:
        nlp.remove_pipe(name)
    return Extractor(model, nlp=nlp)


def extractors(model: str, systems: list[str] | None) -> dict[str, Extractor]:
    made = {
        "rules only": Extractor,
        "learned alone": lambda: learned_alone(model),
        "rules + learned": lambda: Extractor(model),
    }
    return {name: make() for name, make in made.items() if not systems or name in systems}


def scores(report) -> list[str]:
    strict = report.ours.mentions.schemes["strict"]
    return [f"{strict.micro.f1:.3f}"] + [f"{strict.labels[label].f1:.3f}" for label in LABELS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="The learned model folder (summit-extract train -o DIR).")
    parser.add_argument("--articles", type=Path, default=Path("~/.cache/summit-real").expanduser())
    parser.add_argument("--system", action="append", help="Score only these systems ('rules only', ...).")
    parser.add_argument("--set", action="append", help="Score only these sets ('real dev', 'blind2', ...).")
    args = parser.parse_args()
    sets = [("real dev", REPO / "corpus/real/dev")] + [
        (path.parent.name, path) for path in sorted(REPO.glob("corpus/blind*/gold"))
    ]
    sets = [(name, path) for name, path in sets if not args.set or name in args.set]
    print("| set | system | strict micro F1 | " + " | ".join(LABELS) + " |")
    print("|---|---|---:|" + "---:|" * len(LABELS))
    for system, extractor in extractors(args.model, args.system).items():
        for name, gold in sets:
            if name == "real dev":
                report = run_standoff_evaluation(gold, args.articles, extractor=extractor)
            else:
                report = run_evaluation(gold, extractor=extractor)
            print(f"| {name} ({report.gold_articles}) | {system} | " + " | ".join(scores(report)) + " |", flush=True)


if __name__ == "__main__":
    main()
