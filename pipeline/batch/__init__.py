"""The batch layer behind `summit-extract run`: a corpus in, one JSONL line per article out.

- `sources` (in `summit_extract.reading.sources`) and `work`: which articles, and the per-article work every
  engine shares (read, skip what is done, extract in batches, one failure fails alone);
- `output`: the output file's state — refuse a foreign file, resume ours, keep whole lines, one
  run at a time (the lock beside it);
- `engine`: the one `Engine` interface and what travels to workers (`ExtractorSpec`,
  `BatchJob`), implemented by `local` (in-process, process pool) and `dask_engine`;
- `summary`: what a run did, as data; `job`: `run()`, which ties them together.

Nothing here prints: the CLI words errors, draws the progress bar and formats the summary.
"""

from __future__ import annotations

from .engine import BatchJob, Engine, ExtractorSpec
from .errors import (
    ForeignOutputError,
    OptionConflictError,
    OptionError,
    OutputError,
    OutputIncompleteError,
    OutputLockedError,
    RunError,
    SchedulerUnreachableError,
    StdinError,
    UnmatchedPatternError,
    WorkersCannotLoadError,
)
from .job import ENGINES, run
from .outcomes import DoneKey, Outcome, Skipped
from .output import (
    OutputState,
    errors_path_for,
    keep_latest_records,
    prepare_output,
    scan_output,
    truncate_partial_line,
)
from .summary import ArticleRow, RunSummary
from .work import DEFAULT_BATCH_SIZE, extract_batch, process_sources

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ENGINES",
    "ArticleRow",
    "BatchJob",
    "DoneKey",
    "Engine",
    "ExtractorSpec",
    "ForeignOutputError",
    "OptionConflictError",
    "OptionError",
    "Outcome",
    "OutputError",
    "OutputIncompleteError",
    "OutputLockedError",
    "OutputState",
    "RunError",
    "RunSummary",
    "SchedulerUnreachableError",
    "StdinError",
    "UnmatchedPatternError",
    "Skipped",
    "WorkersCannotLoadError",
    "errors_path_for",
    "extract_batch",
    "keep_latest_records",
    "prepare_output",
    "process_sources",
    "run",
    "scan_output",
    "truncate_partial_line",
]
