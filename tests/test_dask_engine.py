"""The Dask engine on a real two-worker LocalCluster on loopback, against the local engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from summit_extract.batch import ExtractorSpec, errors_path_for, run
from summit_extract.batch.dask_engine import choose_partition_size, plugin_name, work_dir_for
from summit_extract.output.jsonl import iter_jsonl

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"


@pytest.mark.parametrize(
    ("count", "threads", "expected"),
    [(0, 2, 1), (5, 2, 1), (100, 2, 13), (10_000, 2, 64), (10_000, 64, 40)],
)
def test_choose_partition_size(count, threads, expected):
    assert choose_partition_size(count, threads) == expected


def test_work_dir_sits_next_to_output():
    assert work_dir_for(Path("out/extractions.jsonl")) == Path("out/.extractions.jsonl.parts")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
    ) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "articles"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:5]:
        shutil.copy(path, folder / path.name)
    (folder / "zz_binary.txt").write_bytes(b"\x00\x01\x02 not text")
    return folder


@pytest.fixture(scope="module")
def local_result(small_corpus, tmp_path_factory, extractor):
    output = tmp_path_factory.mktemp("local") / "out.jsonl"
    summary = run([str(small_corpus)], output, extractor=extractor)
    return summary, lines_of(output), lines_of(errors_path_for(output))


def lines_of(path: Path) -> list[dict]:
    return [data for _, data in iter_jsonl(path)]


@pytest.mark.cluster
@pytest.mark.model
def test_dask_engine_equals_local_engine(cluster, small_corpus, local_result, tmp_path):
    local_summary, local_records, local_errors = local_result
    output = tmp_path / "out.jsonl"
    summary = run(
        [str(small_corpus)], output, engine="dask", scheduler=cluster.scheduler_address, partition_size=2, batch_size=2
    )
    assert lines_of(output) == local_records
    assert (
        lines_of(errors_path_for(output))
        == local_errors
        == [
            {
                "doc_id": "zz_binary",
                "source": str(small_corpus / "zz_binary.txt"),
                "error": "binary",
                "message": local_errors[0]["message"],
            }
        ]
    )
    assert (summary.extracted, summary.failed, summary.exit_code) == (5, 1, 1)
    assert summary.entities == local_summary.entities
    assert not work_dir_for(output).exists()  # partition files are merged and removed


@pytest.mark.cluster
@pytest.mark.model
def test_dask_model_loads_once_per_worker(cluster, small_corpus, tmp_path):
    from distributed import Client

    run(
        [str(small_corpus)],
        tmp_path / "out.jsonl",
        engine="dask",
        scheduler=cluster.scheduler_address,
        partition_size=1,
    )
    run(
        [str(small_corpus)],
        tmp_path / "again.jsonl",
        engine="dask",
        scheduler=cluster.scheduler_address,
        partition_size=1,
    )
    name = plugin_name(ExtractorSpec())
    with Client(cluster.scheduler_address) as client:
        loads = client.run(lambda dask_worker: dask_worker.plugins[name].loads)
    # Twelve partitions over two runs, two workers: one load each.
    assert sorted(loads.values()) == [1, 1]


@pytest.mark.cluster
@pytest.mark.model
def test_dask_engine_resumes(cluster, small_corpus, local_result, tmp_path):
    _, local_records, _ = local_result
    output = tmp_path / "out.jsonl"
    import json

    output.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in local_records[:2]), encoding="utf-8"
    )
    summary = run([str(small_corpus)], output, engine="dask", scheduler=cluster.scheduler_address, partition_size=2)
    assert (summary.skipped, summary.extracted, summary.failed) == (2, 3, 1)
    assert lines_of(output) == local_records


@pytest.mark.cluster
@pytest.mark.model
def test_dask_engine_starts_its_own_local_cluster(small_corpus, local_result, tmp_path):
    _, local_records, _ = local_result
    output = tmp_path / "out.jsonl"
    summary = run([str(small_corpus)], output, engine="dask", jobs=1)
    assert summary.engine == "dask" and summary.extracted == 5
    assert lines_of(output) == local_records


@pytest.mark.cluster
def test_unreachable_scheduler_is_a_clear_error(small_corpus, tmp_path):
    from typer.testing import CliRunner

    from summit_extract.cli import app

    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app, ["run", str(small_corpus), "-o", str(output), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr


@pytest.mark.cluster
@pytest.mark.model
def test_dask_workers_use_the_users_patterns(cluster, tmp_path):
    patterns = tmp_path / "mine"
    patterns.mkdir()
    (patterns / "organizations.jsonl").write_text(
        '{"id": "ZCF", "name": "Zeta Cooperation Forum", "acronyms": ["ZCF"]}\n', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text("The Zeta Cooperation Forum met in Astana.\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    run([str(tmp_path / "a.txt")], output, engine="dask", scheduler=cluster.scheduler_address, patterns=patterns)
    (record,) = lines_of(output)
    assert [(e["text"], e["id"]) for e in record["entities"] if e["label"] == "ORG"] == [
        ("Zeta Cooperation Forum", "ZCF")
    ]
    with_patterns = ExtractorSpec("m", {"patterns": str(patterns)})
    assert plugin_name(with_patterns) != plugin_name(ExtractorSpec("m", {}))
