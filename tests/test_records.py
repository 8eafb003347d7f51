"""The output contract's records, JSONL reading and writing, and normalised ids."""

from __future__ import annotations

import json

import pytest

from summit_extract import records
from summit_extract.extraction.identity import slug
from summit_extract.output.jsonl import JsonlError, iter_jsonl, read_records, write_jsonl, write_line
from summit_extract.output.schema import extraction_schema
from summit_extract.records import ArticleMeta, ArticleRecord, Entity, InputInfo, PipelineInfo, RecordError, method_of


def record(**changes) -> dict:
    data = ArticleRecord(
        doc_id="a",
        source="a.txt",
        text="Kazakhstan hosted the SCO.",
        meta=ArticleMeta(title=None, author=None, published="2024-07-08"),
        entities=(
            Entity("COUNTRY", 0, 10, "Kazakhstan", "KAZ", "Kazakhstan", "country_ruler:common", 0, 10),
            Entity("ORG", 22, 25, "SCO", "SCO", "Shanghai Cooperation Organization", "org_ruler:table-acronym", 22, 25),
        ),
        pipeline=PipelineInfo("0.1.0", "en_core_web_sm-3.8.0"),
    ).to_dict()
    data.update(changes)
    return data


def test_record_round_trips_through_dict():
    data = record()
    assert ArticleRecord.from_dict(data).to_dict() == data


FACTS = {
    "summit": {
        "organization": "SCO",
        "edition": None,
        "city": None,
        "country": "KAZ",
        "year": None,
        "start": None,
        "end": None,
        "evidence": [[0, 10], [22, 25]],
    },
    "participants": [{"id": "KAZ", "roles": ["host"], "evidence": [[0, 17]]}],
    "documents": [],
}
NO_SUMMIT = {"summit": None, "participants": [], "documents": []}
DOCUMENT_FACT = {"id": "charter", "status": "adopted", "proposer": "KAZ", "evidence": [[0, 10]]}


def with_facts(**changes) -> dict:
    return {**FACTS, **changes}


# The same facts as a record that says how each was found.
FOUND = with_facts(
    summit={**FACTS["summit"], "found_by": {"organization": "window", "country": "dateline"}},
    participants=[{**FACTS["participants"][0], "found_by": {"host": "structure"}}],
    documents=[{**DOCUMENT_FACT, "found_by": {"status": "list", "proposer": "window"}}],
)


PDF_INPUT = InputInfo("pdf text layer", "0" * 64, 900, format="pdf", library="pypdfium2 4.30.0").to_dict()
PAGED = [dict(entity, page=page) for entity, page in zip(record()["entities"], (1, 2))]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        # A PDF's record: the format and library that read it, its raw text, each entity's page.
        {"input": PDF_INPUT, "raw_text": "Kazakhstan hosted\nthe SCO.", "entities": PAGED},
        {"input": {"format": "txt", "encoding": "utf-8", "sha256": "0" * 64, "bytes": 26}},
        # Records written before there were formats: their input is a text file's.
        {"input": {"encoding": "utf-8", "sha256": "0" * 64, "bytes": 26}},
        {"facts": FACTS},
        {"facts": NO_SUMMIT},
        {"facts": with_facts(documents=[DOCUMENT_FACT])},
        {"facts": FOUND},
    ],
)
def test_records_of_every_format_round_trip_and_follow_the_schema(changes):
    import jsonschema

    data = record(**changes)
    jsonschema.validate(data, extraction_schema())
    parsed = ArticleRecord.from_dict(data)
    assert parsed.to_dict() == {**data, "input": {"format": "txt", **data["input"]}} if "input" in data else data
    assert [entity.page for entity in parsed.entities] == [entity.get("page") for entity in data["entities"]]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"doc_id": 7}, "key 'doc_id' should be str, got 7"),
        ({"entities": [dict(record()["entities"][0], page="2")]}, "key 'page' should be int, got '2'"),
        ({"entities": [dict(record()["entities"][0], page=0)]}, "Invalid page 0 for 'Kazakhstan'"),
        ({"raw_text": 5}, "key 'raw_text' should be str, got 5"),
        ({"input": dict(PDF_INPUT, library=3)}, "key 'library' should be a string, got 3"),
        ({"entities": "none"}, "key 'entities' should be list"),
        ({"meta": {"title": 3}}, "key 'title' should be a string or null, got 3"),
        ({"pipeline": {"version": "1"}}, "missing key 'model'"),
        ({"text": "Kazakhstan hosted the ABC."}, "text\\[22:25\\] is 'ABC', but the entity says 'SCO'"),
        ({"facts": []}, "facts: expected an object"),
        ({"facts": {"summit": None}}, "facts: missing key 'participants'"),
        ({"facts": with_facts(summit={**FACTS["summit"], "edition": "24"})}, "key 'edition' should be int"),
        ({"facts": with_facts(summit={"evidence": []})}, "facts summit: missing key 'organization'"),
        (
            {"facts": with_facts(participants=[{"id": "KAZ", "roles": ["king"], "evidence": []}])},
            r"participants\[0\]: roles \['king'\] should be distinct names from host, chair",
        ),
        (
            {"facts": with_facts(participants=[{"id": "KAZ", "roles": ["host", "host"], "evidence": []}])},
            "should be distinct names",
        ),
        ({"facts": with_facts(participants=[{"id": "KAZ", "roles": []}])}, "should be distinct names"),
        (
            {"facts": with_facts(documents=[{**DOCUMENT_FACT, "status": "vetoed"}])},
            r"documents\[0\]: status 'vetoed' should be one of signed, adopted",
        ),
        # Evidence outside the text, backwards, or not a pair.
        (
            {"facts": with_facts(documents=[{**DOCUMENT_FACT, "evidence": [[20, 99]]}])},
            r"evidence\[0\]: expected \[start, end\] inside the text, got \[20, 99\]",
        ),
        ({"facts": with_facts(documents=[{**DOCUMENT_FACT, "evidence": [[5, 2]]}])}, "inside the text"),
        ({"facts": with_facts(documents=[{**DOCUMENT_FACT, "evidence": [[1, True]]}])}, "inside the text"),
        ({"facts": with_facts(documents=[{**DOCUMENT_FACT, "evidence": [3]}])}, "inside the text"),
        # A method outside the vocabulary, a stated part without one, a method for a part not stated.
        (
            {
                "facts": with_facts(
                    summit={**FOUND["summit"], "found_by": {"organization": "guess", "country": "title"}}
                )
            },
            r"facts summit: found_by 'organization' is 'guess', expected one of dateline, title, structure, list, "
            "window, default",
        ),
        (
            {"facts": with_facts(summit={**FOUND["summit"], "found_by": {"organization": "window"}})},
            r"facts summit: found_by names \['organization'\], expected a method for each of \['country', "
            r"'organization'\]",
        ),
        (
            {
                "facts": with_facts(
                    participants=[{**FOUND["participants"][0], "found_by": {"host": "list", "chair": "list"}}]
                )
            },
            r"participants\[0\]: found_by names \['chair', 'host'\], expected a method for each of \['host'\]",
        ),
        (
            {"facts": with_facts(documents=[{**DOCUMENT_FACT, "found_by": {"status": "list"}}])},
            r"documents\[0\]: found_by names \['status'\], expected a method for each of \['proposer', 'status'\]",
        ),
        (
            {"facts": with_facts(documents=[{**DOCUMENT_FACT, "found_by": ["list", "window"]}])},
            r"documents\[0\]: key 'found_by' should be dict, got \['list', 'window'\]",
        ),
    ],
)
def test_invalid_records_name_the_bad_key_and_value(changes, message):
    with pytest.raises(RecordError, match=message):
        ArticleRecord.from_dict(record(**changes), where="out.jsonl, line 4")


@pytest.mark.parametrize(
    ("facts", "part", "method", "confidence"),
    [
        (FOUND, lambda f: f.summit.found_by["country"], "dateline", "high"),
        (FOUND, lambda f: f.participants[0].found_by["host"], "structure", "high"),
        (FOUND, lambda f: f.documents[0].found_by["status"], "list", "medium"),
        (FOUND, lambda f: f.documents[0].found_by["proposer"], "window", "medium"),
        # A record written before facts carried their methods: unknown, and the lowest confidence.
        (
            with_facts(documents=[DOCUMENT_FACT]),
            lambda f: method_of(f.documents[0].found_by, "status"),
            "unknown",
            "low",
        ),
        (FACTS, lambda f: method_of(f.summit.found_by, "organization"), "unknown", "low"),
    ],
)
def test_each_fact_says_how_it_was_found_and_its_confidence_follows(facts, part, method, confidence):
    parsed = ArticleRecord.from_dict(record(facts=facts)).facts
    assert (part(parsed), records.confidence(part(parsed))) == (method, confidence)


def test_the_methods_are_one_vocabulary_with_one_confidence_each():
    assert set(records.CONFIDENCE) == set(records.METHODS)
    assert set(records.CONFIDENCE.values()) <= set(records.CONFIDENCES)
    # Confidence never rises down the list of methods, most reliable first.
    ranks = [records.CONFIDENCES.index(records.CONFIDENCE[m]) for m in records.METHODS]
    assert ranks == sorted(ranks, reverse=True)
    assert extraction_schema()["$defs"]["found_by"]["additionalProperties"]["enum"] == list(records.METHODS)


@pytest.mark.parametrize(
    "label, start, end, message",
    [("PERSON", 0, 3, "Invalid label 'PERSON'"), ("ORG", 5, 5, r"Invalid span offsets \(5, 5\)")],
)
def test_entity_validates_label_and_offsets(label, start, end, message):
    with pytest.raises(RecordError, match=message):
        Entity(label, start, end, "x", "x", "x", "test:x")


def test_jsonl_errors_name_file_and_line(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(json.dumps(record()) + "\n\n{broken\n", encoding="utf-8")
    with pytest.raises(JsonlError, match=r"out.jsonl, line 3: not valid JSON"):
        list(iter_jsonl(path))


def test_jsonl_rejects_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": "\xff"}\n')
    with pytest.raises(JsonlError, match=r"out.jsonl, line 2: not UTF-8"):
        list(iter_jsonl(path))


def test_read_records_validates_each_line(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(json.dumps(record()) + "\n" + json.dumps(record(doc_id=None)) + "\n", encoding="utf-8")
    reader = read_records(path)
    assert next(reader).doc_id == "a"
    with pytest.raises(JsonlError, match=r"out.jsonl, line 2: missing key|line 2: key 'doc_id'"):
        next(reader)


def test_writers_emit_whole_lines(tmp_path):
    path = tmp_path / "sub" / "out.jsonl"
    assert write_jsonl(path, [{"a": "Türkiye"}, {"b": 2}]) == 2
    assert path.read_text(encoding="utf-8") == '{"a":"Türkiye"}\n{"b":2}\n'
    with path.open("a", encoding="utf-8") as handle:
        write_line(handle, {"c": 3})
    assert [obj for _, obj in iter_jsonl(path)] == [{"a": "Türkiye"}, {"b": 2}, {"c": 3}]


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(JsonlError, match="nope.jsonl: cannot open"):
        list(iter_jsonl(tmp_path / "nope.jsonl"))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("the SCO Development Strategy until 2035", "sco-development-strategy-until-2035"),
        ("Cooperation Program ... for 25–2027", "cooperation-program-for-25-2027"),
        ("Shanghai Cooperation Organisation", "shanghai-cooperation-organization"),
        ("UN Development Programme", "un-development-program"),
        ("Organization for Security and Co-operation in Europe", "organization-for-security-and-cooperation-in-europe"),
        ("Türkiye’s Centre", "turkiye-s-center"),
    ],
)
def test_slug(name, expected):
    assert slug(name) == expected


def test_pipeline_version_carries_a_fingerprint_of_the_rules(tmp_path, monkeypatch):
    import shutil

    from summit_extract import about
    from summit_extract.paths import patterns_dir

    about.rules_fingerprint.cache_clear()
    original = about.pipeline_version()
    assert original.startswith(f"{about.__version__}+rules.")
    copy = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), copy)
    (copy / "country_aliases.tsv").write_text(
        (copy / "country_aliases.tsv").read_text(encoding="utf-8") + "KAZ\tKazakstan\tformer\n", encoding="utf-8"
    )
    monkeypatch.setenv("SUMMIT_EXTRACT_PATTERNS", str(copy))
    about.rules_fingerprint.cache_clear()
    try:
        assert about.pipeline_version() != original
    finally:
        monkeypatch.delenv("SUMMIT_EXTRACT_PATTERNS")
        about.rules_fingerprint.cache_clear()


@pytest.mark.parametrize(
    ("module", "decides_output"),
    [
        ("reading/formats/pdf.py", True),
        ("cleanup/steps.py", True),
        ("extraction/extract.py", True),
        ("extraction/components/names.py", True),
        ("output/jsonl.py", True),
        ("rules.py", True),
        ("output/schema/__init__.py", False),
        ("evaluation/gold.py", False),
        ("evaluation/facts/scoring.py", False),
        ("reporting/report.py", False),
        ("batch/job.py", False),
        ("benchmarks/bench.py", False),
        ("cli/run.py", False),
    ],
)
def test_the_fingerprint_reads_the_code_that_decides_the_output(module, decides_output):
    from summit_extract import about

    counted = {path.relative_to(about._PACKAGE).as_posix() for path in about._code_files()}
    assert (module in counted) == decides_output
