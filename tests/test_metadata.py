"""Title, byline and publication date from the top of cleaned text."""

from __future__ import annotations

import pytest

from summit_extract.cleanup.metadata import (
    byline_text,
    extract_metadata,
    is_bare_date_line,
    is_dateline_only,
    is_header_line,
    is_label,
    is_title_like,
    opens_wire_dateline,
    parse_date,
    starts_like_header,
)
from summit_extract.cleanup.steps import clean_text
from summit_extract.records import ArticleMeta


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("8th July 2024", "2024-07-08"),
        ("July 4, 2024", "2024-07-04"),
        ("04.07.2024", "2024-07-04"),  # day first
        ("2024-07-04", "2024-07-04"),  # ISO stays year-month-day
        ("2024/07/04", "2024-07-04"),
        ("5 July 2024 10:32 GMT", "2024-07-05"),
        ("4 July 2024 SCO", "2024-07-04"),  # an unknown time-zone-like word is ignored, without a warning
        ("Thursday, 4 July 2024", "2024-07-04"),
        ("July 4", None),  # no year
        ("July 2024", None),  # no day
        ("2024-13-45", None),  # not a calendar date
        ("no date here", None),
    ],
)
@pytest.mark.filterwarnings("error")
def test_parse_date(phrase, expected):
    assert parse_date(phrase) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        (
            "By Mr. Khalid Taimur Akram, Executive Director, Islamabad",
            "Mr. Khalid Taimur Akram, Executive Director, Islamabad",
        ),
        ("Written by Jane Doe", "Jane Doe"),
        ("Author: Jane Doe", "Jane Doe"),
        ("By Jane Doe | 4 July 2024", "Jane Doe"),
        ("By contrast, the summit was calm.", None),
        ("By 2030 trade will double.", None),
        ("The summit opened.", None),
    ],
)
def test_byline_text(line, expected):
    assert byline_text(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Thursday, 4 July 2024", True),
        ("04.07.2024", True),
        ("Jul 8, 2024 | 10:05 AM", True),
        ("July 4, 2024 10:05 AM GMT+5 Updated 2 hours ago", True),
        ("2024 Summit Outcomes", False),
        ("The summit opened on 4 July 2024.", False),
        ("Leaders met in Astana in 2024", False),
    ],
)
def test_is_bare_date_line(line, expected):
    assert is_bare_date_line(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Hiroshima, 21 May 2023", True),
        ("Bishkek, 13 October 2023 (Staff report)", True),
        ("ASTANA, July 4 (Kazinform)", False),  # no year
        ("ASTANA, July 4, 2024 (Kazinform) – The summit opened.", False),  # a body paragraph follows
        ("Astana, the capital, hosted it", False),
    ],
)
def test_is_dateline_only(line, expected):
    assert is_dateline_only(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe, Director of a long-named centre and more words follow here", True),
        ("Published on 8th July 2024 at the summit site", True),
        ("ASTANA, July 4, 2024 (Kazinform) – The summit opened.", True),
        ("By contrast, the summit was calm.", False),
        ("by Kenya, Ghana and Senegal, which a wrapped line carries on", False),
        ("published on 3 May by the ministry, a wrapped sentence goes on", False),
        # a wire dateline without a year opens a paragraph when its place is in capitals
        ("ASTANA, July 4 (Kazinform) – The summit opened.", True),
        ("Astana, July 4 (Kazinform) – The summit opened.", False),
        ("The summit opened.", False),
    ],
)
def test_starts_like_header(line, expected):
    assert starts_like_header(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("DUSHANBE, Sept 16 (Asia-Plus) - Leaders met.", True),
        ("JOHANNESBURG — Leaders of the group met.", True),
        ("JOHANNESBURG -- Leaders of the group met.", True),
        ("JOHANNESBURG —", True),  # the line ends where the column did
        ("MOSCOW, May 3. /Nordpress/. The talks began.", True),
        ("NIAMEY, Niger, July 7 (PANA) – Africa's leaders met.", True),
        ("ASHGABAT, 11 October 2019 — The council met.", True),
        ("PHNOM PENH, Nov 13 – The summit met.", True),
        ("BISHKEK (AKIpress) - The summit opened.", True),
        # capitals in a wrapped sentence are no dateline
        ("ASEAN, the EU and China agreed.", False),
        ("NATO — the alliance — met.", False),
        ("BRICS (Brazil, Russia, India) and others met.", False),
        ("US, China and Russia met.", False),
        ("Moscow, May 3 - The talks began.", False),
    ],
)
def test_opens_wire_dateline(line, expected):
    assert opens_wire_dateline(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", True),
        ("Published on 8th July 2024", True),
        ("Hiroshima, 21 May 2023", True),
        ("Updated: 5 July 2024", True),
        ("4 July 2024", True),
        ("Published reports say the summit went well.", False),
        ("Key Takeaways", False),
    ],
)
def test_is_header_line(line, expected):
    assert is_header_line(line) is expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Well Done Kazakhstan: Exemplary host of SCO Summit 2024", True),
        ("Is the SCO ready for expansion?", True),
        ("The summit opened in Astana.", False),
        ("By Jane Doe", False),
        ("Published on 8th July 2024", False),
        (" ".join(["word"] * 30), False),
        ("", False),
    ],
)
def test_is_title_like(paragraph, expected):
    assert is_title_like(paragraph) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Summit in Astana\n\nBy Jane Doe, Centre for Studies\n\nPublished on 8th July 2024\n\nThe summit opened.",
            ArticleMeta("Summit in Astana", "Jane Doe, Centre for Studies", "2024-07-08"),
        ),
        ("Summit in Astana\n\nJuly 4, 2024\n\nThe summit opened.", ArticleMeta("Summit in Astana", None, "2024-07-04")),
        ("Summit in Astana\n\nPosted on 04.07.2024\n\nBody.", ArticleMeta("Summit in Astana", None, "2024-07-04")),
        ("Summit\n\nDate: 2024-07-04\n\nBody.", ArticleMeta("Summit", None, "2024-07-04")),
        ("Summit in Astana\n\nUpdated: 5 July 2024\n\nBody.", ArticleMeta("Summit in Astana", None, "2024-07-05")),
        # "Published" wins over "Updated", whichever comes first
        (
            "Summit\n\nUpdated: 6 July 2024\n\nPublished: 5 July 2024\n\nBody.",
            ArticleMeta("Summit", None, "2024-07-05"),
        ),
        # a wire dateline without a year gives no date
        ("ASTANA, July 4 (Kazinform) – The summit opened.", ArticleMeta(None, None, None)),
        ("ASTANA, July 4, 2024 (Kazinform) – The summit opened.", ArticleMeta(None, None, "2024-07-04")),
        # a dateline on its own line, or with an agency
        ("Summit Outcomes\n\nHiroshima, 21 May 2023\n\nBody.", ArticleMeta("Summit Outcomes", None, "2023-05-21")),
        ("Summit\n\nBishkek, 13 October 2023 (Staff report)\n\nBody.", ArticleMeta("Summit", None, "2023-10-13")),
        # a date in the byline after a separator
        ("Summit\n\nBy Jane Doe | 4 July 2024\n\nBody.", ArticleMeta("Summit", "Jane Doe", "2024-07-04")),
        # a label above the title, a section or site name beside it
        ("PRESS RELEASE\n\nSummit held in Bishkek\n\nBody.", ArticleMeta("Summit held in Bishkek", None, None)),
        ("Opinion | An empty chair in Minsk\n\nBody.", ArticleMeta("An empty chair in Minsk", None, None)),
        ("SCO summit ends in Astana | Reuters\n\nBody.", ArticleMeta("SCO summit ends in Astana", None, None)),
        ("KEY OUTCOMES\n\nThe summit opened.", ArticleMeta(None, None, None)),
        # a first paragraph that is a sentence is no title
        ("The summit opened in Astana.\n\nMore text.", ArticleMeta(None, None, None)),
        ("", ArticleMeta(None, None, None)),
    ],
)
def test_extract_metadata(text, expected):
    assert extract_metadata(text) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [("PRESS RELEASE", True), ("OPINION", True), ("G7", True), ("Key Outcomes", False), ("A B C D E F", False)],
)
def test_is_label(paragraph, expected):
    assert is_label(paragraph) is expected


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # A text that opens with an ISO date, the page's date rendered before the headline, on a long line.
        (
            "date 2031-05-04 LUMEN, May 4. The Union met in Lumen on Monday and adopted a plan for the lakes and rivers.",
            "2031-05-04",
        ),
        (
            "2031-05-04 Leaders of the Union met in Lumen on Monday and adopted a plan for the lakes and the rivers.",
            "2031-05-04",
        ),
        # Not a date, and not at the opening.
        ("2031-13-45 is a code. Leaders of the Union met in Lumen on Monday and adopted a plan.", None),
        ("Leaders met in Lumen on Monday; the report 2031-05-04 followed later in the year.", None),
    ],
)
def test_an_opening_iso_date_dates_the_text(text, published):
    assert extract_metadata(text).published == published


def test_metadata_only_looks_at_the_top():
    body = "\n\n".join(f"Paragraph {n} of the body." for n in range(10))
    assert extract_metadata(f"Title\n\n{body}\n\nPublished on 8th July 2024").published is None


def test_seed_article_metadata(seed_raw):
    meta = extract_metadata(clean_text(seed_raw))
    assert meta == ArticleMeta(
        title="Well Done Kazakhstan: Exemplary host of SCO Summit 2024",
        author="Mr. Khalid Taimur Akram, Executive Director, Pakistan Research Center for a Community with "
        "Shared Future (PRCCSF), Islamabad",
        published="2024-07-08",
    )
