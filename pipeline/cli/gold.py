"""`summit-extract gold`: validate gold files, convert from and to doccano and Label Studio."""

from __future__ import annotations

from collections import Counter
from enum import Enum
from pathlib import Path

import typer

from ..records import LABELS
from ._app import command_group, fail, refuse_overwrite

gold_app = command_group("gold", "Gold annotations: validate, import, export.")


class Format(str, Enum):
    doccano = "doccano"
    labelstudio = "labelstudio"


class ImportFormat(str, Enum):
    doccano = "doccano"
    labelstudio = "labelstudio"
    conll = "conll"


@gold_app.command("validate")
def validate_command(
    path: Path = typer.Argument(..., metavar="GOLD", help="Gold file or folder of *.jsonl gold files."),
) -> None:
    """Check gold files (offsets, span texts, labels, overlaps, ids) and print what they hold."""
    from ..evaluation.gold import load_gold_set

    gold = load_gold_set(path)
    counts = Counter(span.label for doc in gold.docs.values() for span in doc.spans)
    per_label = ", ".join(f"{label} {counts.get(label, 0)}" for label in LABELS)
    typer.echo(
        f"{path}: {len(gold.docs)} articles, {sum(counts.values())} spans ({per_label}), "
        f"{len(gold.skipped)} skipped, SHA-256 {gold.sha256}"
    )


@gold_app.command("import")
def import_command(
    source: Path = typer.Argument(
        ..., metavar="SOURCE", help="doccano JSONL, Label Studio JSON or JSON-MIN, or CoNLL export."
    ),
    fmt: ImportFormat = typer.Option(
        ..., "--format", help="Format of SOURCE (labelstudio reads both JSON and JSON-MIN)."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Gold JSONL to write, e.g. corpus/gold/x.jsonl."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Convert an annotation tool's export into validated gold JSONL."""
    from ..evaluation.gold import write_gold
    from ..evaluation.gold_formats import UNANNOTATED, import_gold

    refuse_overwrite(output, force)
    docs = import_gold(source, fmt.value)
    count = write_gold(docs, output)
    unannotated = sum(doc.answer == UNANNOTATED for doc in docs)
    note = f" ({unannotated} not annotated, kept with answer {UNANNOTATED!r})" if unannotated else ""
    typer.echo(f"Wrote {count} gold articles to {output}{note}")


@gold_app.command("export")
def export_command(
    path: Path = typer.Argument(..., metavar="GOLD", help="Gold file or folder of *.jsonl gold files."),
    fmt: Format = typer.Option(..., "--format", help="Format to write."),
    output: Path = typer.Option(..., "-o", "--output", help="File to write (doccano: JSONL; Label Studio: JSON)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Write gold articles for doccano or Label Studio; ids travel in "span_ids" / region meta."""
    from ..evaluation.gold import load_gold_set
    from ..evaluation.gold_formats import export_gold

    refuse_overwrite(output, force)
    gold = load_gold_set(path)
    count = export_gold(gold.docs.values(), output, fmt.value)
    typer.echo(f"Wrote {count} articles to {output} ({fmt.value})")


@gold_app.command("migrate")
def migrate_command(
    paths: list[Path] = typer.Argument(..., metavar="GOLD", help="Gold files or folders of *.jsonl gold files."),
) -> None:
    """Rewrite gold ids as canonical ids (GUIDELINES section 6), and the facts gold beside them to match.

    Running it again changes nothing; a new gold set is migrated with the same command.
    """
    from ..evaluation.facts.gold import facts_dir, migrate_facts_file
    from ..evaluation.gold import gold_files, migrate_gold

    for path in paths:
        spans = facts_files = 0
        folder = gold_files(path)[0].parent
        for doc_id, renamed in migrate_gold(path).items():
            spans += len(renamed)
            facts = facts_dir(folder) / f"{doc_id}.json"
            facts_files += facts.exists() and migrate_facts_file(facts, renamed)
        typer.echo(f"{path}: {spans} ids renamed, {facts_files} facts files updated")


@gold_app.command("fingerprint")
def fingerprint_command(
    files: list[Path] = typer.Argument(..., metavar="GOLD", help="Stand-off gold files (corpus/real/SET/*.json)."),
    articles: Path = typer.Option(
        ..., "--articles", metavar="DIR", help="Folder of the annotated copies, named <id>.txt|.pdf|.html|.docx."
    ),
) -> None:
    """Write into stand-off gold the fingerprint of the annotated copy (GUIDELINES section 9)."""
    import json

    from ..cleanup.steps import clean_text
    from ..evaluation.evaluate import copy_of
    from ..evaluation.standoff import read_standoff, with_fingerprint
    from ..reading.reader import read_article

    for path in files:
        gold = read_standoff(path)
        copy = copy_of(gold.id, articles)
        if copy is None:
            fail(f"{path}: no copy named {gold.id}.<txt|pdf|html|docx> in {articles}", 2)
        text = clean_text(read_article(copy).text)
        data = with_fingerprint(gold, text)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        typer.echo(f"{path}: {len(gold.mentions)} mentions, region of {data['region']['chars']} letters and digits")
