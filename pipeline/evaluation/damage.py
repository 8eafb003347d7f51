"""What a copy out of a PDF does to an article, applied on purpose so a gold set also measures cleanup.

`pdf_damage` is deterministic: the same text always gives the same damage. Each paragraph is
hard-wrapped to a narrow column, a long word that crosses the column's edge is hyphenated at the
line end, and every `page_lines` lines a page break falls, mid-sentence where it happens to,
leaving a blank-line run, a running header and a page number between the two halves.
"""

from __future__ import annotations

import re

WIDTH = 62
PAGE_LINES = 38
_MIN_SPLIT = 8  # a word shorter than this moves to the next line whole, as typesetters do


def _wrap(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        room = width - len(line) - (1 if line else 0)
        if len(word) <= room:
            line = f"{line} {word}" if line else word
            continue
        if len(word) >= _MIN_SPLIT and room >= 4 and word[: room - 1].isalpha():
            lines.append(f"{line} {word[: room - 1]}-" if line else f"{word[: room - 1]}-")
            line = word[room - 1 :]
            continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def pdf_damage(text: str, *, width: int = WIDTH, page_lines: int = PAGE_LINES, header: str = "Summit Review") -> str:
    """`text` as a PDF copy gives it: hard wraps, line-end hyphenation and page breaks with header and number."""
    out: list[str] = []
    count = 0
    page = 1
    for paragraph in re.split(r"\n\s*\n|\n", text):
        if not paragraph.strip():
            continue
        for line in _wrap(paragraph, width):
            out.append(line)
            count += 1
            if count % page_lines == 0:
                page += 1
                out += ["", "", str(page - 1), "", "", header, ""]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
