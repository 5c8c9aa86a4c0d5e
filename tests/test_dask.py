"""The nightly flow on a Dask LocalCluster (2 worker processes) writes what a local run writes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from devtools.articles import write_corpus

pytestmark = [pytest.mark.flow, pytest.mark.timeout(300)]

# Columns that name the load rather than describe the data: they differ between any two runs.
PER_LOAD = ("load_id", "ingested_at", "first_seen", "last_loaded")


def _table(directory: Path, pattern: str) -> list[tuple[object, ...]]:
    files = sorted(str(p) for p in directory.glob(pattern))
    assert files, pattern
    with duckdb.connect() as con:
        relation = con.read_parquet(files, hive_partitioning=False)
        columns = [c for c in relation.columns if c not in PER_LOAD]
        return con.sql(f"select {', '.join(columns)} from relation order by all").fetchall()


@pytest.mark.usefixtures("prefect_harness")
def test_dask_runner_writes_what_the_local_runner_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.ingest
    from flows.ingest import ingest_flow
    from flows.nightly import nightly_flow
    from flows.params import IngestParams

    runners: list[str] = []
    real_runner_for = flows.ingest.task_runner_for

    def recording_runner_for(name: str, address: str | None, workers: int) -> object:
        runners.append(name)
        return real_runner_for(name, address, workers)

    monkeypatch.setattr(flows.ingest, "task_runner_for", recording_runner_for)

    raw = tmp_path / "raw"
    write_corpus(raw, 150, 11, gold=False, subdirs=3)
    (raw / "part-000" / "999_ffffffffffffffff.txt").write_bytes(b"\x00\x01 not text")
    local, dask = tmp_path / "local", tmp_path / "dask"
    # 40 files a batch: four tasks, so both Dask workers get work.
    first = ingest_flow(
        IngestParams(raw_dir=str(raw), warehouse_dir=str(local), batch_size=40, task_runner="local")
    )
    second = ingest_flow(
        IngestParams(raw_dir=str(raw), warehouse_dir=str(dask), batch_size=40, task_runner="dask")
    )
    # The deployments' form field reaches the ingest through the nightly flow.
    nightly = tmp_path / "nightly"
    nightly_flow(raw_dir=str(raw), warehouse_dir=str(nightly), task_runner="dask")
    assert runners == ["local", "dask", "dask"]
    assert (second.files_loaded, second.files_rejected) == (first.files_loaded, 1) == (150, 1)
    tables = ("articles/**/*.parquet", "article_photos/**/*.parquet", "_state/manifest.parquet")
    tables += ("_state/rejected_files.parquet",)
    for pattern in tables:
        assert _table(dask, pattern) == _table(local, pattern) == _table(nightly, pattern), pattern
    assert len(_table(local, "articles/**/*.parquet")) == 150


def test_unknown_task_runner_is_refused() -> None:
    from flows.ingest import task_runner_for

    with pytest.raises(ValueError, match="expected one of local, dask"):
        task_runner_for("spark", None, 2)


@pytest.mark.usefixtures("prefect_harness")
def test_a_cluster_elsewhere_stages_on_the_warehouse_store(
    tmp_path: Path, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers at a --dask-address share no disk with the flow: with the warehouse on S3
    (moto on localhost, reached by the worker processes too) they stage there."""
    import boto3
    from distributed import LocalCluster

    from flows.ingest import ingest_flow
    from flows.params import IngestParams
    from newsetl.load.ingest import Load
    from newsetl.store.paths import resolve_paths

    s3 = boto3.client("s3", endpoint_url=f"http://{s3_endpoint}")
    s3.create_bucket(Bucket="news")
    # Versions keep the staging objects visible after the load has deleted them.
    s3.put_bucket_versioning(Bucket="news", VersioningConfiguration={"Status": "Enabled"})
    raw = tmp_path / "raw"
    write_corpus(raw, 120, 13, gold=False, subdirs=2)
    monkeypatch.setenv("NEWSETL_WAREHOUSE_WORK_DIR", str(tmp_path / "work"))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        summary = ingest_flow(
            IngestParams(
                raw_dir=str(raw),
                warehouse_dir="s3://news/warehouse",
                batch_size=40,
                task_runner="dask",
                dask_address=cluster.scheduler_address,
            )
        )
    assert summary.files_loaded == 120 and summary.published is not None
    versions = s3.list_object_versions(Bucket="news", Prefix="warehouse/_staging/")
    staged = {
        v["Key"].rsplit("/", 2)[-2] + "/" + v["Key"].rsplit("/", 1)[-1]
        for v in versions["Versions"]
    }
    assert {f"articles/batch-0000{n}.arrow" for n in range(3)} <= staged
    assert not s3.list_objects_v2(Bucket="news", Prefix="warehouse/_staging/").get("Contents")
    local = tmp_path / "local"
    Load(resolve_paths(raw, local)).run()
    for pattern in ("articles/**/*.parquet", "article_photos/**/*.parquet"):
        assert _table(tmp_path / "work", pattern) == _table(local, pattern), pattern
