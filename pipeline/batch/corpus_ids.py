"""The second pass of a corpus run applied to its output file: the ids learnt across all its records
(`extraction.corpus_ids`), written back in place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..extraction.corpus_ids import corpus_aliases, with_corpus_ids
from ..extraction.identity import Canonicaliser
from ..output.jsonl import dumps, iter_jsonl
from .errors import OutputError
from .output import corpus_ids_path_for, open_exclusive


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
