"""Turn hand-written annotation lists into offset-checked gold records.

An annotator reads a cleaned article and writes down every mention as one line of a list
file (`corpus/annotations/<doc_id>.txt`):

    LABEL | id | surface | selector

    COUNTRY  | KAZ | Kazakhstan                         | *7
    ORG      | SCO | Shanghai Cooperation Organization  | *1
    ORG      | SCO | SCO                                | *24
    DOCUMENT | -   | Astana Declaration                 | *1
    COUNTRY  | IRN | Iran                               | 2,3

`id` "-" means `slug(surface)` (organisations and documents without an acronym). The selector
says which occurrences of `surface` are mentions, counted in text order among the whole-word
occurrences that are not inside a longer listed mention: `*N` means all of them and asserts
there are exactly N (so a missed or an extra occurrence is an error, not a silent change), and
`2,3` picks single ones. Longer surfaces are placed first, so "SCO" inside the listed
"SCO Development Strategy until 2035" is never counted. Blank lines and `#` comments are ignored.

    python tools/annotate.py corpus/annotations/015_sco-samarkand-2022.txt --show
    python tools/annotate.py corpus/annotations/*.txt --write corpus/gold

`--show` prints the article with every span marked as [[text|LABEL|id]] and lists capitalised
words left outside any span, which is where forgotten mentions hide. The gold text is
`summit_extract.cleanup.clean_text` of the article file, so the list is written against what the
pipeline reads.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from summit_extract.cleanup.steps import clean_text
from summit_extract.extraction.identity import learnt_aliases, slug
from summit_extract.extraction.organizations import canonicaliser
from summit_extract.output.jsonl import write_jsonl
from summit_extract.records import LABELS

REPO_ROOT = Path(__file__).resolve().parent.parent

ARTICLES = REPO_ROOT / "corpus" / "articles"
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")


class AnnotationError(ValueError):
    """A list line that cannot be placed in its article; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of an annotation list."""

    label: str
    id: str
    surface: str
    selector: str
    where: str


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    text: str
    id: str

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "id": self.id,
        }


def parse_list(path: Path) -> list[Entry]:
    """Read one annotation list; every malformed line is reported with its file and line number."""
    entries = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path}, line {line_no}"
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or not all(parts):
            raise AnnotationError(f"{where}: expected 'LABEL | id | surface | selector', got {line!r}")
        label, span_id, surface, selector = parts
        if label not in LABELS:
            raise AnnotationError(f"{where}: unknown label {label!r}; expected one of {', '.join(LABELS)}")
        if span_id == "-":
            if label == "COUNTRY":
                raise AnnotationError(f"{where}: a COUNTRY needs its ISO3 id, got '-' for {surface!r}")
            span_id = slug(surface)
        if not re.fullmatch(r"\*\d+|\d+(,\d+)*", selector):
            raise AnnotationError(f"{where}: selector should be '*N' or '1,3', got {selector!r}")
        entries.append(Entry(label, span_id, surface, selector, where))
    return entries


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """Whole-word occurrences; any run of whitespace in `surface` matches any run in the text."""
    words = [re.escape(word) for word in surface.split()]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


def place(text: str, entries: list[Entry]) -> list[Span]:
    """Offsets for every listed mention; raises AnnotationError on a count mismatch or an overlap."""
    taken: list[tuple[int, int]] = []
    spans: list[Span] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < other_end and other_start < end for other_start, other_end in taken)

    for entry in sorted(entries, key=lambda item: -len(item.surface)):
        free = [(s, e) for s, e in _occurrences(text, entry.surface) if not overlaps(s, e)]
        if entry.selector.startswith("*"):
            expected = int(entry.selector[1:])
            if len(free) != expected:
                raise AnnotationError(
                    f"{entry.where}: {entry.surface!r} occurs {len(free)} times outside longer mentions, "
                    f"the list says {expected}"
                )
            chosen = free
        else:
            picks = [int(number) for number in entry.selector.split(",")]
            if max(picks) > len(free) or min(picks) < 1:
                raise AnnotationError(
                    f"{entry.where}: asks for occurrence(s) {entry.selector} of {entry.surface!r}, "
                    f"which occurs {len(free)} times outside longer mentions"
                )
            chosen = [free[number - 1] for number in picks]
        for start, end in chosen:
            taken.append((start, end))
            spans.append(Span(start, end, entry.label, text[start:end], entry.id))
    return sorted(spans, key=lambda span: span.start)


def read_raw(path: Path) -> str:
    """The decoded article as the pipeline reads it (the project's reader when it is present)."""
    try:
        from summit_extract.reading.reader import read_article
    except ImportError:
        return path.read_bytes().decode("utf-8-sig")
    article = read_article(path)
    return article.text


@functools.lru_cache(maxsize=4)
def folder_aliases(folder: Path) -> dict[str, str]:
    """The acronyms the annotation lists of `folder` give long names, learnt as a run learns them."""
    entries = (entry for path in sorted(folder.glob("*.txt")) for entry in parse_list(path))
    return learnt_aliases((entry.label, entry.id, entry.surface) for entry in entries)


def gold_record(list_path: Path, articles: Path | None = None) -> dict[str, object]:
    """The Prodigy-style gold record for one annotation list (articles from `corpus/articles/`)."""
    articles = articles or ARTICLES
    doc_id = list_path.stem
    article = articles / f"{doc_id}.txt"
    if not article.is_file():
        raise AnnotationError(f"{list_path}: no article {article} for doc id {doc_id!r}")
    text = clean_text(read_raw(article))
    spans = place(text, parse_list(list_path))
    # Gold ids are canonical ids (GUIDELINES section 6), as `summit-extract gold migrate` writes them:
    # an acronym one list of the folder defines applies to every list, as in a run.
    rules = canonicaliser().with_aliases(folder_aliases(list_path.parent))
    ids = rules.canonical_ids([(span.label, span.id, span.text) for span in spans])
    spans = [dataclasses.replace(span, id=new) for span, new in zip(spans, ids, strict=True)]
    source = article.relative_to(REPO_ROOT).as_posix() if article.is_relative_to(REPO_ROOT) else str(article)
    return {
        "text": text,
        "meta": {"doc_id": doc_id, "source": source},
        "spans": [span.to_dict() for span in spans],
        "answer": "accept",
    }


def marked(record: dict[str, object]) -> str:
    """The text with spans written as [[text|LABEL|id]], for reading the result back."""
    text = str(record["text"])
    pieces, cursor = [], 0
    for span in record["spans"]:  # type: ignore[union-attr]
        pieces.append(text[cursor : span["start"]])
        pieces.append(f"[[{span['text']}|{span['label']}|{span['id']}]]")
        cursor = span["end"]
    pieces.append(text[cursor:])
    return "".join(pieces)


def unmarked_capitalised(record: dict[str, object]) -> Counter[str]:
    """Capitalised words outside every span: the places a forgotten mention would be."""
    text = str(record["text"])
    inside = [(span["start"], span["end"]) for span in record["spans"]]  # type: ignore[union-attr]
    words: Counter[str] = Counter()
    for match in _CAPITALISED.finditer(text):
        if not any(start <= match.start() < end for start, end in inside):
            words[match.group()] += 1
    return words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lists", nargs="+", type=Path, help="annotation list files (<doc_id>.txt)")
    parser.add_argument("--write", type=Path, help="folder to write <doc_id>.jsonl gold files into")
    parser.add_argument("--show", action="store_true", help="print each article with its spans marked")
    parser.add_argument(
        "--articles",
        type=Path,
        default=ARTICLES,
        help="folder holding the <doc_id>.txt articles (default corpus/articles)",
    )
    args = parser.parse_args(argv)
    failed = 0
    for list_path in args.lists:
        try:
            record = gold_record(list_path, args.articles.resolve())
        except AnnotationError as error:
            print(f"error: {error}", file=sys.stderr)
            failed += 1
            continue
        if args.show:
            print(f"===== {list_path.stem}\n{marked(record)}\n")
            loose = ", ".join(f"{word} x{count}" for word, count in sorted(unmarked_capitalised(record).items()))
            print(f"----- capitalised words outside spans: {loose}\n")
        if args.write:
            write_jsonl(args.write / f"{list_path.stem}.jsonl", [record])
        print(f"{list_path.stem}: {len(record['spans'])} spans", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
