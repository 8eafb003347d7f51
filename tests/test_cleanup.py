"""Cleanup rules one by one, the paragraph planner, the offset map, and the seed article end to end."""

from __future__ import annotations

import json
import re

import pytest

from summit_extract.cleanup.metadata import header_cues
from summit_extract.cleanup.steps import (
    CleanText,
    clean,
    clean_text,
    cleanup_words,
    ends_mid_sentence,
    ends_sentence,
    hyphenated_pairs,
    is_heading_shaped,
    is_list_item,
    is_wrapped,
    join_hyphenation,
    join_soft_hyphenation,
    join_wrapped_lines,
    keeps_hyphen,
    normalise_line_breaks,
    normalise_line_endings,
    normalise_spaces,
    normalise_unicode,
    plan_paragraph_breaks,
    remove_invisible,
    remove_page_numbers,
    repair_mojibake,
    starts_lowercase,
    strip_line_edges,
    strip_outer_newlines,
    wrap_width,
)
from summit_extract.cleanup.textmap import MappedText, substitute


def run_step(step, raw: str) -> str:
    return step(MappedText.identity(raw)).text


@pytest.mark.parametrize(
    ("step", "raw", "expected"),
    [
        (normalise_line_endings, "one\r\ntwo\rthree\n", "one\ntwo\nthree\n"),
        (normalise_line_breaks, "a\x0cb\x0bc\u2028d\u2029e\x85f", "a\nb\nc\nd\ne\nf"),
        (repair_mojibake, "TÃ¼rkiye and CÃ´te dâ€™Ivoire", "Türkiye and Côte d’Ivoire"),
        (repair_mojibake, "“Curly” quotes and Türkiye stay", "“Curly” quotes and Türkiye stay"),
        (repair_mojibake, "ligature ﬁnal and ｗｉｄｅ stay", "ligature ﬁnal and ｗｉｄｅ stay"),
        (repair_mojibake, "&amp; is not unescaped", "&amp; is not unescaped"),
        (join_soft_hyphenation, "coop\u00ad\neration", "cooperation"),
        (remove_invisible, "zero\u200bwidth soft\u00adhyphen\ufeff", "zerowidth softhyphen"),
        (remove_invisible, "bell\x07 null\x00 C1\x9d rtl\u200f", "bell null C1 rtl"),
        (remove_invisible, "tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        (normalise_unicode, "Cafe\u0301 in Astana", "Caf\u00e9 in Astana"),
        (normalise_spaces, "no\u00a0break\tand\u2009thin   run", "no break and thin run"),
        (normalise_spaces, "line\n\nbreaks stay", "line\n\nbreaks stay"),
        (strip_line_edges, " lead\ntrail \n \nmid", "lead\ntrail\n\nmid"),
        (remove_page_numbers, "text\n12\nPage 3\n3 of 10\n- 4 -\n2024\n1. item", "text\n\n\n\n\n2024\n1. item"),
        (strip_outer_newlines, "\n\n\ntext\n\n", "text"),
    ],
)
def test_character_and_edge_steps(step, raw, expected):
    assert run_step(step, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("cooper-\nation", "cooperation"),
        ("cooper-\n\n\nation", "cooperation"),
        ("Kassym-\nJomart", "Kassym-Jomart"),
        ("Anti-\nDrug Strategy", "Anti-Drug Strategy"),
        ("for 2025-\n2027", "for 2025-2027"),
        ("self-\nreliance", "self-reliance"),
        ("non-\naligned", "non-aligned"),
        ("SCO-\nled talks", "SCO-led talks"),
        ("well-to-\ndo", "well-to-do"),
        ("a dash -\nstays", "a dash -\nstays"),
        # the article's own spelling elsewhere decides
        ("a multi-\nvector policy; multi-vector ties", "a multi-vector policy; multi-vector ties"),
        ("multi-\nlateral talks", "multilateral talks"),
    ],
)
def test_join_hyphenation(raw, expected):
    assert run_step(join_hyphenation, raw) == expected


@pytest.mark.parametrize(
    ("word", "next_word", "compounds", "expected"),
    [
        ("cooper", "ation", frozenset(), False),
        ("Kassym", "Jomart", frozenset(), True),
        ("2025", "2027", frozenset(), True),
        ("self", "reliance", frozenset(), True),
        ("G20", "led", frozenset(), True),
        ("UN", "backed", frozenset(), True),
        ("multi", "vector", frozenset({"multi-vector"}), True),
        ("multi", "lateral", frozenset({"multi-vector"}), False),
    ],
)
def test_keeps_hyphen(word, next_word, compounds, expected):
    assert keeps_hyphen(word, next_word, compounds) is expected


def test_hyphenated_pairs():
    assert hyphenated_pairs("a well-to-do, Multi-Vector state; cooper-\nation") == frozenset(
        {"well-to", "to-do", "multi-vector"}
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- first item", True),
        ("• bullet", True),
        ("1. numbered", True),
        ("12) numbered", True),
        ("a) lettered", True),
        ("iv. roman", True),
        ("2024 was a year", False),
        ("J. Smith said", False),
        ("-dash glued", False),
    ],
)
def test_is_list_item(line, expected):
    assert is_list_item(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("The summit ended.", True),
        ("Was it a success?", True),
        ("He said “yes.”", True),
        ("in the U.S.", True),
        ("(see the annex.)", True),
        ("under Mr.", False),
        ("President John F.", False),
        ("without punctuation", False),
        ("ends with a comma,", False),
    ],
)
def test_ends_sentence(line, expected):
    assert ends_sentence(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("the summit in", True),
        ("leadership of the", True),
        ("Russia, China,", True),
        ("member states—", True),
        ("the SCO", False),
        ("under President", False),
        ("a sentence.", False),
    ],
)
def test_ends_mid_sentence(line, expected):
    assert ends_mid_sentence(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("“quoted start", True),
        ("(bracketed", True),
        ("Capital", False),
        ("2024 numbers", False),
    ],
)
def test_starts_lowercase(line, expected):
    assert starts_lowercase(line) is expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Key Takeaways and Future Roadmap", True),
        ("2024 Summit Outcomes", True),
        ("2. Results", False),  # a numbered line is a list item
        ("A sentence that ends.", False),
        ("lowercase start", False),
        ("A heading that runs on far too long to be a heading in any article we would expect", False),
    ],
)
def test_is_heading_shaped(paragraph, expected):
    assert is_heading_shaped(paragraph) is expected


@pytest.mark.parametrize(
    ("lines", "blank_after", "expected"),
    [
        (["aaaa", "bbbbbb", "cccccccc", "dd", "end"], [False, False, False, False], 8),
        (["one", "two"], [False], None),
        (["x" * 300, "y" * 300, "z" * 300, "w"], [False, False, False], None),
        (["aaaa", "bbbb", "cccc", "dddd"], [True, True, True], None),
    ],
)
def test_wrap_width(lines, blank_after, expected):
    assert wrap_width(lines, blank_after) == expected


# Paragraph layout: one behaviour per row, from the shapes seen in PDF copies.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # line ends with a function word across a page break
        ("The summit in\n\nAstana marks a milestone.", "The summit in Astana marks a milestone."),
        # long line without final punctuation, next line capitalised after several blank lines
        (
            (
                "Title\n\nThe visionary leadership of the country has grown over the years under President\n\n\n\n"
                "Kassym-Jomart Tokayev, who leads."
            ),
            (
                "Title\n\nThe visionary leadership of the country has grown over the years under President "
                "Kassym-Jomart Tokayev, who leads."
            ),
        ),
        # the first line set off by a blank line is the title, however it is capitalised
        (
            (
                "African Union elects Djibouti's Youssouf to lead Commission as Sahel seats stay empty\n\n"
                "ADDIS ABABA, Feb. 16 — Heads of state met."
            ),
            (
                "African Union elects Djibouti's Youssouf to lead Commission as Sahel seats stay empty\n\n"
                "ADDIS ABABA, Feb. 16 — Heads of state met."
            ),
        ),
        # title and subtitle above a narrow column
        (
            (
                "Samarkand and the widening of the SCO\n\n\nAn analysis of the 2022 summit\n\n\n"
                "The meeting\nwas a chance to\npresent the city\nas a crossroads."
            ),
            (
                "Samarkand and the widening of the SCO\n\nAn analysis of the 2022 summit\n\n"
                "The meeting was a chance to present the city as a crossroads."
            ),
        ),
        # next line starts in lower case
        ("as well as guest countries\n\n\n\n\nsuch as Azerbaijan.", "as well as guest countries such as Azerbaijan."),
        ("The SCO\n\n\n\npromotes trade.", "The SCO promotes trade."),
        # final punctuation and a blank line: a real paragraph break
        ("First paragraph ends.\n\nSecond one starts.", "First paragraph ends.\n\nSecond one starts."),
        # a heading stays its own paragraph
        (
            "Key Takeaways and Future Roadmap\n\nThe summit's proposals matter.",
            "Key Takeaways and Future Roadmap\n\nThe summit's proposals matter.",
        ),
        # list items stay their own paragraphs
        (
            "Documents adopted:\n- Astana Declaration\n- Anti-Drug Strategy",
            "Documents adopted:\n\n- Astana Declaration\n\n- Anti-Drug Strategy",
        ),
        ("Outcomes:\n1. a declaration\n2. a strategy", "Outcomes:\n\n1. a declaration\n\n2. a strategy"),
        # a wrapped list item continues in lower case
        (
            "- the Astana Declaration on\nsecurity\n- the strategy",
            "- the Astana Declaration on security\n\n- the strategy",
        ),
        # header lines: title, byline, date
        (
            (
                "Well Done Kazakhstan: Host of SCO Summit 2024\n\n\nBy Jane Doe, Director, Centre for Studies, Islamabad\n\n"
                "Published on 8th July 2024\n\nThe summit opened."
            ),
            (
                "Well Done Kazakhstan: Host of SCO Summit 2024\n\nBy Jane Doe, Director, Centre for Studies, Islamabad\n\n"
                "Published on 8th July 2024\n\nThe summit opened."
            ),
        ),
        # title directly followed by the byline on the next line
        (
            "A Summit in Astana\nBy Jane Doe\nThe summit opened.",
            "A Summit in Astana\n\nBy Jane Doe\n\nThe summit opened.",
        ),
        # a dateline line stands alone, and a dated wire dateline opens a new paragraph
        (
            (
                "Astana Declaration of the Council of Heads of State of the Shanghai Cooperation Organisation\n\n"
                "Astana, 4 July 2024\nThe Heads of State met."
            ),
            (
                "Astana Declaration of the Council of Heads of State of the Shanghai Cooperation Organisation\n\n"
                "Astana, 4 July 2024\n\nThe Heads of State met."
            ),
        ),
        (
            "By Reuters\nJuly 4, 2024 10:05 AM GMT+5\nASTANA, July 4, 2024 (Reuters) - Leaders met.",
            "By Reuters\n\nJuly 4, 2024 10:05 AM GMT+5\n\nASTANA, July 4, 2024 (Reuters) - Leaders met.",
        ),
        # a byline wrapped after a comma continues
        (
            "By Jane Doe, Director,\nCentre for Studies\n\nThe summit opened.",
            "By Jane Doe, Director, Centre for Studies\n\nThe summit opened.",
        ),
        # a page number between the halves of a sentence or a hyphenated word disappears
        (
            "Title\n\nThe summit in\n\n12\n\nAstana adopted a cooper-\n\nPage 13\n\native plan.",
            "Title\n\nThe summit in Astana adopted a cooperative plan.",
        ),
        # a colon at the line end introduces an unmarked list
        (
            "Title\n\nDocuments adopted:\nAstana Declaration\nAnti-Drug Strategy",
            "Title\n\nDocuments adopted:\n\nAstana Declaration\n\nAnti-Drug Strategy",
        ),
        # an abbreviation at the line end is not a sentence end
        ("The talks were led by Mr.\n\nTokayev himself.", "The talks were led by Mr. Tokayev himself."),
        # whole paragraphs on single lines stay apart
        (
            "First paragraph is one line.\nSecond paragraph is one line.",
            "First paragraph is one line.\n\nSecond paragraph is one line.",
        ),
        # leading, trailing and inner space
        ("\n\n  Some   text \t here.  \n\n", "Some text here."),
    ],
)
def test_clean_layout(raw, expected):
    assert clean_text(raw) == expected


def test_narrow_column_is_rejoined():
    raw = (
        "The proposals of the summit,\n\noutline a clear roadmap\nfor the organization's\nfuture. These proposals\n"
        "emphasize collective\ncontributions and the\nadoption of strategies\n\n\n\nfor combating terrorism.\n\nNext paragraph."
    )
    assert clean_text(raw) == (
        "The proposals of the summit, outline a clear roadmap for the organization's future. These proposals "
        "emphasize collective contributions and the adoption of strategies for combating terrorism.\n\nNext paragraph."
    )


def test_hard_wrapped_text_breaks_only_after_short_last_lines():
    raw = (
        "The member states adopted the declaration and\n"
        "agreed on a new strategy for the years ahead.\n"
        "Leaders then met the press in the capital city\n"
        "and answered questions.\n"
        "A second paragraph follows here with more words\n"
        "to read."
    )
    assert clean_text(raw) == (
        "The member states adopted the declaration and agreed on a new strategy for the years ahead. "
        "Leaders then met the press in the capital city and answered questions.\n\n"
        "A second paragraph follows here with more words to read."
    )


# Hard-wrapped text (a column about 60 characters wide): a line ends a block only when the next
# word would have fitted on it.
WRAPPED_COLUMN = (
    "Title\n\n"
    "Palestinian President Mahmoud Abbas, Turkish President Recep\n"
    "Tayyip Erdoğan and others spoke after the military takeovers:\n"
    "Burkina Faso, Gabon, Guinea, Mali, Niger and Sudan were absent\n"
    "from the hall, officials said.\n"
    "Key Outcomes\n"
    "The leaders adopted a declaration and two statements on\n"
    "trade, energy and security in the wider region.\n"
)


def test_hard_wrapped_column_keeps_sentences_whole():
    assert clean_text(WRAPPED_COLUMN).split("\n\n") == [
        "Title",
        (
            "Palestinian President Mahmoud Abbas, Turkish President Recep Tayyip Erdoğan and others spoke after the "
            "military takeovers: Burkina Faso, Gabon, Guinea, Mali, Niger and Sudan were absent from the hall, "
            "officials said."
        ),
        "Key Outcomes",
        "The leaders adopted a declaration and two statements on trade, energy and security in the wider region.",
    ]


def test_wrapped_byline_continues():
    raw = (
        "Title\n\nBy Giulia Ferraro, Associate Fellow, Istituto per gli Studi di\n"
        "Politica Internazionale (ISPI), Milan\n\nThe leaders met in a hotel in the south of\n"
        "Italy for three days of talks on trade and on security in the\n"
        "wider region, and they agreed on a final text at the end.\n"
    )
    assert clean_text(raw).split("\n\n")[1] == (
        "By Giulia Ferraro, Associate Fellow, Istituto per gli Studi di Politica Internazionale (ISPI), Milan"
    )


@pytest.mark.parametrize(
    ("line", "following", "width", "expected"),
    [
        ("a line of the column that is nearly full", "Next", 45, True),
        ("a short last line.", "Next", 45, False),
        ("a line that would have room", "for", 60, False),
        ("any line", "Next", None, False),
    ],
)
def test_is_wrapped(line, following, width, expected):
    assert is_wrapped(line, following, width) is expected


def test_plan_has_one_decision_per_boundary():
    text = "Title\n\nBody line one\ncontinues here.\n\n\nNext."
    assert plan_paragraph_breaks(text) == [True, False, True]


def test_join_wrapped_lines_maps_the_new_space_to_the_newlines():
    raw = "summit in\n\nAstana"
    joined = join_wrapped_lines(MappedText.identity(raw))
    assert joined.text == "summit in Astana"
    assert joined.raw_span(9, 10) == (9, 11)


@pytest.mark.parametrize(
    ("raw", "clean_range", "raw_range"),
    [
        ("summit in\n\nAstana marks", (10, 16), (11, 17)),
        ("  cooper-\nation begins", (0, 11), (2, 15)),
        ("TÃ¼rkiye joined", (0, 7), (0, 8)),
        ("TÃ¼rkiye joined", (1, 2), (1, 3)),
        ("TÃ¼rkiye joined", (2, 7), (3, 8)),
        ("a\u200bb c", (0, 2), (0, 3)),
        ("one\r\ntwo", (4, 7), (5, 8)),
        ("text", (2, 2), (2, 2)),
        ("text", (4, 4), (4, 4)),
    ],
)
def test_raw_span(raw, clean_range, raw_range):
    assert clean(raw).raw_span(*clean_range) == raw_range


@pytest.mark.parametrize("bad_range", [(-1, 2), (3, 2), (0, 99)])
def test_raw_span_rejects_bad_ranges(bad_range):
    with pytest.raises(ValueError, match=r"Invalid span"):
        clean("some text").raw_span(*bad_range)


@pytest.mark.parametrize(
    ("raw", "pattern", "replacement", "expected_text", "expected_starts", "expected_ends"),
    [
        ("abc", "b", "X", "aXc", [0, 1, 2], [1, 2, 3]),  # rewritten middle
        ("abbc", "bb", "", "ac", [0, 3], [1, 4]),  # deletion
        ("ac", "(?<=a)(?=c)", "b", "abc", [0, 1, 1], [1, 1, 2]),  # insertion: empty range at the next character
        ("a\r\nb", "\r\n", "\n", "a\nb", [0, 2, 3], [1, 3, 4]),  # shared suffix keeps its own range
    ],
)
def test_substitute_keeps_the_map(raw, pattern, replacement, expected_text, expected_starts, expected_ends):
    result = substitute(MappedText.identity(raw), re.compile(pattern), replacement)
    assert (result.text, list(result.raw_starts), list(result.raw_ends)) == (
        expected_text,
        expected_starts,
        expected_ends,
    )


@pytest.mark.parametrize(
    ("old", "new", "align"),
    [
        ("TÃ¼rkiye and ErdoÄŸan met", "Türkiye and Erdoğan met", "words"),  # spaces line up: word by word
        ("voilÃ  le travail", "voilà le travail", "words"),  # a space consumed: whole diff
        ("TÃ¼rkiye and ErdoÄŸan met", "Türkiye and Erdoğan met", "diff"),
    ],
)
def test_aligners_map_unchanged_words_exactly(old, new, align):
    result = substitute(MappedText.identity(old), re.compile(".+"), new, align=align)
    assert result.text == new
    for word in re.finditer(r"[a-z]{3,}", new):
        raw_start, raw_end = result.raw_span(*word.span())
        assert old[raw_start:raw_end] == word.group()


def test_substitute_returns_the_same_object_when_nothing_changes():
    text = MappedText.identity("nothing to do")
    assert substitute(text, re.compile("o"), "o") is text


def test_clean_returns_clean_text():
    result = clean("Some text.")
    assert isinstance(result, CleanText)
    assert result.text == clean_text("Some text.") == "Some text."


def test_seed_article_end_to_end(seed_raw):
    result = clean(seed_raw)
    text = result.text
    for phrase in (
        "summit in Astana marks",
        "under President Kassym-Jomart Tokayev",
        "guest countries such as Azerbaijan",
        "The SCO promotes",
        (
            "outline a clear roadmap for the organization's future. These proposals emphasize collective "
            "contributions and the adoption of strategies for combating terrorism"
        ),
    ):
        assert phrase in text
    paragraphs = text.split("\n\n")
    assert paragraphs[:3] == [
        "Well Done Kazakhstan: Exemplary host of SCO Summit 2024",
        (
            "By Mr. Khalid Taimur Akram, Executive Director, Pakistan Research Center for a Community with Shared "
            "Future (PRCCSF), Islamabad"
        ),
        "Published on 8th July 2024",
    ]
    assert "Key Takeaways and Future Roadmap" in paragraphs
    assert "\n\n\n" not in text and all("\n" not in p and "  " not in p for p in paragraphs)
    start = text.index("Kassym-Jomart Tokayev")
    raw_start, raw_end = result.raw_span(start, start + len("Kassym-Jomart Tokayev"))
    assert seed_raw[raw_start:raw_end] == "Kassym-Jomart Tokayev"


@pytest.mark.parametrize(
    ("loader", "key"),
    [
        (cleanup_words, "hyphen_keeping_prefixes"),
        (header_cues, "byline_cues"),
    ],
)
def test_malformed_word_lists_are_named(tmp_path, monkeypatch, loader, key):
    (tmp_path / "cleanup.json").write_text(json.dumps({key: "self"}), encoding="utf-8")
    monkeypatch.setenv("SUMMIT_EXTRACT_PATTERNS", str(tmp_path))
    loader.cache_clear()
    try:
        with pytest.raises(
            ValueError, match=rf"cleanup.json, line 1: key '{key}': expected a list of strings, got \"self\""
        ):
            loader()
    finally:
        monkeypatch.delenv("SUMMIT_EXTRACT_PATTERNS")
        loader.cache_clear()


# A PDF text layer has no blank lines: a headline or byline as long as the column looks wrapped.
_BODY = (
    "Leaders of the Collective Security Treaty Organization agreed on\n"
    "Thursday to step up help for Tajikistan on its border with Afghanistan, a month after the Taliban\n"
    "seized power in Kabul."
)


@pytest.mark.parametrize(
    ("raw", "paragraphs"),
    [
        (
            "CSTO leaders pledge to shield the Tajik border with Afghanistan as the Taliban tighten grip\n"
            "DUSHANBE, Sept 16 (Asia-Plus) - " + _BODY,
            ["CSTO leaders pledge to shield the Tajik border with Afghanistan as the Taliban tighten grip", "DUSHANBE"],
        ),
        (
            "Summit news\nBy Anna Petrova and Ruben Sargsyan, Nordpress correspondents in Central Asia and Caucasus\n"
            "JOHANNESBURG - " + _BODY,
            ["Summit news", "By Anna Petrova and Ruben Sargsyan", "JOHANNESBURG"],
        ),
        (
            "Security bloc leaders pledge help for the Tajik border with Afghanistan as the Taliban tighten\n"
            "MOSCOW, May 3. /Nordpress/. " + _BODY,
            ["Security bloc leaders", "MOSCOW"],
        ),
        # capitals that go on a wrapped sentence are no dateline
        (
            "Leaders of the Collective Security Treaty Organization agreed on Thursday to step up help for\n"
            "Tajikistan on its border with Afghanistan and to hold talks with the members of the regional\n"
            "ASEAN, the EU and China later in the year, a month after the Taliban seized power in the capital.",
            ["Leaders of the Collective"],
        ),
    ],
)
def test_wire_dateline_opens_a_paragraph_after_a_full_width_line(raw, paragraphs):
    cleaned = clean_text(raw).split("\n\n")
    assert [p for p, start in zip(cleaned, paragraphs) if p.startswith(start)] == cleaned
    assert len(cleaned) == len(paragraphs)
    assert clean_text(clean_text(raw)) == clean_text(raw)
