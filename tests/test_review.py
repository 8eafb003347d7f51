"""Review sheets: export, spreadsheet round trips, every malformed-sheet error, merging into gold."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from helpers import make_record as make_shared_record
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.evaluation.gold import GoldDoc, GoldSpan, load_gold, read_gold_file, write_gold
from summit_extract.output.jsonl import write_jsonl
from summit_extract.records import ArticleMeta, ArticleRecord
from summit_extract.reporting import review


def make_record(doc_id: str, text: str, mentions: list[tuple[str, str, str]]) -> ArticleRecord:
    return make_shared_record(doc_id, text, mentions, meta=ArticleMeta())


ASTANA = make_record(
    "astana",
    "The Shanghai Cooperation Organization (SCO) met in Astana. Kazakhstan hosted it.\n\n"
    "Leaders of China and Kazakhstan signed the Astana Declaration. The SCO grew, and Russia's envoy came.",
    [
        ("Shanghai Cooperation Organization", "ORG", "SCO"),  # sheet row 2: accept
        ("SCO", "ORG", "SCO"),  # row 3: left blank
        ("Astana", "ORG", "astana"),  # row 4: reject (a city)
        ("Kazakhstan", "COUNTRY", "KAZ"),  # row 5: accept
        ("China", "COUNTRY", "CHN"),  # row 6: accept
        ("Kazakhstan", "COUNTRY", "KAZ"),  # row 7: accept
        ("Astana Declaration", "ORG", "astana-declaration"),  # row 8: relabel DOCUMENT
        ("SCO grew", "ORG", "SCO"),  # row 9: accept with the boundary fixed to "SCO"
    ],
)
KAZAN = make_record(
    "kazan",
    "BRICS leaders met in Kazan, Russia. China and India joined.",
    [
        ("BRICS", "ORG", "BRICS"),  # row 10: accept
        ("Kazan", "COUNTRY", "RUS"),  # row 11: reject
        ("Russia", "COUNTRY", "RUS"),  # row 12: accept
        ("China", "COUNTRY", "CHN"),  # row 13: accept
        ("India", "COUNTRY", "IND"),  # row 14: accept
    ],
)
RECORDS = {record.doc_id: record for record in (ASTANA, KAZAN)}
VERDICTS = {
    2: {"verdict": "accept"},
    4: {"verdict": "reject"},
    5: {"verdict": "accept"},
    6: {"verdict": "accept"},
    7: {"verdict": "accept"},
    8: {"verdict": "relabel", "fix_label": "DOCUMENT"},
    9: {"verdict": "accept", "fix_text": "SCO"},
    10: {"verdict": "accept"},
    11: {"verdict": "reject"},
    12: {"verdict": "accept"},
    13: {"verdict": "accept"},
    14: {"verdict": "accept"},
}
ADD_RUSSIA = {"doc_id": "astana", "verdict": "add", "label": "COUNTRY", "text": "Russia"}


def span(record: ArticleRecord, surface: str, label: str, span_id: str, nth: int = 1) -> GoldSpan:
    start = -1
    for _ in range(nth):
        start = record.text.index(surface, start + 1)
    return GoldSpan(start, start + len(surface), label, surface, span_id)


def as_gold(record: ArticleRecord) -> GoldDoc:
    """Gold that says exactly what the extraction says (as if every mention had been accepted before)."""
    spans = tuple(GoldSpan(e.start, e.end, e.label, e.text, e.id) for e in record.entities)
    return GoldDoc(record.doc_id, record.source, record.text, spans)


def write_sheet(path: Path, rows: list[dict[str, object]], *, quoting=csv.QUOTE_MINIMAL, bom=True, newline="\r\n"):
    """A sheet as a spreadsheet saves it: the header, then one line per row (sheet row = index + 2)."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=quoting, lineterminator=newline)
        writer.writerow(review.SHEET_COLUMNS)
        for row in rows:
            writer.writerow([row.get(column, "") for column in review.SHEET_COLUMNS])


def reviewed_rows() -> list[dict[str, object]]:
    rows = review.sheet_rows([ASTANA, KAZAN])
    for number, verdict in VERDICTS.items():
        rows[number - 2].update(verdict)
    return rows + [dict(ADD_RUSSIA)]


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    """A gold folder where astana has gold (equal to its extraction) and kazan has none yet."""
    folder = tmp_path / "gold"
    write_gold([as_gold(ASTANA)], folder / "astana.jsonl")
    return folder


# --- export --------------------------------------------------------------------------------------


def test_export_writes_an_excel_style_sheet(tmp_path):
    path = tmp_path / "review.csv"
    assert review.export_sheet([ASTANA, KAZAN], path) == 13
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == ",".join(review.SHEET_COLUMNS)
    assert [line.split(",")[0] for line in lines[1 : 1 + len(review.INSTRUCTIONS)]] == [
        (f'"{text}' if "," in text or '"' in text else text).split(",")[0] for text in review.INSTRUCTIONS
    ]
    assert lines[-1] == ""  # the file ends with a line end, and no bare "\n" is left inside it
    assert "\n" not in data.decode("utf-8-sig").replace("\r\n", "")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    data_rows = [row for row in rows if not row["doc_id"].startswith("#")]
    assert data_rows[0] == {
        "doc_id": "astana", "label": "ORG", "text": "Shanghai Cooperation Organization", "start": "4", "end": "37",
        "id": "SCO", "norm": "Shanghai Cooperation Organization", "source": "test:org",
        "context": "The Shanghai Cooperation Organization (SCO) met in Astana.",
        "verdict": "", "fix_label": "", "fix_text": "", "fix_id": "", "occurrence": "", "merge": "",
    }  # fmt: skip
    assert len(data_rows) == 13


def test_exported_sheet_with_no_verdicts_changes_nothing(tmp_path, gold_dir):
    path = tmp_path / "review.csv"
    review.export_sheet([ASTANA, KAZAN], path)
    result = review.import_sheet(path, gold_dir, extractions=RECORDS)
    assert (result.decided_rows, result.blank_rows, result.changes, result.written) == (0, 13, [], [])


@pytest.mark.parametrize(
    "save",
    [
        {"quoting": csv.QUOTE_ALL, "bom": True, "newline": "\r\n"},  # Excel "CSV UTF-8" with every field quoted
        {"quoting": csv.QUOTE_ALL, "bom": False, "newline": "\n"},  # LibreOffice, quoted, no BOM
        {"quoting": csv.QUOTE_MINIMAL, "bom": False, "newline": "\r\n"},
    ],
)
def test_sheet_reads_back_the_same_after_a_spreadsheet_save(tmp_path, save):
    table = exported_table(tmp_path)
    saved = tmp_path / "saved.csv"
    with saved.open("w", encoding="utf-8-sig" if save["bom"] else "utf-8", newline="") as handle:
        csv.writer(handle, quoting=save["quoting"], lineterminator=save["newline"]).writerows(table)
    original = tmp_path / "original.csv"
    with original.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table)
    assert review.read_sheet(saved) == review.read_sheet(original)
    rows, blank = review.read_sheet(saved)
    assert (len(rows), blank) == (13, 0)
    assert rows[0].to_dict() == {
        "row": 2 + len(review.INSTRUCTIONS), "doc_id": "astana", "label": "ORG",
        "text": "Shanghai Cooperation Organization", "start": "4", "end": "37", "id": "SCO", "verdict": "accept",
        "fix_label": "", "fix_text": "", "fix_id": "", "occurrence": "",
    }  # fmt: skip


def exported_table(tmp_path: Path) -> list[list[str]]:
    """The cells of an exported sheet with every mention accepted."""
    exported = tmp_path / "exported.csv"
    review.export_sheet([ASTANA, KAZAN], exported)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    for cells in table[1 + len(review.INSTRUCTIONS) :]:
        cells[review.SHEET_COLUMNS.index("verdict")] = "accept"
    return table


@pytest.mark.parametrize(
    "delimiter, bom",
    [(";", True), (";", False), ("\t", True)],
    ids=["excel-semicolon-utf8", "semicolon-no-bom", "tab"],
)
def test_semicolon_and_tab_separated_sheets_read_like_comma_ones(tmp_path, delimiter, bom):
    table = exported_table(tmp_path)
    comma, other = tmp_path / "comma.csv", tmp_path / "other.csv"
    with comma.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table)
    with other.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    assert review.read_sheet(other) == review.read_sheet(comma)
    assert len(review.read_sheet(other)[0]) == 13


def write_workbook(path: Path, table: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for cells in table:
        sheet.append(cells)
    workbook.save(path)
    return path


def test_xlsx_sheet_reads_like_the_csv_it_was_made_from(tmp_path):
    table = exported_table(tmp_path)
    as_typed = [
        [int(value) if column in ("start", "end") and value.isdigit() else value or None
         for column, value in zip(review.SHEET_COLUMNS, cells)]
        for cells in table
    ]  # fmt: skip
    as_typed[-1][review.SHEET_COLUMNS.index("start")] = float(as_typed[-1][review.SHEET_COLUMNS.index("start")])
    workbook = write_workbook(tmp_path / "reviewed.xlsx", as_typed)
    original = tmp_path / "original.csv"
    with original.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table)
    assert review.read_sheet(workbook) == review.read_sheet(original)
    assert review.read_sheet(workbook)[0][-1].start == table[-1][review.SHEET_COLUMNS.index("start")]


def test_xlsx_sheet_merges_into_gold_from_the_command(tmp_path, gold_dir):
    rows = reviewed_rows()
    table = [review.SHEET_COLUMNS] + [[row.get(column, "") for column in review.SHEET_COLUMNS] for row in rows]
    workbook = write_workbook(tmp_path / "reviewed.xlsx", table)
    output_file = tmp_path / "extractions.jsonl"
    write_jsonl(output_file, (record.to_dict() for record in (ASTANA, KAZAN)))
    arguments = ["review", "import", str(workbook), "--gold", str(gold_dir), "--extractions", str(output_file)]
    result = CliRunner().invoke(app, [*arguments, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "astana: 1 added, 1 removed, 1 relabelled, 1 re-bounded, 0 re-identified" in result.output


def test_export_to_xlsx_writes_a_workbook_that_reads_as_the_csv_does(tmp_path):
    # A doc id with control characters and a literal OOXML escape, a mention that looks like a formula.
    odd = make_record("ctl\x01\x1b[31m_x0041_", "=SUM(A1) Kazakhstan hosted it.", [("Kazakhstan", "COUNTRY", "KAZ")])
    records = [ASTANA, KAZAN, odd]
    workbook, sheet = tmp_path / "review.xlsx", tmp_path / "review.csv"
    assert review.export_sheet(records, workbook) == review.export_sheet(records, sheet) == 14
    assert zipfile.is_zipfile(workbook)
    table = review.read_workbook(workbook)
    assert table == review.read_csv_table(sheet)
    assert table[-1][:3] == ["ctl\x01\x1b[31m_x0041_", "COUNTRY", "Kazakhstan"]


def test_a_file_named_xlsx_that_is_not_a_workbook_is_named(tmp_path, gold_dir):
    sheet = tmp_path / "reviewed.xlsx"
    sheet.write_text("doc_id,label\n")
    with pytest.raises(
        review.ReviewError, match=r"reviewed.xlsx: 1 problem\(s\) in the review sheet:\nnot a readable .xlsx"
    ):
        review.import_sheet(sheet, gold_dir, extractions=RECORDS)


# --- the round trip --------------------------------------------------------------------------------


def test_round_trip_changes_gold_exactly_as_reviewed(tmp_path, gold_dir):
    exported = tmp_path / "review.csv"
    review.export_sheet([ASTANA, KAZAN], exported)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if not row["doc_id"].startswith("#")]
    for number, verdict in VERDICTS.items():
        rows[number - 2].update(verdict)
    rows.append(dict(ADD_RUSSIA))
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, rows)

    result = review.import_sheet(sheet, gold_dir, extractions=RECORDS)

    gold = load_gold(gold_dir)
    assert list(gold["astana"].spans) == [
        span(ASTANA, "Shanghai Cooperation Organization", "ORG", "SCO"),
        span(ASTANA, "SCO", "ORG", "SCO"),  # left blank: the gold it had stays
        span(ASTANA, "Kazakhstan", "COUNTRY", "KAZ"),
        span(ASTANA, "China", "COUNTRY", "CHN"),
        span(ASTANA, "Kazakhstan", "COUNTRY", "KAZ", nth=2),
        span(ASTANA, "Astana Declaration", "DOCUMENT", "astana-declaration"),
        span(ASTANA, "SCO", "ORG", "SCO", nth=2),
        span(ASTANA, "Russia", "COUNTRY", "RUS"),
    ]
    assert list(gold["kazan"].spans) == [
        span(KAZAN, "BRICS", "ORG", "BRICS"),
        span(KAZAN, "Russia", "COUNTRY", "RUS"),
        span(KAZAN, "China", "COUNTRY", "CHN"),
        span(KAZAN, "India", "COUNTRY", "IND"),
    ]
    assert (gold["kazan"].text, gold["kazan"].source) == (KAZAN.text, KAZAN.source)
    astana, kazan = result.changes
    assert astana.to_dict() == {
        "doc_id": "astana",
        "path": str(gold_dir / "astana.jsonl"),
        "created": False,
        "added": [span(ASTANA, "Russia", "COUNTRY", "RUS").to_dict()],
        "removed": [span(ASTANA, "Astana", "ORG", "astana").to_dict()],
        "relabelled": [[span(ASTANA, "Astana Declaration", "ORG", "astana-declaration").to_dict(),
                        span(ASTANA, "Astana Declaration", "DOCUMENT", "astana-declaration").to_dict()]],
        "rebounded": [[span(ASTANA, "SCO grew", "ORG", "SCO").to_dict(), span(ASTANA, "SCO", "ORG", "SCO", 2).to_dict()]],
        "reidentified": [],
    }  # fmt: skip
    assert (kazan.created, len(kazan.added), kazan.removed, kazan.path) == (True, 4, [], gold_dir / "kazan.jsonl")
    assert sorted(result.written) == [gold_dir / "astana.jsonl", gold_dir / "kazan.jsonl"]
    assert (result.decided_rows, result.blank_rows) == (13, 1)


def test_dry_run_writes_nothing(tmp_path, gold_dir):
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, reviewed_rows())
    before = (gold_dir / "astana.jsonl").read_bytes()
    result = review.import_sheet(sheet, gold_dir, extractions=RECORDS, dry_run=True)
    assert [change.summary() for change in result.changes] == [
        "astana: 1 added, 1 removed, 1 relabelled, 1 re-bounded, 0 re-identified",
        "kazan (new gold record): 4 added, 0 removed, 0 relabelled, 0 re-bounded, 0 re-identified",
    ]
    assert result.written == []
    assert (gold_dir / "astana.jsonl").read_bytes() == before
    assert not (gold_dir / "kazan.jsonl").exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # accept keeps an id the gold already has for the span; fix_id replaces it
        ({"verdict": "accept"}, GoldSpan(59, 69, "COUNTRY", "Kazakhstan", "KAZ")),
        ({"verdict": "accept", "fix_id": "KGZ"}, GoldSpan(59, 69, "COUNTRY", "Kazakhstan", "KGZ")),
        # a document title's slug follows a fixed boundary; an acronym id does not
        ({"verdict": "accept", "fix_text": "the Astana Declaration"},
         GoldSpan(121, 143, "DOCUMENT", "the Astana Declaration", "astana-declaration")),
    ],
)  # fmt: skip
def test_ids_after_review(tmp_path, row, expected):
    text = ASTANA.text
    record = make_record(
        "astana", text, [("Kazakhstan", "COUNTRY", "KAZ"), ("Astana Declaration", "DOCUMENT", "astana-declaration")]
    )
    rows = review.sheet_rows([record])
    target = rows[0] if expected.label == "COUNTRY" else rows[1]
    target.update(row)
    sheet = tmp_path / "s.csv"
    write_sheet(sheet, [target])
    gold = tmp_path / "gold.jsonl"
    review.import_sheet(sheet, gold, extractions={"astana": record})
    ((_, doc),) = read_gold_file(gold)
    assert list(doc.spans) == [expected]


# --- malformed sheets ------------------------------------------------------------------------------


def edited(changes: dict[int, dict[str, object]], extra: list[dict[str, object]] = ()) -> list[dict[str, object]]:
    rows = reviewed_rows()
    for number, change in changes.items():
        rows[number - 2].update(change)
    return rows + list(extra)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (edited({5: {"verdict": "acept"}}),
         "row 5, column verdict: unknown verdict 'acept'; expected accept, reject, relabel, add or blank"),
        (edited({}, [{"doc_id": "astana", "verdict": "add", "label": "COUNTRY", "text": "Mongolia"}]),
         "row 16, column text: 'Mongolia' does not occur in the article"),
        (edited({8: {"fix_label": ""}}), "row 8, column fix_label: relabel needs the new label"),
        (edited({8: {"fix_label": "LAW"}}), "row 8, column fix_label: unknown label 'LAW'"),
        (edited({5: {"label": "PERSON"}}), "row 5, column label: unknown label 'PERSON'"),
        (edited({}, [{**reviewed_rows()[3], "verdict": "reject"}]),
         "row 16, column verdict: conflicts with row 5 about the same mention at 59-69 (COUNTRY)"),
        (edited({5: {"start": "fifty"}}), "row 5, column start: expected a whole number, got 'fifty'"),
        (edited({5: {"start": "-3"}}), "row 5, column start: expected an offset of 0 or more, got -3"),
        (edited({5: {"end": "9999"}}), "row 5, column end: offsets 59-9999 do not fit an article of 183 characters"),
        (edited({5: {"start": "60", "end": "70"}}),
         "row 5, column text: the article has 'azakhstan ' at 60-70, not 'Kazakhstan'"),
        (edited({9: {"fix_text": "Kazakhstan"}}),
         "row 9, column fix_text: 'Kazakhstan' does not occur overlapping the original span 'SCO grew' at 149-157"),
        (edited({}, [{"doc_id": "astana", "verdict": "add", "label": "COUNTRY", "text": "Kazakhstan"}]),
         "row 16, column occurrence: 'Kazakhstan' occurs 2 times; give start or occurrence (1 = first)"),
        (edited({}, [{"doc_id": "astana", "verdict": "add", "label": "COUNTRY", "text": "China", "occurrence": "3"}]),
         "row 16, column occurrence: 'China' occurs 1 time(s); got occurrence 3"),
        (edited({}, [{"doc_id": "astana", "verdict": "add", "label": "COUNTRY", "text": "China", "start": "5"}]),
         "row 16, column start: the article has 'hangh' at 5, not 'China'"),
        (edited({}, [{"doc_id": "tashkent", "verdict": "add", "label": "COUNTRY", "text": "Uzbekistan"}]),
         "row 16, column doc_id: article 'tashkent' has no gold record and is not in the extraction file"),
        (edited({5: {"fix_id": "KZZ"}}),
         "row 5, column fix_id: the COUNTRY span 'Kazakhstan', key 'id': expected an ISO 3166-1 alpha-3 code"),
        (edited({2: {"fix_id": '=HYPERLINK("http://x","y")'}}),
         "row 2, column fix_id: '=HYPERLINK(\"http://x\",\"y\")' is not an id: expected an acronym or code"),
        (edited({2: {"fix_id": "Shanghai Org"}}), "row 2, column fix_id: 'Shanghai Org' is not an id"),
        (edited({8: {"fix_id": "astana declaration"}}), "row 8, column fix_id: 'astana declaration' is not an id"),
        (edited({8: {"fix_id": "-astana"}}), "row 8, column fix_id: '-astana' is not an id"),
        (edited({}, [{"doc_id": "astana", "verdict": "add", "label": "ORG", "text": "Shanghai Cooperation"}]),
         ("row 16, column text: 'Shanghai Cooperation' at 4-24 (ORG) would overlap 'Shanghai Cooperation Organization' "
         "at 4-37 (ORG) from row 2")),
        (edited({3: {"verdict": "reject"}}, [{"doc_id": "astana", "verdict": "add", "label": "ORG", "text": "(SCO)", "id": "SCO"}]),
         None),  # rejecting "SCO" and adding "(SCO)" in its place is fine
        (edited({}, [{"doc_id": "astana", "verdict": "add", "label": "CITY", "text": "Astana", "occurrence": "1"}]),
         "row 16, column label: unknown label 'CITY' for a missed mention; expected one of COUNTRY, ORG, DOCUMENT"),
        (edited({}, [{"doc_id": "", "verdict": "add", "label": "COUNTRY", "text": "Russia"}]),
         "row 16, column doc_id: empty; every decided row names its article"),
        (edited({}, [{"doc_id": "astana", "verdict": "add", "label": "COUNTRY", "text": "envoy", "start": "172"}]),
         "row 16, column fix_id: no id given and none can be derived for COUNTRY 'envoy'; write it in fix_id"),
    ],
)  # fmt: skip
def test_malformed_sheet_rows(tmp_path, gold_dir, rows, message):
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, rows)
    before = (gold_dir / "astana.jsonl").read_bytes()
    if message is None:  # the one valid sheet of the table: "(SCO)" replaces the rejected "SCO"
        result = review.import_sheet(sheet, gold_dir, extractions=RECORDS, dry_run=True)
        assert result.changes[0].rebounded[0] == (
            span(ASTANA, "SCO", "ORG", "SCO").to_dict(),
            span(ASTANA, "(SCO)", "ORG", "SCO").to_dict(),
        )
        return
    with pytest.raises(review.ReviewError) as caught:
        review.import_sheet(sheet, gold_dir, extractions=RECORDS)
    assert len(caught.value.problems) == 1, caught.value.problems
    assert caught.value.problems[0].startswith(message)  # some messages end with advice; the start is exact
    assert str(caught.value).startswith(f"{sheet}: 1 problem(s) in the review sheet:\nrow ")
    assert (gold_dir / "astana.jsonl").read_bytes() == before  # nothing written
    assert not (gold_dir / "kazan.jsonl").exists()


def test_every_problem_is_listed_in_row_order(tmp_path, gold_dir):
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, edited({9: {"verdict": "maybe"}, 5: {"start": "x"}}))
    with pytest.raises(review.ReviewError) as caught:
        review.import_sheet(sheet, gold_dir, extractions=RECORDS)
    assert [problem.split(":")[0] for problem in caught.value.problems] == [
        "row 5, column start",
        "row 9, column verdict",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the sheet is empty"),
        (b"doc_id,label,text,start,end,id\r\nastana,ORG,SCO,39,42,SCO\r\n",
         "row 1: missing column(s) verdict, fix_label, fix_text, fix_id"),
        ("doc_id,label,text,start,end,id,verdict,fix_label,fix_text,fix_id\r\nastana,ORG,Açores,1,2,x,accept,,,\r\n"
         .encode("latin-1"), "not UTF-8 text"),
        (b"doc_id,label,text,start,end,id,verdict,fix_label,fix_text,fix_id\r\n\"astana,ORG,SCO\r\n",
         "not a readable CSV file (unexpected end of data)"),
    ],
)  # fmt: skip
def test_malformed_sheet_files(tmp_path, gold_dir, content, message):
    sheet = tmp_path / "reviewed.csv"
    sheet.write_bytes(content)
    with pytest.raises(review.ReviewError, match=re.escape(message)) as caught:
        review.import_sheet(sheet, gold_dir, extractions=RECORDS)
    assert str(caught.value).startswith(f"{sheet}: ")


def test_gold_text_that_differs_from_the_extraction_is_refused(tmp_path):
    folder = tmp_path / "gold"
    other = GoldDoc("astana", ASTANA.source, ASTANA.text.replace("met", "sat"), ())
    write_gold([other], folder / "astana.jsonl")
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, reviewed_rows()[:1])
    with pytest.raises(review.ReviewError, match="row 2, column doc_id: the gold text of 'astana' differs"):
        review.import_sheet(sheet, folder, extractions=RECORDS)


# --- the commands ----------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def output_file(tmp_path: Path) -> Path:
    path = tmp_path / "extractions.jsonl"
    write_jsonl(path, [ASTANA.to_dict(), KAZAN.to_dict()])
    return path


def test_cli_export(tmp_path, output_file):
    sheet = tmp_path / "review.csv"
    result = runner.invoke(app, ["review", "export", str(output_file), "-o", str(sheet)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote 13 mention rows to {sheet}; fill in 'verdict', then run `summit-extract review import`\n"
    )
    assert review.read_sheet(sheet) == ([], 13)


def test_cli_import_dry_run_reports_each_change(tmp_path, gold_dir, output_file):
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, reviewed_rows())
    arguments = ["review", "import", str(sheet), "--gold", str(gold_dir), "--extractions", str(output_file)]
    result = runner.invoke(app, [*arguments, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "astana: 1 added, 1 removed, 1 relabelled, 1 re-bounded, 0 re-identified",
        "  + COUNTRY 'Russia' 163-169 (RUS)",
        "  - ORG 'Astana' 51-57 (astana)",
        (
            "  ~ relabelled: ORG 'Astana Declaration' 125-143 (astana-declaration) -> "
            "DOCUMENT 'Astana Declaration' 125-143 (astana-declaration)"
        ),
        "  ~ re-bounded: ORG 'SCO grew' 149-157 (SCO) -> ORG 'SCO' 149-152 (SCO)",
        "kazan (new gold record): 4 added, 0 removed, 0 relabelled, 0 re-bounded, 0 re-identified",
        "  + ORG 'BRICS' 0-5 (BRICS)",
        "  + COUNTRY 'Russia' 28-34 (RUS)",
        "  + COUNTRY 'China' 36-41 (CHN)",
        "  + COUNTRY 'India' 46-51 (IND)",
        "13 rows with a verdict, 1 row without a verdict skipped; 2 articles changed",
        "Dry run: no gold file written",
    ]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        f"Wrote {gold_dir / 'astana.jsonl'}",
        f"Wrote {gold_dir / 'kazan.jsonl'}",
    ]


def test_cli_import_error_names_row_and_column(tmp_path, gold_dir, output_file):
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, edited({6: {"verdict": "yes"}}))
    result = runner.invoke(
        app, ["review", "import", str(sheet), "--gold", str(gold_dir), "--extractions", str(output_file)]
    )
    assert result.exit_code == 2
    assert result.output == (
        f"summit-extract: error: {sheet}: 1 problem(s) in the review sheet:\n"
        "row 6, column verdict: unknown verdict 'yes'; expected accept, reject, relabel, add or blank\n"
    )


def test_an_unusable_article_is_reported_once_for_all_its_rows(tmp_path, gold_dir):
    sheet = tmp_path / "reviewed.csv"
    write_sheet(sheet, reviewed_rows())
    with pytest.raises(review.ReviewError) as caught:
        review.import_sheet(sheet, gold_dir, extractions={"astana": ASTANA})  # kazan: no gold, no extraction
    assert caught.value.problems == [
        (
            "row 10, column doc_id: article 'kazan' has no gold record and is not in the extraction file; pass the "
            "extraction output the sheet was exported from (and 4 more rows of this article)"
        )
    ]


def test_cli_export_names_a_bad_extraction_file(tmp_path):
    bad = tmp_path / "extractions.jsonl"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["review", "export", str(bad), "-o", str(tmp_path / "review.csv")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"summit-extract: error: {bad}: no article records (the file is empty); "
        "expected the JSONL written by `summit-extract run`\n"
    )
    assert not (tmp_path / "review.csv").exists()


@pytest.mark.parametrize("doc_id", ["../outside", "sub/dir", ".hidden", "nul\x00byte", "long" * 63])
def test_a_new_gold_file_stays_in_the_gold_folder(tmp_path, doc_id):
    # Articles that can name a file come first: none of them is written either.
    records = [
        make_record(name, "Kazakhstan hosted it.", [("Kazakhstan", "COUNTRY", "KAZ")]) for name in ("a", "b", doc_id)
    ]
    rows = review.sheet_rows(records)
    for row in rows:
        row["verdict"] = "accept"
    sheet = tmp_path / "s.csv"
    write_sheet(sheet, rows)
    folder = tmp_path / "gold"
    folder.mkdir()
    with pytest.raises(review.ReviewError) as caught:
        review.import_sheet(sheet, folder, extractions={record.doc_id: record for record in records})
    assert caught.value.problems == [f"row 4, column doc_id: {doc_id!r} cannot name a gold file in {folder}"]
    assert list(tmp_path.rglob("*.jsonl")) == []


# --- an existing sheet, gold that changed after the export -----------------------------------------


def test_export_refuses_to_overwrite_a_sheet_without_force(tmp_path):
    sheet = tmp_path / "review.csv"
    sheet.write_text("a filled-in sheet\n", encoding="utf-8")
    with pytest.raises(review.SheetExistsError, match="review.csv exists; a filled-in sheet would be lost"):
        review.export_sheet([ASTANA], sheet)
    assert sheet.read_text(encoding="utf-8") == "a filled-in sheet\n"
    assert review.export_sheet([ASTANA], sheet, force=True) == 8


def test_cli_export_refuses_an_existing_sheet_with_exit_two(tmp_path, output_file):
    sheet = tmp_path / "review.csv"
    sheet.write_text("a filled-in sheet\n", encoding="utf-8")
    result = runner.invoke(app, ["review", "export", str(output_file), "-o", str(sheet)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"summit-extract: error: {sheet} exists; a filled-in sheet would be lost; "
        "pass --force to overwrite it, or choose another -o path\n"
    )
    assert sheet.read_text(encoding="utf-8") == "a filled-in sheet\n"
    assert runner.invoke(app, ["review", "export", str(output_file), "-o", str(sheet), "--force"]).exit_code == 0


def accept_everything(sheet: Path) -> None:
    """Fill in 'accept' on every mention row, as a reviewer would, keeping the note rows."""
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    verdict = table[0].index("verdict")
    for cells in table[1:]:
        if not cells[0].startswith("#"):
            cells[verdict] = "accept"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table)


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ("nothing", None),
        ("a span removed from astana", "astana"),
        ("gold created for kazan", "kazan"),
    ],
)
def test_import_refuses_articles_whose_gold_changed_after_the_export(tmp_path, gold_dir, change, refused):
    sheet = tmp_path / "review.csv"
    review.export_sheet([ASTANA, KAZAN], sheet, gold=gold_dir)
    assert review.read_gold_versions(sheet) == {
        "astana": review.gold_version(as_gold(ASTANA)),
        "kazan": "none",
    }
    accept_everything(sheet)
    if change == "a span removed from astana":  # someone took "Astana" (a city) out of gold meanwhile
        doc = as_gold(ASTANA)
        write_gold(
            [GoldDoc(doc.doc_id, doc.source, doc.text, doc.spans[:2] + doc.spans[3:])], gold_dir / "astana.jsonl"
        )
    elif change == "gold created for kazan":
        write_gold([as_gold(KAZAN)], gold_dir / "kazan.jsonl")
    if refused is None:
        assert review.import_sheet(sheet, gold_dir, extractions=RECORDS, dry_run=True).decided_rows == 13
        return
    before = {path.name: path.read_bytes() for path in gold_dir.iterdir()}
    with pytest.raises(review.ReviewError) as caught:
        review.import_sheet(sheet, gold_dir, extractions=RECORDS)
    [problem] = caught.value.problems
    assert f"column doc_id: the gold of {refused!r} changed after the sheet was exported" in problem
    assert {path.name: path.read_bytes() for path in gold_dir.iterdir()} == before
