"""`summit-extract bench`: words per second and peak memory of the pipeline against plain spaCy.

Three variants run over the same synthetic corpus, each in its own subprocess so their
memory peaks do not mix:

- pipeline  (A): this pipeline end to end: read, clean, extract, write JSONL (`run()`);
- ner_only  (B): bare `nlp.pipe` over the pre-cleaned texts with only NER (and what it listens
  to) enabled: the practical speed limit of the model;
- stock     (C): what one would write by hand: `spacy.load(model)` with every default component;
- pipeline_no_facts (with `facts_off`): the pipeline without the facts (`run --no-facts`).

The variants run in rounds, A B C A B C ..., so that a drift of the machine's speed touches each
of them alike, and every figure is the median of its runs. A run's start-up (the interpreter,
imports and loading the model) is its own figure; the words per second are those of the
steady state after it. With `--jobs` above 1 the pipeline's workers load their models inside
the timed part, as `summit-extract run` does.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SummitError

DEFAULT_DOCS = 2000
DEFAULT_ROUNDS = 3
VARIANTS = ("pipeline", "ner_only", "stock")
MEMORY_CHECK_DOCS = (1000, 10000)
# Above this load average from other work (runnable processes over the last minute, on any number of
# CPUs) the figures are not the machine's own. Once the benchmark has begun, the average holds its own
# busy processes too (about `jobs` of them), which are taken off before the comparison.
QUIET_LOAD = 1.0
LONG_LINE_WORDS = 6  # words on each line of the long article
# The long article is one file far above the usual read limits; these let it through.
LONG_MAX_CHARS = 10**9
LONG_MAX_BYTES = 10**10


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


def write_long_article(folder: Path, lines: int, source: Path) -> Path:
    """One article of `lines` short lines (the words of the `source` articles, LONG_LINE_WORDS a line)."""
    words = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in sorted(source.glob("*.txt")))
    words_list = words.split()
    if not words_list:
        raise BenchError(f"No *.txt articles in {source} to build a long article from")
    repeated = words_list * (lines * LONG_LINE_WORDS // len(words_list) + 1)
    text = "\n".join(
        " ".join(repeated[start : start + LONG_LINE_WORDS])
        for start in range(0, lines * LONG_LINE_WORDS, LONG_LINE_WORDS)
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "long.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def clean_corpus(paths: list[Path], target: Path) -> int:
    """Pre-clean every article (as the pipeline would) into a JSONL of texts; returns the word count."""
    from ..cleanup.steps import clean
    from ..output.jsonl import write_jsonl
    from ..reading.reader import read_article

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
    from ..output.jsonl import iter_jsonl

    return [text for _, text in iter_jsonl(path)]


def run_variant(variant: str, corpus: Path, texts_path: Path, model: str | None, jobs: int, batch_size: int) -> dict:
    """Load the variant's model, then time its work in this process; returns seconds, docs and peak memory.

    `long` is the pipeline over the one long article in `corpus`, with read limits that let it through.
    """
    from ..extraction.model import load_model, resolve_model

    model = resolve_model(model)
    with PeakMemory() as memory:
        if variant in ("pipeline", "long", "pipeline_no_facts"):
            from ..batch import run
            from ..extraction.extract import Extractor

            extractor, facts = None, variant != "pipeline_no_facts"
            if jobs == 1:  # loaded here, so that the timed part is the steady state
                extractor = Extractor(model, facts=facts)
                if facts:
                    _ = extractor.structure  # the facts' parser, otherwise loaded at the first article that needs it
            limits = {"max_chars": LONG_MAX_CHARS, "max_bytes": LONG_MAX_BYTES} if variant == "long" else {}
            with tempfile.TemporaryDirectory() as scratch:
                started = time.perf_counter()
                summary = run(
                    [str(corpus)],
                    Path(scratch) / "bench.jsonl",
                    model=model,
                    jobs=jobs,
                    batch_size=batch_size,
                    force=True,
                    extractor=extractor,
                    extractor_options=None if facts else {"facts": False},
                    **limits,
                )
                seconds = time.perf_counter() - started
            docs, failed = summary.extracted, summary.failed
        else:
            import spacy

            texts = read_texts(texts_path)
            nlp = load_model(model) if variant == "ner_only" else spacy.load(model)
            docs, failed = 0, 0
            started = time.perf_counter()
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
    """One run of `variant` in a fresh interpreter, with its start-up (wall time outside the timed work)
    and the load average when it began."""
    command = [
        sys.executable,
        "-m",
        "summit_extract.benchmarks.bench",
        variant,
        str(corpus),
        str(texts_path),
        str(jobs),
        str(batch_size),
        model or "",
    ]
    load = load_average()
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
        raise BenchError(f"variant {variant!r} failed (exit {completed.returncode}): " + " | ".join(tail))
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["startup_seconds"] = max(wall - figures["seconds"], 0.0)
    figures["load"] = load
    return figures


def load_average() -> float | None:
    """The load average of the last minute, None where the system does not tell."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


# ---------------------------------------------------------------------------
# The whole benchmark


@dataclass(slots=True)
class BenchResult:
    """Every run of every variant (`runs`, in the order they ran) and the medians over them."""

    docs: int
    words: int
    runs: dict[str, list[dict]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the variants in the order they ran
    machine: dict[str, Any] = field(default_factory=dict)
    load_at_start: float | None = None
    load_at_end: float | None = None
    long_words: int = 0
    own_processes: int = 1  # the benchmark's busy processes, counted in every load reading after the start

    def words_of(self, variant: str) -> int:
        return self.long_words if variant == "long" else self.words

    def median(self, variant: str, key: str) -> float:
        return statistics.median(run[key] for run in self.runs[variant])

    def words_per_second(self, variant: str) -> float:
        seconds = self.median(variant, "seconds")
        return self.words_of(variant) / seconds if seconds > 0 else 0.0

    def ratio(self, first: str, second: str) -> float | None:
        if first not in self.runs or second not in self.runs:
            return None
        return self.words_per_second(first) / self.words_per_second(second)

    @property
    def busy(self) -> bool:
        """Whether other work put the load average above QUIET_LOAD: at the start, or at the end or the
        start of a run once the benchmark's own processes are taken off."""
        later = [self.load_at_end, *(run["load"] for runs in self.runs.values() for run in runs)]
        others = [self.load_at_start] + [None if load is None else load - self.own_processes for load in later]
        return any(load is not None and load > QUIET_LOAD for load in others)

    def busy_warning(self) -> str | None:
        if not self.busy:
            return None
        return (
            f"warning: other work put the load average above {QUIET_LOAD:g} ({self.load_at_start} at the start, "
            f"{self.load_at_end} at the end, the benchmark's own {self.own_processes} counted in the later "
            "readings): these figures are not final; run again when the machine is quiet"
        )

    def to_dict(self) -> dict[str, Any]:
        variants = {}
        for name, runs in self.runs.items():
            variants[name] = {
                "docs": runs[0]["docs"],
                "words": self.words_of(name),
                "runs": len(runs),
                "seconds": round(self.median(name, "seconds"), 3),
                "words_per_second": round(self.words_per_second(name), 1),
                "startup_seconds": round(self.median(name, "startup_seconds"), 3),
                "peak_rss_mb": round(max(run["peak_rss_mb"] for run in runs), 1),
                "jobs": runs[0]["jobs"],
                "failed": max(run["failed"] for run in runs),
                "load": [run["load"] for run in runs],
            }
        data: dict[str, Any] = {
            "docs": self.docs,
            "words": self.words,
            "variants": variants,
            "ratio_vs_ner_only": _round(self.ratio("pipeline", "ner_only")),
            "ratio_vs_stock": _round(self.ratio("pipeline", "stock")),
            "load_average": {"start": self.load_at_start, "end": self.load_at_end},
            "busy": self.busy,
            "order": self.order,
            "machine": self.machine,
        }
        if "pipeline_no_facts" in self.runs:
            data["ratio_no_facts_vs_ner_only"] = _round(self.ratio("pipeline_no_facts", "ner_only"))
        if "pipeline_one_job" in self.runs:
            data["speedup_vs_one_job"] = _round(self.ratio("pipeline", "pipeline_one_job"))
        if "long" in self.runs:
            data["long_vs_pipeline"] = _round(self.ratio("long", "pipeline"))
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
    rounds: int = DEFAULT_ROUNDS,
    long_lines: int = 0,
    facts_off: bool = False,
    source: Path,
    workdir: Path | None = None,
) -> BenchResult:
    """Build the corpus, run the variants in `rounds` rounds (A B C A B C ...), each run in its own
    subprocess, and return every run.

    With `jobs` > 1 every variant uses that many processes and the pipeline also runs with one
    process, for the speed-up. With `long_lines` the pipeline also runs over one article of that
    many short lines (variant `long`, one process), whose words per second against the corpus's
    show any cost that grows faster than the text. With `facts_off` the pipeline also runs without the facts,
    after it in each round.
    """
    if docs < 1:
        raise BenchError(f"Invalid --docs {docs}: expected 1 or more")
    if rounds < 1:
        raise BenchError(f"Invalid --rounds {rounds}: expected 1 or more")
    if long_lines < 0:
        raise BenchError(f"Invalid --long-lines {long_lines}: expected 0 (no long article) or more")
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        corpus, texts_path = Path(scratch) / "corpus", Path(scratch) / "texts.jsonl"
        paths = build_corpus(corpus, docs, source)
        result = BenchResult(docs=docs, words=clean_corpus(paths, texts_path), own_processes=jobs)
        # (variant, its corpus, its processes) in the order each round runs them
        plan = [(variant, corpus, jobs) for variant in variants]
        if facts_off and "pipeline" in variants:
            plan.insert(1, ("pipeline_no_facts", corpus, jobs))
        if jobs > 1 and "pipeline" in variants:
            plan.append(("pipeline_one_job", corpus, 1))
        if long_lines:
            long_path = write_long_article(Path(scratch) / "long", long_lines, source)
            result.long_words = clean_corpus([long_path], Path(scratch) / "long.jsonl")
            plan.append(("long", long_path.parent, 1))
        result.machine = machine_info()
        result.load_at_start = load_average()
        for _ in range(rounds):
            for name, folder, processes in plan:
                variant = "pipeline" if name == "pipeline_one_job" else name
                figures = variant_in_subprocess(variant, folder, texts_path, model, processes, batch_size)
                result.runs.setdefault(name, []).append(figures)
                result.order.append(name)
        result.load_at_end = load_average()
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
        bench(size, jobs=jobs, model=model, batch_size=batch_size, variants=("pipeline",), rounds=1, source=source)
        for size in sizes
    ]
    peaks = [run.runs["pipeline"][0]["peak_rss_mb"] for run in runs]
    return {
        "runs": [
            {
                "docs": run.docs,
                "words": run.words,
                "seconds": round(run.runs["pipeline"][0]["seconds"], 3),
                "peak_rss_mb": round(run.runs["pipeline"][0]["peak_rss_mb"], 1),
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
    from ..cleanup.steps import clean
    from ..extraction.extract import ArticleInput, Extractor
    from ..extraction.facts.extract import extract_facts
    from ..output.jsonl import dumps
    from ..reading.reader import read_article

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
        f"{stages['words']} words in {stages['docs']} articles, {total:.2f} s in all "
        f"(load average at the end: {stages['machine']['load_average']})",
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
            figures["runs"],
            figures["seconds"],
            figures["words_per_second"],
            figures["startup_seconds"],
            figures["peak_rss_mb"],
            " ".join("?" if load is None else f"{load:.2f}" for load in figures["load"]),
        ]
        for name, figures in data["variants"].items()
    ]
    headers = ["variant", "jobs", "docs", "runs", "seconds", "words/s", "start-up s", "peak RSS MB", "load"]
    lines = [
        tabulate(rows, headers=headers, tablefmt="simple"),
        "",
        f"{result.words} words in {result.docs} articles; the median of each variant's runs, which ran in turn "
        "(seconds and words/s: after start-up; load: the load average as each run began, the benchmark's own "
        "processes included)",
    ]
    if data["ratio_vs_ner_only"] is not None:
        lines.append(f"A/B pipeline vs NER-only spaCy: {data['ratio_vs_ner_only']:.3f}")
    if data["ratio_vs_stock"] is not None:
        lines.append(f"A/C pipeline vs stock spaCy:    {data['ratio_vs_stock']:.3f}")
    if "ratio_no_facts_vs_ner_only" in data:
        lines.append(f"pipeline without facts vs NER-only spaCy: {data['ratio_no_facts_vs_ner_only']:.3f}")
    if "speedup_vs_one_job" in data:
        lines.append(f"pipeline speed-up over one job: {data['speedup_vs_one_job']:.2f}")
    if "long_vs_pipeline" in data:
        lines.append(
            f"long article ({result.long_words} words) vs the corpus, words/s: {data['long_vs_pipeline']:.3f} "
            "(below 1: a cost that grows faster than the text)"
        )
    machine = data["machine"]
    lines.append(
        f"machine: {machine['cpu_count']} CPUs, Python {machine['python']}, spaCy {machine['spacy']}, "
        f"load average {result.load_at_start} at the start, {result.load_at_end} at the end"
    )
    return "\n".join(lines)


def format_memory_check(check: dict[str, Any]) -> str:
    lines = [
        f"{run['docs']:>6} articles: peak RSS {run['peak_rss_mb']:.1f} MB in {run['seconds']:.1f} s"
        for run in check["runs"]
    ]
    if check["growth"] is not None:
        lines.append(f"growth from the smallest to the largest corpus: {check['growth']:+.1%} (goal within 10%)")
    lines.append(f"load average at the end: {check['machine']['load_average']}")
    return "\n".join(lines)


def _main(argv: list[str]) -> None:
    """Subprocess entry: `python -m summit_extract.benchmarks.bench VARIANT CORPUS TEXTS JOBS BATCH [MODEL]`."""
    variant, corpus, texts, jobs, batch_size = argv[:5]
    model = argv[5] if len(argv) > 5 and argv[5] else None
    figures = run_variant(variant, Path(corpus), Path(texts), model, int(jobs), int(batch_size))
    print(json.dumps(figures))


if __name__ == "__main__":
    _main(sys.argv[1:])
