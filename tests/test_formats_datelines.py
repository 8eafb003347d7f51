"""Wire datelines in capitals ("DUSHANBE, Sept 16 (Agency) -") give the same entities whatever the article's
format: the dateline opens its paragraph, the place is no organisation, the agency credited is one."""

from __future__ import annotations

import html

import pytest
from documents import write_docx, write_pdf

from summit_extract.batch import run
from summit_extract.output.jsonl import iter_jsonl

pytestmark = pytest.mark.model

BODY = (
    "Leaders of the Collective Security Treaty Organization agreed on Thursday to step up help for Tajikistan "
    "on its border with Afghanistan, a month after the Taliban seized power in Kabul."
)
MORE = "Kazakhstan and Kyrgyzstan sent their presidents, and Belarus said it would send officers to the border."
# (headline and byline lines above the dateline, the dateline, its place, the agency it credits)
ARTICLES = {
    "first-paragraph": ([], "DUSHANBE, Sept 16 (Asia-Plus) — ", "DUSHANBE", "Asia-Plus"),
    # a headline as long as a PDF's column looked wrapped and was joined to the dateline
    "long-headline": (
        ["CSTO leaders pledge to shield the Tajik border with Afghanistan as the Taliban tighten grip"],
        "DUSHANBE, Sept 16 (Asia-Plus) — ",
        "DUSHANBE",
        "Asia-Plus",
    ),
    "long-headline-slashes": (
        ["CSTO leaders pledge to shield the Tajik border with Afghanistan as the Taliban tighten grip"],
        "DUSHANBE, Sept 16. /Nordpress/. ",
        "DUSHANBE",
        "Nordpress",
    ),
    "headline-no-credit": (["Security bloc leaders meet as tensions rise"], "JOHANNESBURG — ", "JOHANNESBURG", None),
    "byline": (
        ["Security bloc leaders meet as tensions rise", "By Anna Petrova"],
        "MOSCOW, May 3. /Nordpress/. ",
        "MOSCOW",
        "Nordpress",
    ),
    "long-byline": (
        ["Summit news", "By Anna Petrova and Ruben Sargsyan, Nordpress correspondents in Central Asia and Caucasus"],
        "JOHANNESBURG — ",
        "JOHANNESBURG",
        None,
    ),
}


def paragraphs_of(name: str, dash: str) -> list[str]:
    above, dateline, _, _ = ARTICLES[name]
    return [*above, dateline.replace("—", dash) + BODY, MORE]


def write_article(folder, name: str, file_format: str, dash: str):
    paragraphs = paragraphs_of(name, dash)
    path = folder / f"{name}.{file_format}"
    if file_format == "txt":
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    elif file_format == "docx":
        write_docx(path, paragraphs)
    elif file_format == "pdf":
        write_pdf(path, [paragraphs])
    else:
        blocks = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
        path.write_text(f"<html><body><article>{blocks}</article></body></html>", encoding="utf-8")
    return path


def records_of(tmp_path, extractor, name: str, formats: tuple[str, ...]) -> dict[str, dict]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    # The tests' PDF font (Helvetica) has no em dash: the .txt a PDF is compared with has the same hyphen.
    dash = "-" if "pdf" in formats else "—"
    for file_format in formats:
        write_article(folder, name, file_format, dash)
    output = tmp_path / "out.jsonl"
    summary = run([str(folder)], output, extractor=extractor)
    assert (summary.extracted, summary.failed) == (len(formats), 0)
    return {data["input"]["format"]: data for _, data in iter_jsonl(output)}


def mentions(record: dict) -> list[tuple[str, str, str]]:
    return [(e["label"], e["text"], e["id"]) for e in record["entities"]]


@pytest.mark.parametrize("file_format", ["docx", "pdf", "html"])
@pytest.mark.parametrize("name", list(ARTICLES))
def test_dateline_gives_the_same_entities_in_every_format(tmp_path, extractor, name, file_format):
    records = records_of(tmp_path, extractor, name, ("txt", file_format))
    place = ARTICLES[name][2]
    for record in records.values():
        # The dateline opens a paragraph of the cleaned text, as in the .txt.
        assert any(paragraph.startswith(place) for paragraph in record["text"].split("\n\n")), record["text"]
    assert mentions(records[file_format]) == mentions(records["txt"])


# A dateline's place in capitals is no organisation, with a comma or a dash after it ("JOHANNESBURG — "), in
# every format alike; slashes ("/Nordpress/.") credit an agency only when the tables know it.
@pytest.mark.parametrize("name", list(ARTICLES))
def test_dateline_place_is_no_organisation_and_a_bracketed_agency_is_one(tmp_path, extractor, name):
    (record,) = records_of(tmp_path, extractor, name, ("txt",)).values()
    _, dateline, place, credit = ARTICLES[name]
    organisations = [e["text"] for e in record["entities"] if e["label"] == "ORG"]
    assert place not in organisations
    if f"({credit})" in dateline:
        assert credit in organisations
