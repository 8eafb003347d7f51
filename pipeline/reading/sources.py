"""Turning the PATH arguments of `summit-extract run` into a list of articles with doc ids.

A folder contributes every file below it whose name matches one of the globs (by default
`*.txt`, `*.pdf`, `*.html`, `*.htm`, `*.docx`, in any letter case), sorted, with the doc id
being the path relative to that folder; a file named directly, or matched by a glob PATH,
contributes its name. A text file's id drops its suffix (`a/b.txt` -> `a/b`, as ever); a PDF,
web page or Word file keeps it (`kazan.pdf`), so the same article saved as a page and printed
to PDF gives two articles, not a clash. `-` is standard input: one article with the id `stdin`
(or another given), or the articles of a JSONL stream with their own ids.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ..errors import SummitError
from ..records import ErrorRecord
from .formats import DEFAULT_GLOBS, format_of

STDIN_ARGUMENT = "-"
STDIN_ID = "stdin"
STDIN_SOURCE = "<stdin>"


def bytes_safe(name: str) -> str:
    """A file name as text that can be written anywhere: bytes of it that are not UTF-8 (which
    Python carries as lone surrogates) become `\\xNN` escapes, `caf\\xe9.txt` for Latin-1 `café.txt`."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that stands for no byte
            raw = name.encode("utf-8", "backslashreplace")
        return raw.decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class Source:
    """One article to read: where it is (`path`, None for stdin) and the id it gets in the output."""

    doc_id: str
    path: str | None

    @property
    def is_stdin(self) -> bool:
        return self.path is None

    @property
    def name(self) -> str:
        """How the article is named in records and messages: the path as found (`bytes_safe`), or `<stdin>`."""
        return STDIN_SOURCE if self.path is None else bytes_safe(self.path)

    def to_dict(self) -> dict[str, str | None]:
        return {"doc_id": self.doc_id, "path": self.path}


@dataclass(slots=True)
class Expansion:
    """The articles found, in order, and the arguments or files that could not become articles."""

    sources: list[Source] = field(default_factory=list)
    problems: list[ErrorRecord] = field(default_factory=list)
    unmatched_patterns: list[str] = field(default_factory=list)  # globs that match no file

    def to_dict(self) -> dict[str, list[dict]]:
        return {
            "sources": [source.to_dict() for source in self.sources],
            "problems": [problem.to_dict() for problem in self.problems],
        }


def doc_id_for(relative: str) -> str:
    """A text file's path without its suffix; a PDF's, web page's or Word file's path as it is
    (`bytes_safe`: a name that is not UTF-8 gives an id with `\\xNN` escapes)."""
    relative = bytes_safe(relative)
    if format_of(relative) != "txt":
        return relative
    return relative[: -len(PurePath(relative).suffix)] if PurePath(relative).suffix else relative


def matches_any(name: str, globs: Sequence[str]) -> bool:
    """Whether a file name matches one of `globs`, in any letter case ("Report.PDF" is a PDF)."""
    return any(fnmatch.fnmatchcase(name.lower(), pattern.lower()) for pattern in globs)


def folder_sources(folder: Path, globs: Sequence[str] = DEFAULT_GLOBS) -> list[Source]:
    """Every file below `folder` whose name matches one of `globs`, sorted by relative path
    (directories with such names included: reading them fails with a clear error rather than
    their silently vanishing).

    A symlinked subfolder is followed like a real one, unless it leads to a folder the walk
    reaches otherwise (a folder of the tree itself, one already followed, or a loop)."""
    # Each real folder is walked once, by the first path that reaches it; the tree's own folders
    # are claimed first, by their real paths, so a link never takes their files' doc ids.
    walked_by = {os.path.realpath(top): top for top, _, _ in os.walk(folder)}
    found = []
    for top, folders, files in os.walk(folder, followlinks=True):
        folders[:] = [name for name in sorted(folders) if _first_to_reach(os.path.join(top, name), walked_by)]
        for name in (*files, *folders):
            if matches_any(name, globs):
                path = Path(top, name)
                found.append(Source(doc_id=doc_id_for(path.relative_to(folder).as_posix()), path=str(path)))
    return sorted(found, key=lambda source: source.doc_id)


def _first_to_reach(path: str, walked_by: dict[str, str]) -> bool:
    """Whether `path` is the path by which its real folder is walked (claiming it if unclaimed)."""
    return walked_by.setdefault(os.path.realpath(path), path) == path


def file_source(path: Path) -> Source:
    return Source(doc_id=doc_id_for(path.name), path=str(path))


def sources_for_argument(
    argument: str, globs: Sequence[str] = DEFAULT_GLOBS, stdin_ids: Sequence[str] = (STDIN_ID,)
) -> list[Source] | ErrorRecord:
    """The articles one PATH argument stands for, or an error record when it names nothing.

    `globs` choose the files of a folder; a file named directly is read whatever its name."""
    if argument == STDIN_ARGUMENT:
        return [Source(doc_id=doc_id, path=None) for doc_id in stdin_ids]
    path, shown = Path(argument), bytes_safe(argument)
    if path.is_dir():
        found = folder_sources(path, globs)
        if not found:
            # A folder of files in no format read (or none the globs pick) must not pass for an empty corpus.
            return ErrorRecord(
                doc_id=bytes_safe(path.name) or shown,
                source=shown,
                error="missing",
                message=f"{shown}: no file in the folder matches {', '.join(globs)}",
            )
        return found
    if path.exists() or path.is_symlink():
        return [file_source(path)]
    if glob.has_magic(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if matches:
            sources: list[Source] = []
            for match in matches:
                matched = Path(match)
                sources.extend(folder_sources(matched, globs) if matched.is_dir() else [file_source(matched)])
            return sources
        return ErrorRecord(
            doc_id=shown,  # the pattern itself: its stem ("*") names no article
            source=shown,
            error="missing",
            message=f"{shown}: the pattern matches no file",
        )
    return ErrorRecord(
        doc_id=bytes_safe(path.stem) or shown,
        source=shown,
        error="missing",
        message=f"{shown}: no such file or folder",
    )


def expand_paths(
    arguments: Iterable[str], globs: Sequence[str] | None = None, *, stdin_ids: Sequence[str] = (STDIN_ID,)
) -> Expansion:
    """All articles named by `arguments`, in argument order, each doc id once; `globs` (default:
    every format with a reader) choose which files a folder contributes; `-` stands for `stdin_ids`.

    The same file reached twice (say, as a folder and by name) is kept once; two different
    files that would share a doc id make the later one an input error naming both.
    """
    expansion = Expansion()
    seen: dict[str, Source] = {}
    for argument in arguments:
        found = sources_for_argument(argument, tuple(globs) if globs else DEFAULT_GLOBS, stdin_ids)
        if isinstance(found, ErrorRecord):
            expansion.problems.append(found)
            if glob.has_magic(argument):  # a missing path with wildcards was tried as a pattern
                expansion.unmatched_patterns.append(argument)
            continue
        for source in found:
            earlier = seen.get(source.doc_id)
            if earlier is None:
                seen[source.doc_id] = source
                expansion.sources.append(source)
            elif not same_file(earlier, source):
                expansion.problems.append(
                    ErrorRecord(
                        doc_id=source.doc_id,
                        source=source.name,
                        error="duplicate-id",
                        message=(
                            f"{source.name}: doc id {source.doc_id!r} is already taken by {earlier.name}; "
                            "rename one of the files or pass their folder instead"
                        ),
                    )
                )
    return expansion


class NoArticleError(SummitError, ValueError):
    """PATH arguments that name no article: a path that does not exist, a folder without article files."""


def check_arguments(arguments: Sequence[str], globs: Sequence[str] | None = None) -> Expansion:
    """The expansion of `arguments`, or `NoArticleError` when one of them names no article or none is left.

    A glob that matches no file is left to `UnmatchedPatternError`, which says more about patterns,
    and a blank `globs` pattern to the option check of `batch.run`.
    """
    expansion = expand_paths(arguments, [pattern for pattern in globs or () if pattern.strip()])
    unusable = [
        problem.message
        for problem in expansion.problems
        if problem.error == "missing" and problem.source not in expansion.unmatched_patterns
    ]
    if unusable:
        raise NoArticleError("; ".join(unusable))
    if not expansion.sources and not expansion.problems:
        raise NoArticleError(f"nothing to read in {', '.join(arguments)}")
    return expansion


def same_file(first: Source, second: Source) -> bool:
    if first.path is None or second.path is None:
        return first.path == second.path
    try:
        return Path(first.path).resolve() == Path(second.path).resolve()
    except OSError:
        return first.path == second.path
