"""`summit-extract evaluate` and `summit-extract gold`, called in-process through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.output.jsonl import write_jsonl
from summit_extract.records import ArticleMeta, ArticleRecord, Entity, PipelineInfo

TEXT = "Kazakhstan and China met at the SCO summit."
GOLD = [("COUNTRY", "Kazakhstan", "KAZ"), ("COUNTRY", "China", "CHN"), ("ORG", "SCO", "SCO")]

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(arg) for arg in args])


def gold_record(doc_id: str = "seed") -> dict:
    spans = []
    for label, text, span_id in GOLD:
        start = TEXT.index(text)
        spans.append({"start": start, "end": start + len(text), "label": label, "text": text, "id": span_id})
    return {"text": TEXT, "meta": {"doc_id": doc_id, "source": f"{doc_id}.txt"}, "spans": spans, "answer": "accept"}


def prediction(found: list[tuple[str, str, str]]) -> dict:
    entities = []
    for label, text, span_id in found:
        start = TEXT.index(text)
        entities.append(Entity(label, start, start + len(text), text, span_id, text, "test:hand"))
    record = ArticleRecord("seed", "seed.txt", TEXT, ArticleMeta(), tuple(entities), PipelineInfo("0.1.0", "hand-made"))
    return record.to_dict()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    gold = tmp_path / "gold"
    gold.mkdir()
    write_jsonl(gold / "g.jsonl", [gold_record()])
    perfect = tmp_path / "perfect.jsonl"
    write_jsonl(perfect, [prediction(GOLD)])
    partial = tmp_path / "partial.jsonl"
    write_jsonl(partial, [prediction(GOLD[:2] + [("COUNTRY", "SCO", "SCO")])])
    return {"gold": gold, "perfect": perfect, "partial": partial, "floors": tmp_path / "floors.json"}


def test_evaluate_prints_tables(files):
    result = invoke("evaluate", files["partial"], "--gold", files["gold"])
    assert result.exit_code == 0, result.output
    assert "Mention level, micro over all labels" in result.stdout
    assert "Document level" in result.stdout
    assert "wrong label" in result.stdout
    # strict: 2 of 3 right, so P = R = F1 = 0.667
    strict_row = next(line for line in result.stdout.splitlines() if line.startswith("strict"))
    assert strict_row.split()[2:5] == ["0.667", "0.667", "0.667"]


def test_evaluate_errors_lists_each_error(files):
    result = invoke("evaluate", files["partial"], "--gold", files["gold"], "--errors")
    assert result.exit_code == 0
    assert "wrong label (1):" in result.stdout
    assert "COUNTRY 'SCO'" in result.stdout and "ORG 'SCO'" in result.stdout


def test_evaluate_json(files):
    result = invoke("evaluate", files["perfect"], "--gold", files["gold"], "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["systems"]["summit-extract"]["mentions"]["strict"]["micro"]["f1"] == 1.0
    assert data["gold"]["articles"] == 1


@pytest.mark.parametrize("threshold,code", [("0.6", 0), ("0.7", 1)])
def test_min_f1_sets_the_exit_code(files, threshold, code):
    result = invoke("evaluate", files["partial"], "--gold", files["gold"], "--min-f1", threshold)
    assert result.exit_code == code
    assert ("is below --min-f1" in result.stderr) == bool(code)


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "give either a PREDICTIONS file or --run"),
        (["PERFECT", "--run"], "give either a PREDICTIONS file or --run"),
        (["PERFECT", "--allow-lower"], "--allow-lower only makes sense with --pin"),
        (["MISSING"], "missing.jsonl: cannot open"),
        (["PERFECT", "--gold", "MISSING"], "no such gold file or folder"),
    ],
)
def test_usage_and_input_errors_exit_2(files, args, message):
    names = {"PERFECT": files["perfect"], "MISSING": files["gold"].parent / "missing.jsonl"}
    args = [names.get(arg, arg) for arg in args]
    if "--gold" not in args:
        args += ["--gold", files["gold"]]
    result = invoke("evaluate", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("summit-extract: error:")


def test_malformed_gold_exits_2_naming_file_and_line(files):
    (files["gold"] / "g.jsonl").write_text(json.dumps({"text": "abc", "meta": {"doc_id": "x", "source": ""}}) + "\n")
    result = invoke("evaluate", files["perfect"], "--gold", files["gold"])
    assert result.exit_code == 2
    assert "g.jsonl, line 1: missing key 'spans'" in result.stderr


def test_pin_check_and_refuse_to_lower(files):
    floors = files["floors"]
    pinned = invoke(
        "evaluate", files["perfect"], "--gold", files["gold"], "--pin", "--floors", floors, "--article-floor", "seed"
    )
    assert pinned.exit_code == 0, pinned.output
    assert json.loads(floors.read_text())["articles"] == {"seed": 1.0}
    assert "Pinned floors in" in pinned.stderr

    holds = invoke("evaluate", files["perfect"], "--gold", files["gold"], "--check-floors", "--floors", floors)
    assert holds.exit_code == 0
    assert f"Floors hold: every figure pinned in {floors} is met" in holds.stderr

    drops = invoke("evaluate", files["partial"], "--gold", files["gold"], "--check-floors", "--floors", floors)
    assert drops.exit_code == 1
    assert "below floor: strict_micro_f1: F1 0.6667 is below the floor 1.000" in drops.stderr

    refused = invoke("evaluate", files["partial"], "--gold", files["gold"], "--pin", "--floors", floors)
    assert refused.exit_code == 1
    assert "re-pinning would lower" in refused.stderr
    assert json.loads(floors.read_text())["strict_micro_f1"] == 1.0

    lowered = invoke(
        "evaluate", files["partial"], "--gold", files["gold"], "--pin", "--allow-lower", "--floors", floors
    )
    assert lowered.exit_code == 0
    assert json.loads(floors.read_text())["strict_micro_f1"] == 0.666


def test_predictions_sharing_no_article_with_the_gold_exit_2_with_a_hint(files, tmp_path):
    other = tmp_path / "other.jsonl"
    write_jsonl(other, [{**prediction(GOLD), "doc_id": "elsewhere"}])
    result = invoke("evaluate", other, "--gold", files["gold"])
    assert result.exit_code == 2, result.output
    assert f"{other} shares no article with the gold" in result.stderr
    assert "predictions for elsewhere; gold for seed" in result.stderr


def test_check_floors_after_gold_changed(files):
    floors = files["floors"]
    invoke("evaluate", files["perfect"], "--gold", files["gold"], "--pin", "--floors", floors)
    write_jsonl(files["gold"] / "g.jsonl", [gold_record(), gold_record("second")])
    result = invoke("evaluate", files["perfect"], "--gold", files["gold"], "--check-floors", "--floors", floors)
    assert result.exit_code == 1
    assert "the gold changed" in result.stderr


# --- gold commands --------------------------------------------------------------------------------


def test_gold_validate(files):
    result = invoke("gold", "validate", files["gold"])
    assert result.exit_code == 0
    assert "1 articles, 3 spans (COUNTRY 2, ORG 1, DOCUMENT 0), 0 skipped, SHA-256 " in result.stdout


def test_gold_validate_reports_the_bad_line(files):
    (files["gold"] / "g.jsonl").write_text('{"text": "abc"\n')
    result = invoke("gold", "validate", files["gold"])
    assert result.exit_code == 2
    assert "g.jsonl, line 1: not valid JSON" in result.stderr


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_gold_export_then_import_round_trip(files, tmp_path, fmt):
    exported = tmp_path / f"export.{fmt}"
    out = invoke("gold", "export", files["gold"], "--format", fmt, "-o", exported)
    assert out.exit_code == 0, out.output
    assert f"Wrote 1 articles to {exported} ({fmt})" in out.stdout
    back = tmp_path / "back.jsonl"
    result = invoke("gold", "import", exported, "--format", fmt, "-o", back)
    assert result.exit_code == 0, result.output
    assert json.loads(back.read_text()) == gold_record()


def test_gold_import_refuses_to_overwrite_without_force(files, tmp_path):
    exported = tmp_path / "export.jsonl"
    invoke("gold", "export", files["gold"], "--format", "doccano", "-o", exported)
    existing = files["gold"] / "g.jsonl"
    result = invoke("gold", "import", exported, "--format", "doccano", "-o", existing)
    assert result.exit_code == 2
    assert "exists; pass --force to overwrite it" in result.stderr
    assert invoke("gold", "import", exported, "--format", "doccano", "-o", existing, "--force").exit_code == 0


def test_gold_import_rejects_unknown_format(files):
    result = invoke("gold", "import", files["perfect"], "--format", "brat", "-o", "x.jsonl")
    assert result.exit_code == 2
    assert "brat" in result.output


@pytest.mark.parametrize(
    "command", [["evaluate"], ["gold"], ["gold", "validate"], ["gold", "import"], ["gold", "export"]]
)
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    options = [line for line in result.stdout.splitlines() if line.strip().startswith("--")]
    assert all(len(line.split()) > 1 for line in options)  # every option line carries help text


def test_the_docs_document_the_commands(repo_root):
    section = (repo_root / "docs" / "evaluation.md").read_text(encoding="utf-8")
    for phrase in (
        "summit-extract evaluate",
        "--baseline",
        "--pin",
        "--allow-lower",
        "gold import",
        "gold export",
        "gold validate",
    ):
        assert phrase in section


@pytest.mark.model
def test_evaluate_run_with_baseline(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "seed.txt").write_text(TEXT + "\n", encoding="utf-8")
    gold = gold_record()
    gold["meta"]["source"] = "articles/seed.txt"
    (tmp_path / "gold").mkdir()
    write_jsonl(tmp_path / "gold" / "g.jsonl", [gold])
    result = invoke("evaluate", "--run", "--gold", tmp_path / "gold", "--baseline", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["systems"]) == {"summit-extract", "spacy-baseline"}
    assert data["missing_predictions"] == {}
    ours = data["systems"]["summit-extract"]["documents"]["labels"]["COUNTRY"]
    assert (ours["tp"], ours["fn"]) == (2, 0)


@pytest.mark.parametrize(
    "content,code,message",
    [
        pytest.param(b"", 2, "shares no article with the gold", id="empty-file"),
        pytest.param(b"\xff\xfe\x00\x01binary", 2, "pred.jsonl, line 1: not UTF-8", id="binary"),
        pytest.param(b'{"doc_id": "seed"\n', 2, "pred.jsonl, line 1: not valid JSON", id="broken-json"),
        pytest.param(
            b'{"doc_id": "seed", "text": "x", "entities": []}\n',
            2,
            "pred.jsonl, line 1 (doc_id 'seed'): missing key 'pipeline'",
            id="record-breaks-contract",
        ),
    ],
)
def test_bad_prediction_files(files, tmp_path, content, code, message):
    path = tmp_path / "pred.jsonl"
    path.write_bytes(content)
    result = invoke("evaluate", path, "--gold", files["gold"])
    assert result.exit_code == code
    assert message in result.output


def test_a_bad_record_does_not_stop_the_others(files, tmp_path):
    path = tmp_path / "pred.jsonl"
    good = json.dumps(prediction(GOLD))
    path.write_text('{"doc_id": "other", "text": "x"}\n' + good + "\n")
    result = invoke("evaluate", path, "--gold", files["gold"], "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["systems"]["summit-extract"]["mentions"]["strict"]["micro"]["f1"] == 1.0
    assert data["input_errors"] == [f"{path}, line 1 (doc_id 'other'): missing key 'entities'"]
    assert "summit-extract: " + data["input_errors"][0] in result.stderr


def test_duplicate_predictions_are_reported(files, tmp_path):
    path = tmp_path / "pred.jsonl"
    write_jsonl(path, [prediction(GOLD[:1]), prediction(GOLD)])
    result = invoke("evaluate", path, "--gold", files["gold"], "--json")
    data = json.loads(result.stdout)
    assert data["input_errors"] == ["doc id 'seed' is predicted more than once; the last one is scored"]
    assert data["systems"]["summit-extract"]["mentions"]["strict"]["micro"]["f1"] == 1.0
