"""Stand-off gold (GUIDELINES section 9): the file format, alignment onto any copy, facts by surface,
PDF-copy damage, and `evaluate --articles` end to end. Every text here is made up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summit_extract.cleanup.steps import clean_text
from summit_extract.cli import app
from summit_extract.evaluation.damage import pdf_damage
from summit_extract.evaluation.standoff import (
    AlignmentError,
    StandoffError,
    align,
    fingerprint,
    gold_doc,
    read_standoff,
    resolve_facts,
    set_rules,
)
from summit_extract.extraction.organizations import canonicaliser

ARTICLE = (
    "VARNO, June 4 (Nordpress) - Leaders of the Shanghai Cooperation Organization (SCO) met in Varno, "
    "Kazakhstan, and adopted the Varno Declaration on Lake Cooperation. China took over the chairmanship "
    "and proposed the Lake Water Initiative. Delegations of Niger and Nigeria attended; the host told us so."
)
MENTIONS = [
    ["ORG", "Nordpress"],
    ["ORG", "Shanghai Cooperation Organization", "SCO"],
    ["ORG", "SCO"],
    ["COUNTRY", "Kazakhstan"],
    ["DOCUMENT", "Varno Declaration on Lake Cooperation"],
    ["COUNTRY", "China"],
    ["DOCUMENT", "Lake Water Initiative"],
    ["COUNTRY", "Niger"],
    ["COUNTRY", "Nigeria"],
]
FACTS = {
    "summit": {
        "organization": "SCO",
        "edition": None,
        "city": "Varno",
        "country": "Kazakhstan",
        "year": 2030,
        "start": "2030-06-04",
        "end": "2030-06-04",
    },
    "participants": [{"country": "Kazakhstan", "roles": ["host"]}, {"country": "China", "roles": ["chair"]}],
    "documents": [
        {"title": "Varno Declaration on Lake Cooperation", "status": "adopted", "proposer": None},
        {"title": "Lake Water Initiative", "status": "proposed", "proposer": "China"},
    ],
}


def gold_data(**changes) -> dict:
    data = {
        "id": "t01-sco-2030-nordpress",
        "url": "https://example.org/varno",
        "outlet": "Nordpress",
        "published": "2030-06-04",
        "shape": "wire",
        "house_style": "other",
        "retrieved": {"corpus": "pages", "query": "Varno summit"},
        "mentions": MENTIONS,
        "facts": FACTS,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


def write_gold(folder: Path, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['id']}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def gold(tmp_path):
    return read_standoff(write_gold(tmp_path, gold_data()))


def found(gold, text: str) -> list[str]:
    return [text[start:end] for start, end in align(gold, text).spans]


# --- the file format ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"url": ...}, "key 'url': expected str"),
        ({"id": "Other"}, "must be the file name"),
        ({"published": "4 June 2030"}, "expected YYYY-MM-DD"),
        ({"shape": "blog"}, "'blog' is not one of"),
        ({"house_style": "british"}, "is not one of us-uk, other"),
        ({"mentions": []}, "no mention"),
        ({"mentions": [["PLACE", "Varno"]]}, "label 'PLACE' is not one of"),
        ({"mentions": [["ORG"]]}, "expected [label, surface]"),
        ({"mentions": [["ORG", " - "]]}, "has no letter or digit"),
        ({"text": "the whole article"}, "unknown keys ['text']"),
        ({"region": {"sha256": "x"}}, "expected keys before, after, chars, sha256"),
    ],
)
def test_bad_files_are_refused_naming_the_key(tmp_path, changes, message):
    data = gold_data(**changes)
    data["id"] = changes.get("id", data["id"])
    path = tmp_path / "t01-sco-2030-nordpress.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StandoffError, match=None) as error:
        read_standoff(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


# --- alignment onto copies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "copy",
    [
        pytest.param(ARTICLE, id="the annotated copy"),
        pytest.param(
            "Menu | World | Sport\nShare this\n\n" + ARTICLE + "\n\nRelated: Lake news", id="page text around"
        ),
        pytest.param(ARTICLE.replace(" ", "\n"), id="a word a line"),
        pytest.param(ARTICLE.replace("Organization", "Organi-\nzation"), id="line-end hyphenation"),
        pytest.param(ARTICLE.replace("Cooperation Organization", "Cooperation  \n\n  Organization"), id="wraps"),
    ],
)
def test_mentions_are_found_in_any_copy(gold, copy):
    surfaces = found(gold, copy)
    assert [s.replace("-\n", "").split() for s in surfaces] == [m[1].split() for m in MENTIONS]


def test_a_name_inside_a_longer_word_is_not_a_mention(gold):
    """'Niger' is looked for as whole words: the copy's 'Nigeria' is not it."""
    copy = ARTICLE.replace("Delegations of Niger and Nigeria", "Delegations of Nigeria, Niger and Nigeria")
    spans = align(gold, copy).spans
    niger = spans[7]
    assert copy[niger[0] : niger[1]] == "Niger"
    assert copy[niger[1]] == " "


def test_case_is_matched_first_as_written(tmp_path):
    """'US' is the country, not the pronoun 'us' that comes first."""
    text = "It told us that the US and the EU agreed."
    gold = read_standoff(write_gold(tmp_path, gold_data(mentions=[["COUNTRY", "US"], ["ORG", "EU"]], facts=None)))
    assert found(gold, text) == ["US", "EU"]


@pytest.mark.parametrize(
    ("surface", "text", "expected"),
    [
        ("U.S.", "It said the U.S. would sign.", "U.S."),
        ("U.S", "It said the U.S. would sign.", "U.S"),
        ("Lake Plan (2030-2035)", "They adopted the Lake Plan (2030-2035) today.", "Lake Plan (2030-2035)"),
        ("Lake Plan (2030-2035)", "They adopted the Lake Plan 2030-2035 today.", "Lake Plan 2030-2035"),
    ],
)
def test_the_punctuation_at_a_mentions_edge_is_kept_where_the_copy_has_it(tmp_path, surface, text, expected):
    gold = read_standoff(write_gold(tmp_path, gold_data(mentions=[["DOCUMENT", surface]], facts=None)))
    assert found(gold, text) == [expected]


@pytest.mark.parametrize(
    "copy, reason",
    [
        (ARTICLE.replace("Lake Water Initiative", "water plan"), "mention 7 of 9, DOCUMENT 'Lake Water Initiative'"),
        (ARTICLE.replace("China took over", "Kazakhstan kept"), "mention 6 of 9, COUNTRY 'China'"),
        ("An unrelated page about something else.", "mention 1 of 9, ORG 'Nordpress'"),
    ],
)
def test_a_copy_without_the_mentions_in_order_is_named(gold, copy, reason):
    with pytest.raises(AlignmentError) as error:
        align(gold, copy)
    assert reason in str(error.value)


def test_the_fingerprint_tells_a_different_copy(tmp_path, gold):
    annotated = read_standoff(write_gold(tmp_path / "fp", gold_data(region=fingerprint(gold, ARTICLE).to_dict())))
    same = align(annotated, "Menu\n\n" + ARTICLE.replace(" ", "\n") + "\n\nFooter").fingerprint
    edited = align(annotated, ARTICLE.replace("met in Varno", "gathered in Varno")).fingerprint
    assert same == annotated.region
    assert edited != annotated.region


# --- ids and facts -------------------------------------------------------------------------------------


def test_ids_and_facts_resolve_from_surfaces(gold):
    alignment = align(gold, ARTICLE)
    doc = gold_doc(gold, ARTICLE, alignment, "copy.txt", set_rules([gold], canonicaliser()))
    assert [(s.label, s.text, s.id) for s in doc.spans][:4] == [
        ("ORG", "Nordpress", "nordpress"),
        ("ORG", "Shanghai Cooperation Organization", "SCO"),
        ("ORG", "SCO", "SCO"),
        ("COUNTRY", "Kazakhstan", "KAZ"),
    ]
    facts = resolve_facts(gold, doc)
    assert facts["summit"]["organization"] == "SCO"
    assert facts["summit"]["country"] == "KAZ"
    assert facts["participants"] == [{"id": "KAZ", "roles": ["host"]}, {"id": "CHN", "roles": ["chair"]}]
    assert [(d["id"], d["status"], d["proposer"]) for d in facts["documents"]] == [
        ("varno-declaration-on-lake-cooperation", "adopted", None),
        ("lake-water-initiative", "proposed", "CHN"),
    ]


def test_a_fact_naming_no_mention_is_refused(tmp_path):
    facts = {**FACTS, "participants": [{"country": "Atlantis", "roles": ["host"]}]}
    gold = read_standoff(write_gold(tmp_path, gold_data(facts=facts)))
    doc = gold_doc(gold, ARTICLE, align(gold, ARTICLE), "copy.txt", canonicaliser())
    with pytest.raises(StandoffError, match="'Atlantis' is not a COUNTRY surface"):
        resolve_facts(gold, doc)


# --- PDF-copy damage -------------------------------------------------------------------------------------


def test_pdf_damage_is_deterministic_and_cleanup_undoes_it(gold):
    long_text = "\n\n".join([ARTICLE] * 12)
    damaged = pdf_damage(long_text)
    assert damaged == pdf_damage(long_text)
    assert "-\n" in damaged  # a word hyphenated at a line end
    assert max(len(line) for line in damaged.splitlines()) <= 62
    assert "\n\n1\n\n" in damaged  # a page number between two halves of a page
    cleaned = clean_text(damaged)
    assert "Organization" in cleaned and "Organi-" not in cleaned
    assert found(gold, cleaned)[1] == "Shanghai Cooperation Organization"


# --- `summit-extract evaluate --articles` ----------------------------------------------------------------


@pytest.mark.model
def test_evaluate_on_a_folder_of_copies(tmp_path):
    golds, copies = tmp_path / "gold", tmp_path / "copies"
    write_gold(golds, gold_data())
    write_gold(golds, gold_data(id="t02-sco-2030-missing"))
    write_gold(golds, gold_data(id="t03-sco-2030-other"))
    write_gold(golds, gold_data(id="t04-sco-2030-binary"))
    copies.mkdir()
    (copies / "t01-sco-2030-nordpress.txt").write_text(ARTICLE)
    runner = CliRunner()
    fingerprinted = runner.invoke(
        app, ["gold", "fingerprint", str(golds / "t01-sco-2030-nordpress.json"), "--articles", str(copies)]
    )
    assert fingerprinted.exit_code == 0, fingerprinted.output
    # The user's copy is the whole page: a menu before the article and a related link after it.
    (copies / "t01-sco-2030-nordpress.txt").write_text("Menu | Sport\n\n" + ARTICLE + "\n\nRelated: France\n")
    (copies / "t03-sco-2030-other.txt").write_text("A page about France and Germany.")
    (copies / "t04-sco-2030-binary.txt").write_bytes(bytes(range(256)) * 8)  # not text: the reader refuses it
    result = runner.invoke(app, ["evaluate", "--gold", str(golds), "--articles", str(copies), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["gold"]["articles"] == 1
    assert set(report["left_out"]) == {"t02-sco-2030-missing", "t03-sco-2030-other", "t04-sco-2030-binary"}
    assert "binary" in report["left_out"]["t04-sco-2030-binary"]
    assert "no copy named t02-sco-2030-missing" in report["left_out"]["t02-sco-2030-missing"]
    assert "mention 1 of 9" in report["left_out"]["t03-sco-2030-other"]
    article = report["systems"]["summit-extract"]["articles"][0]
    assert article["gold"] == len(MENTIONS)
    # The menu and the related link around the article are not scored: France is not a spurious find.
    spurious = [e for e in report["systems"]["summit-extract"]["errors"] if e["kind"] == "spurious"]
    assert all(e["text"] != "France" for e in spurious)
    assert report["facts"]["articles"] == 1
    damaged = runner.invoke(
        app, ["evaluate", "--gold", str(golds), "--articles", str(copies), "--pdf-damage", "--json"]
    )
    assert damaged.exit_code == 0, damaged.output
    assert json.loads(damaged.stdout)["gold"]["articles"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--articles", "DIR", "out.jsonl"], "give no PREDICTIONS file"),
        (["--run", "--pdf-damage"], "--pdf-damage only makes sense with --articles"),
    ],
)
def test_evaluate_articles_usage_errors(tmp_path, args, message):
    args = [str(tmp_path) if a == "DIR" else a for a in args]
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in result.output
