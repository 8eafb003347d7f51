"""`summit-extract bench`: words per second and peak memory of the pipeline against plain spaCy.

Three variants run over the same synthetic corpus, each in its own subprocess so their
memory peaks do not mix:

- pipeline  (A): this pipeline end to end: read, clean, extract, write JSONL (`run()`);
- ner_only  (B): bare `nlp.pipe` over the pre-cleaned texts with only NER (and what it listens
  to) enabled: the practical speed limit of the model;
- stock     (C): what one would write by hand: `spacy.load(model)` with every default component.

Each variant's time runs from before its model loads to the last document, so starting worker
processes and loading a model in each counts against the variant that does it.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SummitError

DEFAULT_DOCS = 2000
VARIANTS = ("pipeline", "ner_only", "stock")
MEMORY_CHECK_DOCS = (1000, 10000)


class BenchError(SummitError, RuntimeError):
    """The benchmark cannot run (no source articles, a variant's subprocess failed)."""


# ---------------------------------------------------------------------------
# The synthetic corpus


def vary(text: str, index: int) -> str:
    """A light, deterministic variation of an article: paragraphs rotated, one unique line added.

    The unique tokens make every copy grow the vocabulary as a real new article would.
    """
    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    if len(paragraphs) > 2:
        shift = index % len(paragraphs)
        body = paragraphs[:1] + (paragraphs[1:][shift:] + paragraphs[1:][:shift])
    else:
        body = paragraphs
    rng = random.Random(index)
    tag = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
    return "\n\n".join(body) + f"\n\nFiled as dispatch {index:06d} ({tag.capitalize()} desk).\n"


def build_corpus(folder: Path, docs: int, source: Path) -> list[Path]:
    """Write `docs` articles into `folder` by cycling and varying the real articles in `source`."""
    originals = sorted(source.glob("*.txt"))
    if not originals:
        raise BenchError(f"No *.txt articles in {source} to build a benchmark corpus from")
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in originals]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(docs):
        path = folder / f"{index:06d}_{originals[index % len(originals)].stem}.txt"
        path.write_text(vary(texts[index % len(texts)], index), encoding="utf-8")
        written.append(path)
    return written


def clean_corpus(paths: list[Path], target: Path) -> int:
    """Pre-clean every article (as the pipeline would) into a JSONL of texts; returns the word count."""
    from .cleanup import clean
    from .jsonl import write_jsonl
    from .reader import read_article

    words = 0

    def texts() -> Iterator[str]:
        nonlocal words
        for path in paths:
            text = clean(read_article(path).text).text
            words += len(text.split())
            yield text

    write_jsonl(target, texts())
    return words


# ---------------------------------------------------------------------------
# One variant, run inside its own subprocess


class PeakMemory:
    """Samples the resident memory of this process and its children (worker processes included)."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.sample_until_stopped, daemon=True)

    def total_rss(self) -> int:
        import psutil

        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:  # a worker that just exited
                continue
        return total

    def sample_until_stopped(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, self.total_rss())
            self.stopped.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()
        self.peak = max(self.peak, self.total_rss(), own_high_water_mark())


def own_high_water_mark() -> int:
    """This process's peak RSS in bytes as the kernel counted it (a floor under the samples).

    Read from VmHWM, not `ru_maxrss`: after fork and exec, `ru_maxrss` still holds the peak of
    the forked copy of the parent, which made a 10,000-article run look 30 MB heavier.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0  # not Linux: the samples alone


def read_texts(path: Path) -> list[str]:
    from .jsonl import iter_jsonl

    return [text for _, text in iter_jsonl(path)]


def run_variant(variant: str, corpus: Path, texts_path: Path, model: str | None, jobs: int, batch_size: int) -> dict:
    """Time one variant in this process; returns seconds, docs and peak memory."""
    from .model import load_model, resolve_model

    model = resolve_model(model)
    texts = read_texts(texts_path) if variant != "pipeline" else []
    with PeakMemory() as memory:
        started = time.perf_counter()
        if variant == "pipeline":
            from .batch import run

            with tempfile.TemporaryDirectory() as scratch:
                summary = run(
                    [str(corpus)],
                    Path(scratch) / "bench.jsonl",
                    model=model,
                    jobs=jobs,
                    batch_size=batch_size,
                    force=True,
                )
            docs, failed = summary.extracted, summary.failed
        else:
            import spacy

            nlp = load_model(model) if variant == "ner_only" else spacy.load(model)
            docs, failed = 0, 0
            for doc in nlp.pipe(texts, batch_size=batch_size, n_process=jobs):
                docs += 1 if doc.ents is not None else 0
        seconds = time.perf_counter() - started
    return {
        "variant": variant,
        "docs": docs,
        "failed": failed,
        "seconds": seconds,
        "peak_rss_mb": memory.peak / 2**20,
        "jobs": jobs,
    }


def variant_in_subprocess(
    variant: str, corpus: Path, texts_path: Path, model: str | None, jobs: int, batch_size: int
) -> dict:
    command = [
        sys.executable,
        "-m",
        "pipeline.bench",
        variant,
        str(corpus),
        str(texts_path),
        str(jobs),
        str(batch_size),
        model or "",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
        raise BenchError(f"variant {variant!r} failed (exit {completed.returncode}): " + " | ".join(tail))
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# The whole benchmark


@dataclass(slots=True)
class BenchResult:
    docs: int
    words: int
    variants: dict[str, dict] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)

    def words_per_second(self, variant: str) -> float:
        figures = self.variants[variant]
        return self.words / figures["seconds"] if figures["seconds"] > 0 else 0.0

    def ratio(self, first: str, second: str) -> float | None:
        if first not in self.variants or second not in self.variants:
            return None
        return self.words_per_second(first) / self.words_per_second(second)

    def to_dict(self) -> dict[str, Any]:
        variants = {}
        for name, figures in self.variants.items():
            variants[name] = {
                "docs": figures["docs"],
                "words": self.words,
                "seconds": round(figures["seconds"], 3),
                "words_per_second": round(self.words_per_second(name), 1),
                "peak_rss_mb": round(figures["peak_rss_mb"], 1),
                "jobs": figures["jobs"],
                "failed": figures["failed"],
            }
        data: dict[str, Any] = {
            "docs": self.docs,
            "words": self.words,
            "variants": variants,
            "ratio_vs_ner_only": _round(self.ratio("pipeline", "ner_only")),
            "ratio_vs_stock": _round(self.ratio("pipeline", "stock")),
            "machine": self.machine,
        }
        if "pipeline_one_job" in self.variants:
            data["speedup_vs_one_job"] = _round(self.ratio("pipeline", "pipeline_one_job"))
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def machine_info() -> dict[str, Any]:
    import spacy

    try:
        load = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "platform": platform.platform(),
        "load_average": load,
    }


def bench(
    docs: int = DEFAULT_DOCS,
    *,
    jobs: int = 1,
    model: str | None = None,
    batch_size: int = 16,
    variants: tuple[str, ...] = VARIANTS,
    source: Path,
    workdir: Path | None = None,
) -> BenchResult:
    """Build the corpus, run each variant in its own subprocess, return the figures.

    With `jobs` > 1 every variant uses that many processes and the pipeline also runs once
    with one process, for the speed-up.
    """
    if docs < 1:
        raise BenchError(f"Invalid --docs {docs}: expected 1 or more")
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        corpus, texts_path = Path(scratch) / "corpus", Path(scratch) / "texts.jsonl"
        paths = build_corpus(corpus, docs, source)
        result = BenchResult(docs=docs, words=clean_corpus(paths, texts_path))
        result.machine = machine_info()
        for variant in variants:
            result.variants[variant] = variant_in_subprocess(variant, corpus, texts_path, model, jobs, batch_size)
        if jobs > 1 and "pipeline" in variants:
            result.variants["pipeline_one_job"] = variant_in_subprocess(
                "pipeline", corpus, texts_path, model, 1, batch_size
            )
    return result


def memory_check(
    sizes: tuple[int, ...] = MEMORY_CHECK_DOCS,
    *,
    source: Path,
    model: str | None = None,
    jobs: int = 1,
    batch_size: int = 16,
) -> dict[str, Any]:
    """Peak memory of the pipeline at each corpus size; flat memory means the last is close to the first."""
    runs = [
        bench(size, jobs=jobs, model=model, batch_size=batch_size, variants=("pipeline",), source=source)
        for size in sizes
    ]
    peaks = [run.variants["pipeline"]["peak_rss_mb"] for run in runs]
    return {
        "runs": [
            {
                "docs": run.docs,
                "words": run.words,
                "seconds": round(run.variants["pipeline"]["seconds"], 3),
                "peak_rss_mb": round(run.variants["pipeline"]["peak_rss_mb"], 1),
            }
            for run in runs
        ],
        "growth": round(peaks[-1] / peaks[0] - 1, 4) if peaks and peaks[0] else None,
        "machine": machine_info(),
    }


def stage_times(docs: int = 300, *, source: Path, model: str | None = None) -> dict[str, Any]:
    """Seconds per stage of the pipeline over `docs` benchmark articles, one stage after another.

    Shows what holds the pipeline back against bare NER: each spaCy component runs over all
    documents before the next one starts, so its time is its own.
    """
    from .cleanup import clean
    from .extract import ArticleInput, Extractor
    from .facts.extract import extract_facts
    from .jsonl import dumps
    from .reader import read_article

    extractor = Extractor(model, facts=False)  # the facts are their own stage below
    nlp = extractor.nlp
    times: dict[str, float] = {}

    def timed(name: str, work: Any) -> Any:
        started = time.perf_counter()
        result = work()
        times[name] = round(time.perf_counter() - started, 3)
        return result

    with tempfile.TemporaryDirectory() as scratch:
        paths = build_corpus(Path(scratch) / "corpus", docs, source)
        articles = timed("read", lambda: [read_article(path) for path in paths])
    cleaned = timed("cleanup", lambda: [clean(article.text) for article in articles])
    parsed = timed("tokenizer", lambda: [nlp.make_doc(text.text) for text in cleaned])
    for name, component in nlp.pipeline:
        if hasattr(component, "pipe"):
            parsed = timed(name, lambda c=component, d=parsed: list(c.pipe(d, batch_size=16)))
        else:
            parsed = timed(name, lambda c=component, d=parsed: [c(doc) for doc in d])
    items = [ArticleInput(str(i), str(i), a.text, a.input) for i, a in enumerate(articles)]
    records = timed(
        "records",
        lambda: [extractor.to_record(doc, text, item) for doc, text, item in zip(parsed, cleaned, items, strict=True)],
    )
    timed("facts", lambda: [extract_facts(record.text, record.entities) for record in records])
    timed("json", lambda: [dumps(record.to_dict()) for record in records])
    words = sum(len(text.text.split()) for text in cleaned)
    return {"docs": docs, "words": words, "seconds": times, "machine": machine_info()}


def format_stage_times(stages: dict[str, Any]) -> str:
    from tabulate import tabulate

    seconds = stages["seconds"]
    total = sum(seconds.values())
    rows = [[name, value, f"{value / total:.1%}"] for name, value in seconds.items()]
    lines = [
        tabulate(rows, headers=["stage", "seconds", "share"], tablefmt="simple"),
        f"{stages['words']} words in {stages['docs']} articles, {total:.2f} s in all",
    ]
    ner = seconds.get("tokenizer", 0) + seconds.get("ner", 0)  # what bare NER (variant B) runs
    if ner and "facts" in seconds:  # the stage-by-stage counterpart of the A/B ratio
        without = ner / (total - seconds["facts"])
        lines.append(f"tokenizer + ner / all stages: {ner / total:.3f} with facts, {without:.3f} without")
    return "\n".join(lines)


def format_result(result: BenchResult) -> str:
    from tabulate import tabulate

    data = result.to_dict()
    rows = [
        [
            name,
            figures["jobs"],
            figures["docs"],
            figures["seconds"],
            figures["words_per_second"],
            figures["peak_rss_mb"],
        ]
        for name, figures in data["variants"].items()
    ]
    lines = [
        tabulate(rows, headers=["variant", "jobs", "docs", "seconds", "words/s", "peak RSS MB"], tablefmt="simple"),
        "",
        f"{result.words} words in {result.docs} articles",
    ]
    if data["ratio_vs_ner_only"] is not None:
        lines.append(f"A/B pipeline vs NER-only spaCy: {data['ratio_vs_ner_only']:.2f} (goal >= 0.80)")
    if data["ratio_vs_stock"] is not None:
        lines.append(f"A/C pipeline vs stock spaCy:    {data['ratio_vs_stock']:.2f} (goal >= 1.5)")
    if "speedup_vs_one_job" in data:
        lines.append(f"pipeline speed-up over one job: {data['speedup_vs_one_job']:.2f}")
    machine = data["machine"]
    lines.append(
        f"machine: {machine['cpu_count']} CPUs, Python {machine['python']}, spaCy {machine['spacy']}, "
        f"load average {machine['load_average']}"
    )
    return "\n".join(lines)


def format_memory_check(check: dict[str, Any]) -> str:
    lines = [
        f"{run['docs']:>6} articles: peak RSS {run['peak_rss_mb']:.1f} MB in {run['seconds']:.1f} s"
        for run in check["runs"]
    ]
    if check["growth"] is not None:
        lines.append(f"growth from the smallest to the largest corpus: {check['growth']:+.1%} (goal within 10%)")
    return "\n".join(lines)


def _main(argv: list[str]) -> None:
    """Subprocess entry: `python -m pipeline.bench VARIANT CORPUS TEXTS JOBS BATCH [MODEL]`."""
    variant, corpus, texts, jobs, batch_size = argv[:5]
    model = argv[5] if len(argv) > 5 and argv[5] else None
    figures = run_variant(variant, Path(corpus), Path(texts), model, int(jobs), int(batch_size))
    print(json.dumps(figures))


if __name__ == "__main__":
    _main(sys.argv[1:])
