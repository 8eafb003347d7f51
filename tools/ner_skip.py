"""Would skipping the model's NER on sentences without a name make runs faster at the same accuracy?

The experiment behind the decision in docs/benchmarks.md (*NER only where a name can be*). The
model's `ner` runs only on the sentences with a capitalised word after the first; every rule
component still sees the whole article. Two measurements, each of the two settings in one loaded
pipeline:

    python tools/ner_skip.py f1      # strict micro-F1 of every gold set, without and with the skip
    python tools/ner_skip.py speed DIR [--rounds 3]   # CPU seconds over DIR's *.txt, in turn

Run `speed` on a quiet machine (load average below 1): the gain it looks for is a few percent.
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import statistics
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

GOLD_SETS = ("gold", "heldout/gold", "blind/gold", "blind2/gold", "blind3/gold", "blind4/gold", "blind5/gold")
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
LEADING_MARKS = "\"'“‘([«*-–—•"


def may_hold_a_name(sentence: str) -> bool:
    """Whether a word after the first starts with a capital (the first is capitalised anyway)."""
    return any(word.lstrip(LEADING_MARKS)[:1].isupper() for word in sentence.split()[1:])


def named_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences (or lines) of `text` that may hold a name."""
    return [match.span() for match in SENTENCE.finditer(text) if may_hold_a_name(match.group())]


class NerOnNamedSentences:
    """Runs the model's `ner` on a doc made of the sentences that may hold a name, and puts its
    entities back at their offsets in the whole doc. Off (`on = False`), it is the plain `ner`."""

    def __init__(self, nlp: Language) -> None:
        self.nlp, self.ner, self.on = nlp, nlp.get_pipe("ner"), False
        self.kept = self.total = 0  # characters given to the model, of all

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            if not self.on:
                yield from self.ner.pipe(batch, batch_size=batch_size)
                continue
            parts = [named_sentences(doc.text) for doc in batch]
            shorter = [self.nlp.make_doc("\n".join(doc.text[s:e] for s, e in p)) for doc, p in zip(batch, parts)]
            for doc, ranges, short in zip(batch, parts, self.ner.pipe(shorter, batch_size=batch_size), strict=True):
                starts = [sum(e - s + 1 for s, e in ranges[:i]) for i in range(len(ranges))]
                self.kept, self.total = self.kept + len(short.text), self.total + len(doc.text)
                spans = []
                for entity in short.ents:
                    i = bisect.bisect_right(starts, entity.start_char) - 1
                    shift = ranges[i][0] - starts[i]
                    span = doc.char_span(
                        entity.start_char + shift, entity.end_char + shift, entity.label_, alignment_mode="contract"
                    )
                    if span is not None and len(span):
                        spans.append(span)
                doc.ents = spans
                yield doc


def extractor_with_switch():
    """A loaded Extractor whose model NER goes through `NerOnNamedSentences` (returned too, off)."""
    from summit_extract.extraction.extract import Extractor

    extractor = Extractor()
    switch = NerOnNamedSentences(extractor.nlp)
    # In the model NER's own place and under its name: added beside a disabled `ner`, the components
    # after it found other entities in one article of blind5.
    components = extractor.nlp._components
    components[[name for name, _ in components].index("ner")] = ("ner", switch)
    return extractor, switch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["f1", "speed"])
    parser.add_argument("folder", nargs="?", type=Path, help="with speed: a folder of *.txt articles")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="with f1: the folder of the gold sets")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    extractor, switch = extractor_with_switch()
    if arguments.what == "f1":
        from summit_extract.evaluation.evaluate import run_evaluation

        for name in GOLD_SETS:
            scores = []
            for on in (False, True):
                switch.on = on
                scores.append(run_evaluation(arguments.corpus / name, extractor=extractor).ours.strict_micro_f1)
            print(f"{name}: strict F1 {scores[0]:.4f} without the skip, {scores[1]:.4f} with it", flush=True)
        print(f"characters given to the model with the skip: {switch.kept / max(switch.total, 1):.3f}")
        return
    if arguments.folder is None:
        parser.error("speed needs the folder of articles")
    from summit_extract.extraction.extract import ArticleInput

    items = [
        ArticleInput(p.stem, str(p), p.read_text(encoding="utf-8")) for p in sorted(arguments.folder.glob("*.txt"))
    ]
    seconds: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(arguments.rounds):
        for on in (False, True):
            switch.on = on
            load, started = os.getloadavg()[0], time.process_time()
            for _record in extractor.extract_many(items):
                pass
            seconds[on].append(time.process_time() - started)
            print(f"{'with' if on else 'without'} the skip: {seconds[on][-1]:.2f} CPU s (load {load:.2f})", flush=True)
    without, with_skip = statistics.median(seconds[False]), statistics.median(seconds[True])
    print(f"median CPU s: {without:.2f} without, {with_skip:.2f} with the skip; speed-up {without / with_skip:.3f}")


if __name__ == "__main__":
    main()
