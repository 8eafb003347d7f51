"""Gold from and to annotation tools: real doccano, Label Studio (JSON, JSON-MIN) and CoNLL exports.

Every fixture is hand-made in the shape the tool writes (keys, nesting, extra keys the tool adds).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.evaluation.gold import GoldError, GoldSpan, align_gold, load_gold, load_gold_set, write_gold
from summit_extract.evaluation.gold_formats import export_gold, import_gold

TEXT = "Kazakhstan hosted the SCO summit in Astana with China."
KAZ = GoldSpan(0, 10, "COUNTRY", "Kazakhstan", "KAZ")
SCO = GoldSpan(22, 25, "ORG", "SCO", "SCO")
CHN = GoldSpan(48, 53, "COUNTRY", "China", "CHN")


def gold_record(doc_id: str, spans: list[GoldSpan] = (KAZ, SCO, CHN)) -> dict:
    return {
        "text": TEXT,
        "meta": {"doc_id": doc_id, "source": f"corpus/articles/{doc_id}.txt"},
        "spans": [span.to_dict() for span in spans],
    }


def write_lines(path: Path, lines: list) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, indent=2))
    return path


# --- what export writes comes back unchanged ----------------------------------------------------


@pytest.mark.parametrize("fmt,suffix", [("doccano", "jsonl"), ("labelstudio", "json")])
def test_round_trip_keeps_gold_identical(tmp_path, fmt, suffix):
    gold_path = write_lines(tmp_path / "gold.jsonl", [gold_record("a1"), gold_record("a2", spans=[])])
    original = list(load_gold(gold_path).values())
    exported = tmp_path / f"export.{suffix}"
    assert export_gold(original, exported, fmt) == 2
    imported = import_gold(exported, fmt)
    assert imported == original
    write_gold(original, tmp_path / "original.jsonl")
    write_gold(imported, tmp_path / "back.jsonl")
    assert (tmp_path / "back.jsonl").read_bytes() == (tmp_path / "original.jsonl").read_bytes()


def test_doccano_export_shape(tmp_path):
    docs = list(load_gold(write_lines(tmp_path / "g.jsonl", [gold_record("a1")])).values())
    export_gold(docs, tmp_path / "d.jsonl", "doccano")
    line = json.loads((tmp_path / "d.jsonl").read_text())
    assert line["label"] == [[0, 10, "COUNTRY"], [22, 25, "ORG"], [48, 53, "COUNTRY"]]
    assert line["span_ids"] == {"0:10": "KAZ", "22:25": "SCO", "48:53": "CHN"}
    assert line["doc_id"] == "a1"


def test_labelstudio_export_shape(tmp_path):
    docs = list(load_gold(write_lines(tmp_path / "g.jsonl", [gold_record("a1")])).values())
    export_gold(docs, tmp_path / "l.json", "labelstudio")
    task = json.loads((tmp_path / "l.json").read_text())[0]
    region = task["annotations"][0]["result"][1]
    assert task["data"]["doc_id"] == "a1"
    assert region["value"] == {"start": 22, "end": 25, "text": "SCO", "labels": ["ORG"]}
    assert (region["from_name"], region["to_name"], region["type"]) == ("label", "text", "labels")
    assert region["meta"] == {"text": ["SCO"]}


# --- doccano ------------------------------------------------------------------------------------

SEQUENCE_LABELLING = {"id": 7, "text": TEXT, "Comments": [], "label": [[0, 10, "COUNTRY"], [22, 25, "ORG"]]}
WITH_RELATIONS = {
    "id": 8,
    "text": TEXT,
    "entities": [
        {"id": 101, "label": "COUNTRY", "start_offset": 0, "end_offset": 10},
        {"id": 102, "label": "COUNTRY", "start_offset": 48, "end_offset": 53},
    ],
    "relations": [{"id": 5, "from_id": 101, "to_id": 102, "type": "meets"}],
    "Comments": [],
}
BEFORE_1_0 = {
    "id": 3,
    "text": TEXT,
    "meta": {"doc_id": "sco-2024", "source": "inbox/sco-2024.txt"},
    "annotation_approver": None,
    "labels": [[22, 25, "ORG"]],
}
METADATA_AT_TOP = {"id": 9, "text": TEXT, "doc_id": "kz-1", "source": "kz-1.txt", "label": [[0, 10, "Country"]]}


@pytest.mark.parametrize(
    "line, doc_id, source, spans",
    [
        (SEQUENCE_LABELLING, "7", "", (KAZ, SCO)),
        (WITH_RELATIONS, "8", "", (KAZ, CHN)),
        (BEFORE_1_0, "sco-2024", "inbox/sco-2024.txt", (SCO,)),
        (METADATA_AT_TOP, "kz-1", "kz-1.txt", (KAZ,)),
        ({"text": TEXT, "label": [[48, 53, "COUNTRY"]]}, "export", "", (CHN,)),
    ],
    ids=["sequence-labelling", "with-relations", "before-1.0", "metadata-at-top", "no-id-at-all"],
)
def test_real_doccano_exports_import_into_gold(tmp_path, line, doc_id, source, spans):
    (doc,) = import_gold(write_lines(tmp_path / "export.jsonl", [line]), "doccano")
    assert (doc.doc_id, doc.source, doc.spans, doc.answer) == (doc_id, source, spans, "accept")


def test_doccano_lines_without_ids_are_numbered_after_the_file(tmp_path):
    lines = [{"text": TEXT, "label": []}, {"text": TEXT, "label": [[22, 25, "ORG"]]}]
    docs = import_gold(write_lines(tmp_path / "batch.jsonl", lines), "doccano")
    assert [doc.doc_id for doc in docs] == ["batch-1", "batch-2"]


@pytest.mark.parametrize(
    "text_span, label, expected_id",
    [
        ("Kazakhstan", "COUNTRY", "KAZ"),
        ("SCO", "ORG", "SCO"),
        ("the Astana Declaration", "DOCUMENT", "astana-declaration"),
    ],
)
def test_doccano_import_without_ids_derives_them(tmp_path, text_span, label, expected_id):
    text = f"About {text_span} today."
    line = {"text": text, "label": [[6, 6 + len(text_span), label]], "doc_id": "d1"}
    assert import_gold(write_lines(tmp_path / "d.jsonl", [line]), "doccano")[0].spans[0].id == expected_id


# --- Label Studio JSON --------------------------------------------------------------------------


def region(start: int, end: int, label: str, region_id: str) -> dict:
    return {
        "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]},
        "id": region_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
    }


LABEL_STUDIO_TASK = {
    "id": 12,
    "annotations": [
        {
            "id": 30,
            "completed_by": 1,
            "result": [region(0, 10, "COUNTRY", "r1")],
            "was_cancelled": False,
            "created_at": "2024-07-05T09:00:00.000000Z",
        },
        {
            "id": 31,
            "completed_by": 2,
            "result": [
                region(0, 10, "COUNTRY", "r2"),
                region(22, 25, "ORG", "r3"),
                {"from_id": "r2", "to_id": "r3", "type": "relation", "direction": "right", "labels": []},
            ],
            "was_cancelled": False,
            "created_at": "2024-07-06T09:00:00.000000Z",
        },
        {"id": 32, "completed_by": 3, "result": [], "was_cancelled": True, "created_at": "2024-07-07T09:00:00.000000Z"},
    ],
    "predictions": [{"model_version": "v1", "result": [region(48, 53, "COUNTRY", "p1")]}],
    "data": {"text": TEXT},
    "meta": {},
    "created_at": "2024-07-04T09:00:00.000000Z",
    "project": 2,
}


def test_real_labelstudio_export_takes_the_latest_annotation_not_cancelled(tmp_path):
    (doc,) = import_gold(write_json(tmp_path / "project-2.json", [LABEL_STUDIO_TASK]), "labelstudio")
    assert (doc.doc_id, doc.spans, doc.answer) == ("12", (KAZ, SCO), "accept")


@pytest.mark.parametrize(
    "annotations",
    [[], [{"id": 40, "result": [region(0, 10, "COUNTRY", "r1")], "was_cancelled": True}]],
    ids=["none", "all-cancelled"],
)
def test_labelstudio_task_nobody_annotated_is_not_gold(tmp_path, annotations):
    task = {"id": 13, "annotations": annotations, "data": {"text": TEXT, "doc_id": "kz-2"}}
    path = write_json(tmp_path / "export.json", [task, {**LABEL_STUDIO_TASK}])
    docs = import_gold(path, "labelstudio")
    assert [(doc.doc_id, doc.answer, doc.spans) for doc in docs] == [
        ("kz-2", "ignore", ()),
        ("12", "accept", (KAZ, SCO)),
    ]
    write_gold(docs, tmp_path / "gold.jsonl")
    gold = load_gold_set(tmp_path / "gold.jsonl")
    assert (list(gold.docs), gold.skipped) == (["12"], ["kz-2"])


def test_labelstudio_single_task_file_and_file_name_fallback(tmp_path):
    task = {key: value for key, value in LABEL_STUDIO_TASK.items() if key != "id"}
    (doc,) = import_gold(write_json(tmp_path / "task-12.json", task), "labelstudio")
    assert doc.doc_id == "task-12"


# --- Label Studio JSON-MIN ----------------------------------------------------------------------


def min_record(task_id: int, regions: list[dict] | None, annotation_id: int | None, created_at: str | None) -> dict:
    record = {"text": TEXT, "id": task_id}
    if regions is not None:
        record["label"] = [{key: value for key, value in r["value"].items()} for r in regions]
    record.update(annotator=1, annotation_id=annotation_id, created_at=created_at, updated_at=created_at, lead_time=3.5)
    return record


def test_labelstudio_json_min_export_imports_the_latest_record_per_task(tmp_path):
    records = [
        min_record(12, [region(0, 10, "COUNTRY", "a")], 30, "2024-07-05T09:00:00.000000Z"),
        min_record(12, [region(22, 25, "ORG", "b"), region(48, 53, "COUNTRY", "c")], 31, "2024-07-06T09:00:00.000000Z"),
        min_record(14, None, None, None),
    ]
    docs = import_gold(write_json(tmp_path / "min.json", records), "labelstudio")
    assert [(doc.doc_id, doc.spans, doc.answer) for doc in docs] == [("12", (SCO, CHN), "accept"), ("14", (), "ignore")]


# --- CoNLL --------------------------------------------------------------------------------------

LABEL_STUDIO_CONLL = """-DOCSTART- -X- O
Kazakhstan -X- _ B-COUNTRY
hosted -X- _ O
the -X- _ O
Shanghai -X- _ B-ORG
Cooperation -X- _ I-ORG
Organization -X- _ I-ORG
in -X- _ O
Astana -X- _ O
, -X- _ O

China -X- _ B-COUNTRY
and -X- _ O
India -X- _ B-COUNTRY
signed -X- _ O
"""


def test_labelstudio_conll_export_gives_one_article_per_block(tmp_path):
    path = tmp_path / "result.conll"
    path.write_text(LABEL_STUDIO_CONLL)
    first, second = import_gold(path, "conll")
    assert (first.doc_id, first.text) == (
        "result-1",
        "Kazakhstan hosted the Shanghai Cooperation Organization in Astana ,",
    )
    assert [(s.label, s.text, s.id) for s in first.spans] == [
        ("COUNTRY", "Kazakhstan", "KAZ"),
        ("ORG", "Shanghai Cooperation Organization", "shanghai-cooperation-organization"),
    ]
    assert [(s.text, s.id) for s in second.spans] == [("China", "CHN"), ("India", "IND")]
    # Tokens joined by spaces differ from the article only in whitespace: the spans align onto it.
    aligned = align_gold(first, "Kazakhstan hosted the Shanghai Cooperation Organization in Astana,")
    assert [(s.start, s.end) for s in aligned.spans] == [(0, 10), (22, 55)]


def test_conll_2003_documents_hold_several_sentences(tmp_path):
    path = tmp_path / "two-docs.conll"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\nBRICS NNP B-NP B-ORG\nmet VBD B-VP O\n\nRussia NNP B-NP B-COUNTRY\n\n"
        "-DOCSTART- -X- -X- O\n\nCSTO NNP B-NP B-ORG\n"
    )
    first, second = import_gold(path, "conll")
    assert (first.doc_id, first.text, [s.text for s in first.spans]) == (
        "two-docs-1",
        "BRICS met Russia",
        ["BRICS", "Russia"],
    )
    assert (second.doc_id, [s.id for s in second.spans]) == ("two-docs-2", ["CSTO"])


@pytest.mark.parametrize(
    "tags, expected",
    [
        (["B-ORG", "I-ORG", "I-ORG"], [("ORG", "Collective Security Treaty")]),
        (["I-ORG", "I-ORG", "O"], [("ORG", "Collective Security")]),  # IOB1: I- opens a span after O
        (["B-ORG", "B-ORG", "O"], [("ORG", "Collective"), ("ORG", "Security")]),
        (["S-ORG", "B-DOCUMENT", "E-DOCUMENT"], [("ORG", "Collective"), ("DOCUMENT", "Security Treaty")]),
        (["B-ORG", "I-DOCUMENT", "O"], [("ORG", "Collective"), ("DOCUMENT", "Security")]),
    ],
)
def test_conll_tag_schemes(tmp_path, tags, expected):
    words = ["Collective", "Security", "Treaty"]
    path = tmp_path / "t.conll"
    path.write_text("".join(f"{word} {tag}\n" for word, tag in zip(words, tags)))
    (doc,) = import_gold(path, "conll")
    assert [(span.label, span.text) for span in doc.spans] == expected


# --- errors name the file and the item ----------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, content, message",
    [
        (
            "doccano",
            '{"text": "abc", "label": [[0, 9, "ORG"]], "doc_id": "d1"}\n',
            "d.in, line 1, label[0]: offsets (0, 9) out of range",
        ),
        (
            "doccano",
            '{"text": "abc", "label": [[0, 2]], "doc_id": "d1"}\n',
            "label[0]: expected [start, end, LABEL], got [0, 2]",
        ),
        ("doccano", '{"text": "abc", "label": [[true, 2, "ORG"]]}\n', "label[0]: offsets (True, 2) out of range"),
        (
            "doccano",
            '{"text": "abc", "entities": [{"start_offset": 0, "label": "ORG"}]}\n',
            "entities[0]: expected an object with start_offset, end_offset and label",
        ),
        (
            "doccano",
            '{"text": "abc", "Comments": []}\n',
            "d.in, line 1: missing key 'label' (doccano sequence labelling) or 'entities'",
        ),
        (
            "doccano",
            '{"label": []}\n',
            "d.in, line 1: missing or non-string key 'text' (the article text); keys here: label",
        ),
        (
            "doccano",
            '{"text": "Atlantis", "label": [[0, 8, "COUNTRY"]], "doc_id": "d1"}\n',
            "no id for country 'Atlantis'",
        ),
        (
            "doccano",
            '{"text": "Putin", "label": [[0, 5, "PERSON"]]}\n',
            "label[0]: label 'PERSON' is not one of COUNTRY, ORG, DOCUMENT",
        ),
        ("labelstudio", '"tasks"', "expected a JSON list of tasks, got str"),
        ("labelstudio", "[{", "cannot read a Label Studio JSON export"),
        ("labelstudio", '[{"data": {"html": "<p>x</p>"}}]', "d.in, task[0], data: missing or non-string key 'text'"),
        (
            "labelstudio",
            '[{"data": {"text": "a"}}, {"text": "a"}]',
            "d.in, task[1]: no 'data' object, while other tasks have one",
        ),
        (
            "labelstudio",
            '[{"data": {"text": "SCO met"}, "annotations": [{"result": [{"type": "labels", '
            '"value": {"start": 0, "end": 3, "text": "CSTO", "labels": ["ORG"]}}]}]}]',
            "annotations[0].result[0]: region text 'CSTO' is not the text at its offsets (0, 3): 'SCO'",
        ),
        ("conll", "SCO B-ORG\nmet X-VERB\n", "d.in, line 2: tag 'X-VERB' is not O or B-/I-/E-/S- with a label"),
        ("conll", "SCO\n", "d.in, line 1: expected a token and a tag, got 'SCO'"),
        ("tsv", "", "Unknown format 'tsv': expected one of doccano, labelstudio, conll"),
    ],
)
def test_import_errors_name_file_and_item(tmp_path, fmt, content, message):
    path = tmp_path / "d.in"
    path.write_text(content)
    with pytest.raises(GoldError) as caught:
        import_gold(path, fmt)
    assert message in str(caught.value)


def test_duplicate_doc_ids_in_one_export_are_refused(tmp_path):
    path = write_lines(tmp_path / "d.jsonl", [{"id": 1, "text": "a", "label": []}, {"id": 1, "text": "b", "label": []}])
    with pytest.raises(GoldError, match="d.jsonl: duplicate doc id '1'"):
        import_gold(path, "doccano")


# --- the command --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, name, content, expected",
    [
        ("doccano", "export.jsonl", json.dumps(WITH_RELATIONS) + "\n", "Wrote 1 gold articles to"),
        (
            "labelstudio",
            "project.json",
            json.dumps([LABEL_STUDIO_TASK, {"id": 20, "annotations": [], "data": {"text": TEXT}}]),
            "Wrote 2 gold articles to {out} (1 not annotated, kept with answer 'ignore')",
        ),
        ("conll", "result.conll", LABEL_STUDIO_CONLL, "Wrote 2 gold articles to"),
    ],
)
def test_gold_import_command_writes_valid_gold(tmp_path, fmt, name, content, expected):
    source, out = tmp_path / name, tmp_path / "gold" / "imported.jsonl"
    source.write_text(content)
    result = CliRunner().invoke(app, ["gold", "import", str(source), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert expected.format(out=out) in result.output
    assert load_gold_set(out).docs
