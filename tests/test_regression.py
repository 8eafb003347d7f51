"""The floors gate: pinning, refusing to lower, detecting changed gold, and the corpus check itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summit_extract.evaluation.evaluate import Prediction, evaluate_predictions, run_evaluation
from summit_extract.evaluation.gold import GoldSpan, load_gold_set
from summit_extract.evaluation.regression import (
    FLOORS_FILE,
    FloorLoweredError,
    FloorsError,
    GoldChangedError,
    check_floors,
    load_floors,
    pin_floors,
    round_down,
)
from summit_extract.output.jsonl import write_jsonl

TEXT = "Kazakhstan and China met at the SCO summit."
GOLD_SPANS = [("COUNTRY", 0, 10, "KAZ"), ("COUNTRY", 15, 20, "CHN"), ("ORG", 32, 35, "SCO")]


def spans(rows) -> tuple[GoldSpan, ...]:
    return tuple(GoldSpan(start, end, label, TEXT[start:end], span_id) for label, start, end, span_id in rows)


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    rows = [{"start": s, "end": e, "label": label, "text": TEXT[s:e], "id": i} for label, s, e, i in GOLD_SPANS]
    write_jsonl(path, [{"text": TEXT, "meta": {"doc_id": "seed", "source": "seed.txt"}, "spans": rows}])
    return path


def report_for(gold_file: Path, predicted_rows):
    prediction = Prediction(doc_id="seed", text=TEXT, spans=spans(predicted_rows))
    return evaluate_predictions(load_gold_set(gold_file), [prediction], gold_path=gold_file)


@pytest.mark.parametrize("value,expected", [(0.93, 0.93), (0.9376, 0.937), (1.0, 1.0), (0.0, 0.0), (2 / 3, 0.666)])
def test_round_down(value, expected):
    assert round_down(value) == expected


def test_pin_then_check_passes(gold_file, tmp_path):
    report = report_for(gold_file, GOLD_SPANS[:2])  # ORG missed: P 1, R 2/3, F1 0.8
    result = pin_floors(report, tmp_path / "floors.json", articles=["seed"])
    floors = load_floors(tmp_path / "floors.json")
    assert floors == result.floors
    assert floors.strict_micro_f1 == 0.8
    assert floors.labels == {"COUNTRY": 1.0, "ORG": 0.0, "DOCUMENT": 0.0}
    assert floors.articles == {"seed": 0.8}
    assert floors.gold_sha256 == report.gold_sha256
    assert check_floors(report, floors) == []


def test_check_names_each_floor_that_drops(gold_file, tmp_path):
    pin_floors(report_for(gold_file, GOLD_SPANS), tmp_path / "floors.json", articles=["seed"])
    worse = report_for(gold_file, GOLD_SPANS[1:])  # Kazakhstan missed
    problems = check_floors(worse, load_floors(tmp_path / "floors.json"))
    assert "strict_micro_f1: F1 0.8000 is below the floor 1.000" in problems
    assert "labels.COUNTRY: F1 0.6667 is below the floor 1.000" in problems
    assert "articles.seed: F1 0.8000 is below the floor 1.000" in problems
    assert not any(problem.startswith("labels.ORG") for problem in problems)


def test_pin_refuses_to_lower_without_permission(gold_file, tmp_path):
    floors_path = tmp_path / "floors.json"
    pin_floors(report_for(gold_file, GOLD_SPANS), floors_path, articles=["seed"])
    before = floors_path.read_text()
    worse = report_for(gold_file, GOLD_SPANS[:2])
    with pytest.raises(FloorLoweredError, match=r"strict_micro_f1: 1\.000 -> 0\.800"):
        pin_floors(worse, floors_path)
    assert floors_path.read_text() == before  # nothing written
    result = pin_floors(worse, floors_path, allow_lower=True)
    assert result.floors.strict_micro_f1 == 0.8
    assert result.floors.articles == {"seed": 0.8}  # the article floors already pinned are kept


def test_pin_raises_floors_freely(gold_file, tmp_path):
    floors_path = tmp_path / "floors.json"
    pin_floors(report_for(gold_file, GOLD_SPANS[:1]), floors_path)
    result = pin_floors(report_for(gold_file, GOLD_SPANS), floors_path)
    assert result.changes["strict_micro_f1"] == (0.5, 1.0)


def test_changed_gold_is_reported_as_such(gold_file, tmp_path):
    pin_floors(report_for(gold_file, GOLD_SPANS), tmp_path / "floors.json")
    lines = gold_file.read_text().replace('"id":"SCO"', '"id":"sco"')
    gold_file.write_text(lines)
    changed = report_for(gold_file, GOLD_SPANS)
    with pytest.raises(
        GoldChangedError, match="the gold changed: .* re-pin with `summit-extract evaluate --run --pin`"
    ):
        check_floors(changed, load_floors(tmp_path / "floors.json"))


def test_unknown_article_cannot_get_a_floor(gold_file, tmp_path):
    with pytest.raises(FloorsError, match="no gold article with doc id 'nope'"):
        pin_floors(report_for(gold_file, GOLD_SPANS), tmp_path / "floors.json", articles=["nope"])


FACTS_TEXT = "Kazakhstan hosted the SCO summit; China attended as a member."
FACTS_GOLD = {
    "doc_id": "seed",
    "summit": {"organization": "SCO", "edition": None, "city": None, "country": None, "year": None,
               "start": None, "end": None},
    "participants": [{"id": "KAZ", "roles": ["host"]}, {"id": "CHN", "roles": ["member"]}],
    "documents": [],
}  # fmt: skip
FACTS_SPANS = [("COUNTRY", 0, 10, "KAZ"), ("ORG", 22, 25, "SCO"), ("COUNTRY", 34, 39, "CHN")]


@pytest.fixture
def facts_gold_dir(tmp_path: Path) -> Path:
    """corpus-like folders: gold/gold.jsonl with facts/seed.json beside it."""
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    rows = [{"start": s, "end": e, "label": label, "text": FACTS_TEXT[s:e], "id": i} for label, s, e, i in FACTS_SPANS]
    write_jsonl(
        gold_dir / "gold.jsonl", [{"text": FACTS_TEXT, "meta": {"doc_id": "seed", "source": "seed.txt"}, "spans": rows}]
    )
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "seed.json").write_text(json.dumps(FACTS_GOLD))
    return gold_dir


def facts_report(gold_dir: Path, roles: dict[str, list[str]]):
    spans = tuple(GoldSpan(s, e, label, FACTS_TEXT[s:e], i) for label, s, e, i in FACTS_SPANS)
    facts = {
        "summit": {"organization": "SCO", "edition": None, "city": None, "country": None, "year": None,
                   "start": None, "end": None, "evidence": []},
        "participants": [{"id": c, "roles": r, "evidence": []} for c, r in roles.items()],
        "documents": [],
    }  # fmt: skip
    prediction = Prediction(doc_id="seed", text=FACTS_TEXT, spans=spans, facts=facts)
    return evaluate_predictions(load_gold_set(gold_dir), [prediction], gold_path=gold_dir)


def test_facts_floors_are_pinned_and_checked(facts_gold_dir, tmp_path):
    floors_path = tmp_path / "floors.json"
    result = pin_floors(facts_report(facts_gold_dir, {"KAZ": ["host"], "CHN": ["member"]}), floors_path)
    assert result.floors.facts == {"roles": 1.0, "statuses": 0.0, "proposers": 0.0}
    assert load_floors(floors_path) == result.floors
    worse = facts_report(facts_gold_dir, {"KAZ": ["host"], "CHN": ["guest"]})  # P 1/2, R 1/2
    assert check_floors(worse, load_floors(floors_path)) == ["facts.roles: F1 0.5000 is below the floor 1.000"]


def test_changed_facts_gold_is_reported_as_such(facts_gold_dir, tmp_path):
    pin_floors(facts_report(facts_gold_dir, {"KAZ": ["host"]}), tmp_path / "floors.json")
    facts_file = facts_gold_dir.parent / "facts" / "seed.json"
    facts_file.write_text(json.dumps({**FACTS_GOLD, "participants": FACTS_GOLD["participants"][:1]}))
    with pytest.raises(GoldChangedError, match="the facts gold changed"):
        check_floors(facts_report(facts_gold_dir, {"KAZ": ["host"]}), load_floors(tmp_path / "floors.json"))


VALID = {"gold_sha256": "a" * 64, "strict_micro_f1": 0.9, "document_micro_f1": 0.9, "labels": {}, "articles": {}}


@pytest.mark.parametrize(
    "content,message",
    [
        ("{", "cannot read floors"),
        ("[]", "expected a JSON object, got list"),
        (
            json.dumps({**VALID, "strict_micro_f1": 1.5}),
            "key 'strict_micro_f1': expected a number between 0 and 1, got 1.5",
        ),
        (
            json.dumps({**VALID, "labels": {"ORG": "high"}}),
            "key 'labels.ORG': expected a number between 0 and 1, got 'high'",
        ),
        (json.dumps({**VALID, "gold_sha256": "abc"}), "key 'gold_sha256': expected 64 hex digits, got 'abc'"),
        (json.dumps({k: v for k, v in VALID.items() if k != "document_micro_f1"}), "missing key 'document_micro_f1'"),
        (json.dumps({**VALID, "facts": {"roles": 0.5}}), "facts floors need the key 'facts_sha256'"),
        (
            json.dumps({**VALID, "facts_sha256": "b" * 64, "facts": {"cities": 0.5}}),
            "key 'facts': unknown figure 'cities', expected roles, statuses, proposers",
        ),
        (json.dumps({**VALID, "facts_sha256": 7, "facts": {}}), "key 'facts_sha256': expected 64 hex digits, got 7"),
    ],
)
def test_malformed_floors_file(tmp_path, content, message):
    path = tmp_path / "floors.json"
    path.write_text(content)
    with pytest.raises(FloorsError) as caught:
        load_floors(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_floors_file_says_how_to_pin(tmp_path):
    with pytest.raises(FloorsError, match="no floors file; pin one with"):
        load_floors(tmp_path / "floors.json")


@pytest.mark.model
def test_corpus_meets_the_pinned_floors(repo_root, extractor):
    """The regression gate: extract every gold article of the corpus and hold each pinned floor."""
    gold = repo_root / "corpus" / "gold"
    if not any(gold.glob("*.jsonl")):
        pytest.fail("corpus/gold holds no gold files; the gate needs them")
    report = run_evaluation(gold, extractor=extractor)
    assert report.missing_predictions == {}
    problems = check_floors(report, load_floors(FLOORS_FILE))
    assert problems == [], "below the pinned floors:\n" + "\n".join(problems)
