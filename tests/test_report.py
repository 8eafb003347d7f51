"""The HTML report: escaping, highlights, charts, scores against gold, self-containment, the CLI."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import WRITER_META
from helpers import make_record as make_shared_record
from typer.testing import CliRunner

from summit_extract.cli import app
from summit_extract.evaluation.gold import GoldDoc, GoldSpan, write_gold
from summit_extract.output.jsonl import write_jsonl
from summit_extract.records import ArticleRecord, DocumentFact, Facts, Participant, Summit
from summit_extract.reporting import report


def make_record(
    doc_id: str, text: str, mentions: list[tuple[str, str, str]], title: str | None = None
) -> ArticleRecord:
    return make_shared_record(doc_id, text, mentions, meta=replace(WRITER_META, title=title))


ASTANA = make_record(
    "astana",
    "The SCO met in Astana. Kazakhstan and China signed the Astana Declaration.",
    [
        ("SCO", "ORG", "SCO"),
        ("Kazakhstan", "COUNTRY", "KAZ"),
        ("China", "COUNTRY", "CHN"),
        ("Astana Declaration", "DOCUMENT", "astana-declaration"),
    ],
    title="Astana summit",
)
HOSTILE = make_record(
    "hostile",
    'Russia said <script>alert("x")</script> & <b>bold</b> things.',
    [("Russia", "COUNTRY", "RUS")],
    title="<img src=x onerror=alert(1)>",
)


def gold_for(record: ArticleRecord, spans: list[tuple[str, str, str]]) -> GoldDoc:
    """Gold spans (surface, label, id), found left to right in the record's text."""
    found, cursor = [], 0
    for surface, label, span_id in spans:
        start = record.text.index(surface, cursor)
        cursor = start + len(surface)
        found.append(GoldSpan(start, cursor, label, surface, span_id))
    return GoldDoc(doc_id=record.doc_id, source=record.source, text=record.text, spans=tuple(found))


# Gold that agrees on the countries, misses the prediction "SCO" boundary ("The SCO"), has a missed
# ORG "Astana" and no DOCUMENT: strict ORG 0/1 correct, DOCUMENT one spurious.
ASTANA_GOLD = gold_for(
    ASTANA,
    [
        ("The SCO", "ORG", "SCO"),
        ("Astana", "ORG", "astana"),
        ("Kazakhstan", "COUNTRY", "KAZ"),
        ("China", "COUNTRY", "CHN"),
    ],
)


def render(records, **options) -> str:
    html, _ = report.build_report(records, **options)
    return html


def test_script_in_an_article_is_shown_as_text():
    html = render([HOSTILE])
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("<script>") == 1  # only the page's own filter/sort script


def test_report_is_self_contained():
    html = render([ASTANA, HOSTILE], gold={"astana": ASTANA_GOLD})
    assert not re.search(r"<(link|iframe|img|object|embed)\b", html)
    assert not re.search(r"<[^>]*\bsrc\s*=", html)  # no tag loads anything
    assert not re.search(r"<[^>]*\bhref\s*=\s*(?![\"']?#)", html)  # links only within the page
    assert "@import" not in html and "url(" not in html
    # the one URL is the SVG namespace name, which browsers never fetch
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}


def test_article_count_and_metadata_are_shown():
    html = render([ASTANA, HOSTILE])
    assert '<div class="stat" id="article-count" data-count="2"><b>2</b>articles</div>' in html
    assert "<dt>author</dt><dd>A. Writer</dd>" in html
    assert "<dt>published</dt><dd>2024-07-04</dd>" in html


@pytest.mark.parametrize(
    ("text", "predicted", "missed", "expected"),
    [
        ("no entities", [], [], "no entities"),
        (
            "in Kazakhstan.",
            [(3, 13, "COUNTRY", "")],
            [],
            (
                'in <mark class="ent ent-COUNTRY" data-label="COUNTRY" title="t">Kazakhstan'
                '<span class="ent-label">COUNTRY</span></mark>.'
            ),
        ),
        (
            "a <SCO> b",
            [(2, 7, "ORG", "fp")],
            [],
            (
                'a <mark class="ent ent-ORG fp" data-label="ORG" title="t">&lt;SCO&gt;'
                '<span class="ent-label">ORG</span></mark> b'
            ),
        ),
        (
            "The SCO",
            [],
            [(0, 7, "ORG", "fn")],
            '<span class="fn" data-label="ORG" title="t">The SCO</span><span class="fn-label">missed ORG</span>',
        ),
        (  # crossing spans: the prediction "SCO met" against gold "The SCO"
            "The SCO met",
            [(4, 11, "ORG", "fp")],
            [(0, 7, "ORG", "fn")],
            (
                '<span class="fn" data-label="ORG" title="t">The </span>'
                '<mark class="ent ent-ORG fp" data-label="ORG" title="t"><span class="fn" data-label="ORG" title="t">SCO'
                '</span><span class="fn-label">missed ORG</span></mark>'
                '<mark class="ent ent-ORG fp" data-label="ORG" title="t"> met<span class="ent-label">ORG</span></mark>'
            ),
        ),
    ],
)
def test_highlight_html(text, predicted, missed, expected):
    def marks(items, kind):
        return [report._Mark(s, e, label, kind, status, "t") for s, e, label, status in items]

    assert str(report.highlight_html(text, marks(predicted, "pred"), marks(missed, "fn"))) == expected


def test_classify_by_exact_span_and_label():
    predicted, missed = report.classify(ASTANA.entities, ASTANA_GOLD.spans)
    assert [(m.start, m.end, m.label, m.status) for m in predicted] == [
        (4, 7, "ORG", "fp"),
        (23, 33, "COUNTRY", "tp"),
        (38, 43, "COUNTRY", "tp"),
        (55, 73, "DOCUMENT", "fp"),
    ]
    assert [(m.start, m.end, m.label) for m in missed] == [(0, 7, "ORG"), (15, 21, "ORG")]


def test_score_rows_come_from_the_scorer():
    rows = {(row.level, row.label): row for row in report.score_rows([(ASTANA_GOLD.spans, ASTANA.entities)])}
    strict = "mention (strict)"
    assert (rows[strict, "COUNTRY"].tp, rows[strict, "COUNTRY"].fp, rows[strict, "COUNTRY"].fn) == (2, 0, 0)
    assert rows[strict, "COUNTRY"].f1 == 1.0
    assert (rows[strict, "ORG"].tp, rows[strict, "ORG"].fp, rows[strict, "ORG"].fn) == (0, 1, 2)
    assert (rows[strict, "DOCUMENT"].tp, rows[strict, "DOCUMENT"].fp, rows[strict, "DOCUMENT"].fn) == (0, 1, 0)
    # overall, the ORG boundary error counts once as incorrect: 2 correct of 4 predicted and 4 gold
    assert (rows[strict, "ALL"].precision, rows[strict, "ALL"].recall) == (0.5, 0.5)
    # document level: ORG "SCO" is found whatever the boundary; "astana" is missed
    assert (rows["document", "ORG"].tp, rows["document", "ORG"].fp, rows["document", "ORG"].fn) == (1, 0, 1)
    assert rows["document", "ALL"].to_dict() == {
        "level": "document", "label": "ALL", "precision": 0.75, "recall": 0.75, "f1": 0.75, "tp": 3, "fp": 1, "fn": 1,
    }  # fmt: skip


def test_gold_scores_and_error_styles_in_the_page():
    html, summary = report.build_report([ASTANA, HOSTILE], gold={"astana": ASTANA_GOLD})
    assert (summary.gold_articles, summary.highlighted_fp, summary.highlighted_fn) == (1, 2, 2)
    assert (
        '<tr data-label="COUNTRY"><td>mention (strict)</td><td>COUNTRY</td><td class="num">1.000</td>'
        '<td class="num">1.000</td><td class="num">1.000</td>'
    ) in html
    assert '<mark class="ent ent-DOCUMENT fp"' in html
    assert '<span class="fn" data-label="ORG" title="missed ORG · astana">Astana</span>' in html
    assert "false negative (missed gold span)" in html  # the legend
    assert "No gold annotation for this article" in html  # HOSTILE has none


def test_gold_with_other_text_is_reported_not_compared():
    changed = GoldDoc("astana", ASTANA.source, ASTANA.text.replace("met", "sat"), ASTANA_GOLD.spans)
    html, summary = report.build_report([ASTANA], gold={"astana": changed})
    assert summary.gold_articles == 0
    assert "Not compared with gold: article &#39;astana&#39;: gold text and predicted text differ" in html
    assert "None of these articles has a gold annotation" in html


def test_gold_that_differs_only_in_whitespace_is_aligned():
    spaced = GoldDoc("astana", ASTANA.source, ASTANA.text.replace(" met ", "\n met  "), ())
    spaced = gold_for(
        ArticleRecord("astana", ASTANA.source, spaced.text, ASTANA.meta, (), ASTANA.pipeline),
        [("Kazakhstan", "COUNTRY", "KAZ")],
    )
    _, summary = report.build_report([ASTANA], gold={"astana": spaced})
    assert (summary.gold_articles, summary.highlighted_fn) == (1, 0)


def test_bar_chart_escapes_names_and_draws_one_bar_each():
    svg = str(report.bar_chart_svg([("A<B", 3), ("C", 1)], title="t"))
    assert svg.count("<rect ") == 2
    assert "A&lt;B" in svg and "A<B" not in svg
    assert "nothing to show" in str(report.bar_chart_svg([]))


runner = CliRunner()


@pytest.fixture
def output_file(tmp_path: Path) -> Path:
    path = tmp_path / "extractions.jsonl"
    write_jsonl(path, [ASTANA.to_dict(), HOSTILE.to_dict()])
    return path


def test_cli_report_with_gold(tmp_path, output_file):
    gold_dir = tmp_path / "gold"
    write_gold([ASTANA_GOLD], gold_dir / "gold.jsonl")
    target = tmp_path / "out" / "report.html"
    result = runner.invoke(app, ["report", str(output_file), "--gold", str(gold_dir), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote {target}: 2 articles, 5 mentions; 1 compared with gold, "
        "2 false positives and 2 missed gold spans highlighted\n"
    )
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("gold_text", "message"),
    [
        ('{"text": "x", "meta": {"doc_id": "a", "source": ""}}\n', "line 1: missing key 'spans'"),
        ("not json\n", "line 1: not valid JSON"),
    ],
)
def test_cli_report_names_a_bad_gold_file(tmp_path, output_file, gold_text, message):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_text, encoding="utf-8")
    result = runner.invoke(app, ["report", str(output_file), "--gold", str(gold), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert f"{gold}, {message}" in result.output
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no article records (the file is empty)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "line 1: not UTF-8"),
        (b'{"doc_id": "x", "text": ""}\n', "every line breaks the output contract"),
    ],
)
def test_cli_report_names_a_bad_extraction_file(tmp_path, content, message):
    bad = tmp_path / "extractions.jsonl"
    bad.write_bytes(content)
    result = runner.invoke(app, ["report", str(bad), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"summit-extract: error: {bad}")
    assert message in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_real_corpus_report_when_present(repo_root):
    """Runs on outputs/extractions.jsonl after `make run`; the hand-made cases above do not need it."""
    from summit_extract.reporting.tables import load_records

    path = repo_root / "outputs" / "extractions.jsonl"
    if not path.exists():
        pytest.skip("outputs/extractions.jsonl not present: run `make run` first")
    records = load_records(path).records
    html, summary = report.build_report(records)
    assert summary.articles == len(records)
    assert f'id="article-count" data-count="{len(records)}"' in html
    assert html.count("<article ") == min(len(records), report.DEFAULT_MAX_ARTICLES)


def page_tables(html: str) -> dict:
    """The tables' JSON blob as the page's script reads it."""
    start = html.index('<script type="application/json" id="report-data">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])["tables"]


def test_errors_table_lists_each_strict_error_by_kind():
    table = page_tables(render([ASTANA], gold={"astana": ASTANA_GOLD}))["errors-table"]
    assert table["columns"][:5] == ["doc_id", "kind", "label", "predicted", "gold"]
    assert [row[:5] for row in report.decoded_rows(table)] == [
        ["astana", "boundary", "ORG", "ORG “SCO” 4-7", "ORG “The SCO” 0-7"],
        ["astana", "spurious", "DOCUMENT", "DOCUMENT “Astana Declaration” 55-73", "—"],
        ["astana", "missed", "ORG", "—", "ORG “Astana” 15-21"],
    ]


def test_no_errors_table_without_gold():
    assert 'id="errors-table"' not in render([ASTANA])


def test_cli_report_counts_a_duplicated_article_once(tmp_path):
    path = tmp_path / "extractions.jsonl"
    write_jsonl(path, [ASTANA.to_dict(), HOSTILE.to_dict(), ASTANA.to_dict()])
    target = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {target}: 2 articles, ")
    assert result.stderr == (
        f"summit-extract: warning: {path}: doc id 'astana' occurs 2 times (lines 1, 3); only line 3 is used\n"
    )


def test_cli_report_refuses_to_overwrite_without_force(tmp_path, output_file):
    target = tmp_path / "report.html"
    target.write_text("an older report", encoding="utf-8")
    refused = runner.invoke(app, ["report", str(output_file), "-o", str(target)])
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == f"summit-extract: error: {target} exists; pass --force to overwrite it, or choose another -o path\n"
    )
    assert target.read_text(encoding="utf-8") == "an older report"
    forced = runner.invoke(app, ["report", str(output_file), "-o", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("count", "limit", "expected"),
    [
        (5, 10, [0, 1, 2, 3, 4]),  # fewer than the limit: all of them
        (10, 5, [0, 2, 4, 6, 8]),  # spread evenly
        (10, 3, [0, 3, 6]),
        (7, 0, []),
        (3, 3, [0, 1, 2]),
    ],
)
def test_sample_records_spreads_evenly(count, limit, expected):
    records = [replace(ASTANA, doc_id=str(index)) for index in range(count)]
    assert [int(r.doc_id) for r in report.sample_records(records, limit)] == expected


def test_max_articles_caps_highlighted_articles_not_tables():
    records = [replace(ASTANA, doc_id=f"a{index}") for index in range(6)]
    html = render(records, max_articles=2)
    assert html.count("<article ") == 2
    assert 'data-doc-id="a0"' in html and 'data-doc-id="a3"' in html
    assert "2 of 6 articles are shown with highlights" in html
    tables = page_tables(html)
    assert len(tables["articles-table"]["rows"]) == 6
    assert len(tables["mentions-table"]["rows"]) == 24
    highlighted = {row[0]: row[-1] for row in report.decoded_rows(tables["articles-table"])}
    assert highlighted == {"a0": "yes", "a1": "no", "a2": "no", "a3": "yes", "a4": "no", "a5": "no"}


SENTENCE = "China and Kazakhstan signed the Astana Declaration."


@pytest.mark.parametrize(
    ("columns", "encoded"),
    [
        ({"norm": ["Kazakhstan", "Kazakhstan", "China", "Kazakhstan"]}, ["0"]),  # repeats: stored once each
        ({"norm": ["A", "B", "C", "D"]}, []),  # distinct, short: an index would not save anything
        ({"mentions": [1, 1, 1, 1]}, []),  # numbers stay numbers
        ({"doc_id": ["a", "a", "a"], "context": [SENTENCE] * 3}, ["1"]),  # one article's sentence: shared
        ({"doc_id": ["a", "b", "c"], "context": [SENTENCE] * 3}, []),  # never shared across articles
        ({"context": [SENTENCE] * 3}, []),  # free text without articles is kept as it is
    ],
)
def test_frame_table_stores_repeated_text_once(columns, encoded):
    import pandas as pd

    frame = pd.DataFrame(columns)
    table = report.frame_table(frame)
    assert sorted(table["values"]) == encoded
    assert report.decoded_rows(table) == frame.to_numpy().tolist()


def test_article_text_cannot_end_the_data_script():
    record = make_record("x", "Text.", [], title="</script><script>alert(1)</script>")
    html = render([record, HOSTILE])
    assert "</script><script>alert(1)" not in html
    assert html.count("</script>") == 2  # the JSON blob's and the page script's own
    titles = [row[1] for row in report.decoded_rows(page_tables(html)["articles-table"])]
    assert titles == ["</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def test_summit_panel_and_summit_tables():
    facts = Facts(
        summit=Summit(
            "SCO",
            edition=24,
            city="Astana",
            country="KAZ",
            year=2024,
            start="2024-07-03",
            end="2024-07-04",
            found_by={
                "organization": "window",
                "edition": "window",
                "city": "title",
                "country": "default",
                "year": "dateline",
                "start": "window",
                "end": "window",
            },
        ),  # fmt: skip
        participants=(
            Participant("KAZ", ("host",), found_by={"host": "structure"}),
            Participant("CHN", ("member",), found_by={"member": "default"}),
        ),
        documents=(
            DocumentFact(
                "astana-declaration", "adopted", proposer="KAZ", found_by={"status": "list", "proposer": "window"}
            ),
        ),
    )
    html = render([replace(ASTANA, facts=facts), HOSTILE])
    assert (
        '<dt>city</dt><dd>Astana <span class="confidence confidence-high" title="found by title">high</span></dd>'
        in html
    )
    assert '<dd>KAZ <span class="confidence confidence-low" title="found by default">low</span></dd>' in html
    assert "<dt>dates</dt><dd>2024-07-03 – 2024-07-04 <span" in html
    # The article's participants, the least reliable first.
    china = (
        '<tr class="confidence-low"><td>CHN</td><td>China</td><td>member</td><td>member: default</td><td>low</td></tr>'
    )
    kazakhstan = '<tr class="confidence-high"><td>KAZ</td><td>Kazakhstan</td><td>host</td><td>host: structure</td>'
    assert china in html and kazakhstan in html and html.index(china) < html.index(kazakhstan)
    assert (
        '<tr class="confidence-medium"><td>astana-declaration</td><td>Astana Declaration</td><td>adopted</td><td>KAZ</td>'
        "<td>status: list; proposer: window</td><td>medium</td></tr>"
    ) in html
    assert "No summit found in this article." in html  # HOSTILE has no facts
    tables = page_tables(html)
    assert report.decoded_rows(tables["roles-table"]) == [
        ["CHN", "China", "member", "default", "low"],
        ["KAZ", "Kazakhstan", "host", "structure", "high"],
    ]
    assert tables["roles-table"]["columns"] == ["id", "norm", "SCO 2024", "found_by", "confidence"]
    assert [row[:4] + row[-2:] for row in report.decoded_rows(tables["summit-documents-table"])] == [
        ["SCO 2024", "astana-declaration", "Astana Declaration", "adopted", "status: list; proposer: window", "medium"]
    ]
    assert [row[-1] for row in report.decoded_rows(tables["participants-table"])] == ["low", "high"]
    assert [row[1:3] + row[-1:] for row in report.decoded_rows(tables["summits-table"])] == [["SCO 2024", "SCO", "low"]]


def test_catalogue_has_a_row_per_organisation_and_document():
    catalog = page_tables(render([ASTANA, HOSTILE]))["catalog-table"]
    assert catalog["columns"][:3] == ["label", "id", "name"]
    assert sorted((row[0], row[1]) for row in report.decoded_rows(catalog)) == [
        ("DOCUMENT", "astana-declaration"),
        ("ORG", "SCO"),
    ]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("China (CHN)", "China (CHN)"),
        (
            "Agreement on the New Development Bank of the Member States (agreement-on-the-ndb)",
            "Agreement on the New Dev…",
        ),  # 177 px of 340
    ],
)
def test_bar_chart_cuts_long_names_and_keeps_them_whole_in_the_tooltip(name, shown):
    svg = str(report.bar_chart_svg([(name, 3), ("x", 1)], width=340))
    assert f'text-anchor="end">{shown}</text>' in svg
    assert f"<title>{name}: 3</title>" in svg


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, ["astana"]),
        (2, ["astana", "hostile"]),
        (5, ["astana", "hostile", "astana~1", "hostile~1", "astana~2"]),
    ],
)
def test_bench_synthetic_records_repeat_the_run_under_new_ids(count, expected):
    from summit_extract.benchmarks.bench_report import synthetic_records

    copies = synthetic_records([ASTANA, HOSTILE], count)
    assert [record.doc_id for record in copies] == expected
    assert [record.text for record in copies] == [(ASTANA, HOSTILE)[index % 2].text for index in range(count)]


def test_bench_refuses_an_empty_run():
    from summit_extract.benchmarks.bench import BenchError
    from summit_extract.benchmarks.bench_report import synthetic_records

    with pytest.raises(BenchError, match="no records to repeat"):
        synthetic_records([], 10)


def test_cli_report_max_articles(tmp_path, output_file):
    target = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(output_file), "-o", str(target), "--max-articles", "1"])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.count("<article ") == 1
    assert "1 of 2 articles are shown with highlights" in html
