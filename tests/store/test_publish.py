"""A warehouse published to an fsspec URL (newsetl.store.publish): memory:// stands in for s3://.

The store lives in this process only, so each test uses its own root and removes it afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from fsspec.implementations.memory import MemoryFileSystem
from pydantic import ValidationError

from devtools.articles import write_corpus
from flows.cli import main
from flows.params import NightlyParams
from newsetl.load.ingest import Load, LoadSummary
from newsetl.load.process import BatchResult, staged_parts_by_partition
from newsetl.settings import Settings
from newsetl.store.paths import Paths, resolve_paths, work_dir_for
from newsetl.store.publish import (
    StoreDivergedError,
    published_database,
    published_snapshot,
    pull_snapshot,
)
from newsetl.store.raw import RawLocationError
from newsetl.store.snapshot import current_snapshot
from newsetl.store.sql import load_fts, load_statement
from newsetl.warehouse.build import build_database, build_fingerprint
from newsetl.warehouse.connect import cli_command, connect
from tests.conftest import table_rows

pytestmark = pytest.mark.slow

FS = MemoryFileSystem()


@pytest.fixture
def store(memory_root: str) -> str:
    """A fresh memory:// warehouse location (tests.conftest.memory_root)."""
    return f"{memory_root}/warehouse"


def _paths(raw: Path, url: str, work: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.setenv("NEWSETL_WAREHOUSE_WORK_DIR", str(work))  # connect() reads it too
    return resolve_paths(raw, url, Settings.from_env())


def _corpus(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch, count: int, seed: int
) -> tuple[Path, Paths]:
    """`count` generated articles in tmp_path/raw, and the paths of the store's working copy."""
    raw = tmp_path / "raw"
    write_corpus(raw, count, seed, gold=False)
    return raw, _paths(raw, store, tmp_path / "work", monkeypatch)


def _load(paths: Paths) -> LoadSummary:
    return Load(paths, workers=1).run()


def _store_files(url: str, snapshot: str) -> dict[str, bytes]:
    root = f"{url.removeprefix('memory://')}/_snapshots/{snapshot}"
    return {path[len(root) + 1 :]: FS.cat_file(path) for path in FS.find(root)}


def _local_files(snapshot: Path) -> dict[str, bytes]:
    return {
        path.relative_to(snapshot).as_posix(): path.read_bytes()
        for path in snapshot.rglob("*")
        if path.is_file()
    }


def _articles(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.sql("select article_id, title, body from articles order by article_id").fetchall()


def test_a_url_is_worked_on_in_a_local_copy_named_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSETL_WAREHOUSE_WORK_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = Settings.from_env()
    paths = resolve_paths(tmp_path / "raw", "s3://news-bucket/ware house/", settings)
    assert paths.warehouse_url == "s3://news-bucket/ware house"
    assert paths.warehouse_dir == tmp_path / "cache/newsetl/warehouses/s3/news-bucket/ware_house"
    cache = str(tmp_path / "cache")
    assert (
        work_dir_for("memory://wh", None, cache) == tmp_path / "cache/newsetl/warehouses/memory/wh"
    )
    monkeypatch.setenv("NEWSETL_WAREHOUSE_WORK_DIR", str(tmp_path / "work"))
    settings = Settings.from_env()
    assert resolve_paths(None, "gs://b/w", settings).warehouse_dir == tmp_path / "work"
    local = resolve_paths(None, (tmp_path / "wh").as_uri(), settings)
    assert (local.warehouse_dir, local.warehouse_url) == (tmp_path / "wh", None)


def test_load_and_build_publish_the_snapshot_and_a_database_reading_it(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, paths = _corpus(tmp_path, store, monkeypatch, 40, 3)
    summary = _load(paths)
    snapshot = current_snapshot(paths.warehouse_dir)
    assert snapshot is not None and summary.published is not None
    assert published_snapshot(store) == snapshot.name == summary.published.snapshot
    local = _local_files(snapshot)
    assert _store_files(store, snapshot.name) == local
    assert (summary.published.uploaded, summary.published.copied) == (len(local), 0)
    assert list(summary.steps) == [
        "pull",
        "discover",
        "batches",
        "merge",
        "derived",
        "changes",
        "commit",
        "publish",
    ]
    assert {"_state/manifest.parquet", "_state/loads.parquet"} <= set(local)

    built = build_database(paths)
    assert built.published == snapshot.name
    assert published_database(store) == f"{snapshot.name}\n{build_fingerprint(snapshot)}"
    # An analyst elsewhere: the published file, its views reading the store by URL.
    copy = tmp_path / "analyst.duckdb"
    FS.get_file(f"{store.removeprefix('memory://')}/news.duckdb", str(copy))
    shutil.rmtree(paths.warehouse_dir)  # nothing local is read
    with duckdb.connect(str(copy), read_only=True) as con:
        con.register_filesystem(FS)
        load_fts(con)
        view = con.sql("select sql from duckdb_views() where view_name = 'stg_articles'").fetchall()
        assert (
            f"'{store}/_snapshots/{snapshot.name}/articles/year=*/month=*/*.parquet'" in view[0][0]
        )
        assert len(_articles(con)) == 40
        assert con.sql("select count(*) from loads").fetchall() == [(1,)]
        (word,) = con.sql("select title from articles order by article_id limit 1").fetchall()[0]
        hits = con.sql(f"select article_id from search_articles('{word.split()[0]}')").fetchall()
        assert hits


def test_a_second_load_copies_unchanged_partitions_on_the_store_and_prunes_old_snapshots(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, paths = _corpus(tmp_path, store, monkeypatch, 40, 3)
    first = _load(paths).published
    build_database(paths)
    write_corpus(raw, 45, 3, gold=False)  # the same 40 articles and 5 more
    second = _load(paths)
    assert second.files_loaded == 5 and second.published is not None and first is not None
    snapshot = current_snapshot(paths.warehouse_dir)
    assert snapshot is not None
    assert _store_files(store, snapshot.name) == _local_files(snapshot)
    assert second.published.copied > 0
    assert second.published.uploaded + second.published.copied == len(_local_files(snapshot))
    # Nothing new: nothing sent. The database of the first snapshot keeps it on the store.
    assert _load(paths).published is None
    write_corpus(raw, 50, 3, gold=False)
    third = _load(paths).published
    assert third is not None and third.pruned == 0
    on_store = {p.rsplit("/", 1)[-1] for p in FS.ls(f"{store[9:]}/_snapshots", detail=False)}
    assert on_store == {first.snapshot, second.published.snapshot, third.snapshot}
    build_database(paths)  # the database moves to the newest snapshot
    write_corpus(raw, 55, 3, gold=False)
    fourth = _load(paths).published
    assert fourth is not None and fourth.pruned == 2  # the first two: no reader needs them
    on_store = {p.rsplit("/", 1)[-1] for p in FS.ls(f"{store[9:]}/_snapshots", detail=False)}
    assert on_store == {third.snapshot, fourth.snapshot}


def test_another_machine_pulls_the_store_before_loading_onto_it(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 30, 5, gold=False)
    first = _paths(raw, store, tmp_path / "machine-1", monkeypatch)
    _load(first)
    write_corpus(raw, 36, 5, gold=False)
    second = _paths(raw, store, tmp_path / "machine-2", monkeypatch)
    summary = _load(second)
    assert (summary.files_loaded, summary.files_unchanged) == (6, 30)
    assert summary.table_rows["articles"] == 36
    # The first machine is behind now: its next load pulls the store's state, reads nothing.
    again = _load(first)
    assert (again.files_loaded, again.published) == (0, None)
    assert getattr(current_snapshot(first.warehouse_dir), "name", None) == published_snapshot(store)
    # A build on a third machine builds (and publishes) the store's snapshot, not an empty one.
    third = _paths(raw, store, tmp_path / "machine-3", monkeypatch)
    built = build_database(third)
    assert built.published == published_snapshot(store)
    with duckdb.connect(str(third.database), read_only=True) as con:
        assert len(_articles(con)) == 36


def test_a_failed_publish_is_sent_by_the_next_run_and_a_newer_store_is_not_overwritten(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    raw, paths = _corpus(tmp_path, store, monkeypatch, 20, 7)

    def unreachable(*args: object) -> None:
        raise ConnectionError("store unreachable")

    monkeypatch.setattr("newsetl.load.ingest.publish_snapshot", unreachable)
    monkeypatch.setattr("newsetl.load.ingest.remove_store_staging", unreachable)
    with pytest.raises(ConnectionError, match="store unreachable"):
        _load(paths)
    assert "staging files on memory://" in caplog.text  # a warning, not the run's error
    monkeypatch.undo()
    monkeypatch.setenv("NEWSETL_WAREHOUSE_WORK_DIR", str(tmp_path / "work"))
    committed = current_snapshot(paths.warehouse_dir)
    assert committed is not None and published_snapshot(store) is None
    retry = _load(paths)
    assert retry.files_loaded == 0 and retry.published is not None
    assert published_snapshot(store) == committed.name

    # Another writer publishes a newer snapshot while this copy loads: refused, then pulled.
    other = _paths(raw, store, tmp_path / "other", monkeypatch)
    write_corpus(raw, 22, 7, gold=False)
    _load(other)
    newer = published_snapshot(store)
    monkeypatch.setattr("newsetl.load.ingest.pull_snapshot", lambda url, wh: None)
    with pytest.raises(StoreDivergedError, match=f"is at snapshot {newer}, which this copy"):
        _load(paths)
    assert published_snapshot(store) == newer
    monkeypatch.setattr("newsetl.load.ingest.pull_snapshot", pull_snapshot)
    assert _load(paths).files_loaded == 0


@pytest.mark.usefixtures("without_s3fs")
def test_a_missing_package_for_the_warehouse_url_says_which_extra(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    wanted = r"s3:// needs the s3 extra: pip install 'newsetl\[s3\]'"
    with pytest.raises(ValidationError, match=wanted):
        NightlyParams(warehouse_dir="s3://news-bucket/warehouse")
    assert NightlyParams(warehouse_dir="memory://wh").warehouse_dir == "memory://wh"
    raw = tmp_path / "raw"
    raw.mkdir()
    assert main(["ingest", "--raw-dir", str(raw), "--warehouse-dir", "s3://b/wh"]) == 1
    assert "newsetl ingest: error: s3:// needs the s3 extra" in capsys.readouterr().err
    with pytest.raises(RawLocationError, match=wanted):
        published_snapshot("s3://news-bucket/warehouse")


def test_batches_may_stage_on_the_store_for_workers_that_share_no_disk(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 30, 9, gold=False)
    local = resolve_paths(raw, tmp_path / "local")
    Load(local, workers=1, batch_size=10).run()
    staged: list[str] = []

    def spy(results: list[BatchResult], staging_dir: str) -> object:
        parts = staged_parts_by_partition(results, staging_dir)
        staged.extend(path for by_key in parts.values() for p in by_key.values() for path, _ in p)
        assert all(FS.exists(path.removeprefix("memory://")) for path in staged)
        return parts

    monkeypatch.setattr("newsetl.load.ingest.staged_parts_by_partition", spy)
    paths = _paths(raw, store, tmp_path / "work", monkeypatch)
    load = Load(paths, workers=1, batch_size=10, stage_on_store=True)
    assert load.staging == f"{store}/_staging/{load.load_id}"
    load.run()
    assert staged and all(path.startswith(f"{load.staging}/") for path in staged)
    assert not FS.exists(f"{store.removeprefix('memory://')}/_staging")  # removed at the end
    assert not list(paths.staging_dir.rglob("*.arrow"))
    for table in ("articles", "article_photos"):
        assert table_rows(paths.warehouse_dir, table) == table_rows(local.warehouse_dir, table), (
            table
        )


def test_an_s3_warehouse_is_published_and_attached_read_only_by_duckdb_httpfs(
    tmp_path: Path, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import s3fs

    s3fs.S3FileSystem().mkdir("newsetl-test")
    store = "s3://newsetl-test/warehouse"
    raw, paths = _corpus(tmp_path, store, monkeypatch, 60, 11)
    first = _load(paths).published
    build_database(paths)
    write_corpus(raw, 66, 11, gold=False)
    second = _load(paths).published
    assert first is not None and second is not None
    assert second.copied > 0 and second.uploaded < first.uploaded  # copied on the store
    assert published_snapshot(store) == second.snapshot
    # An analyst elsewhere: DuckDB's own S3 client, no fsspec, no local file.
    with duckdb.connect() as con:
        con.execute(load_statement("httpfs"))
        load_fts(con)
        con.execute(
            "create secret (type s3, key_id 'testing', secret 'testing', region 'us-east-1', "
            f"endpoint '{s3_endpoint}', use_ssl false, url_style 'path')"
        )
        con.execute(f"attach '{store}/news.duckdb' as news (read_only)")
        con.execute("use news")
        # The database of the first build reads the first snapshot, still on the store.
        assert len(_articles(con)) == 60
        (word,) = con.sql("select title from articles order by article_id limit 1").fetchall()[0]
        assert con.sql(f"select * from search_articles('{word.split()[0]}')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("create table news.scratch (x integer)")
    # `connect` and `newsetl sql` on a machine without the working copy: the same, set up for
    # the analyst from the environment (credentials read by DuckDB, the endpoint passed on).
    monkeypatch.setenv("NEWSETL_WAREHOUSE_WORK_DIR", str(tmp_path / "analyst"))
    with connect(store) as con:
        assert len(_articles(con)) == 60
        assert con.sql(f"select * from search_articles('{word.split()[0]}')").fetchall()
    query = ["-csv", "-noheader", "-c", "select count(*) from articles"]
    command = cli_command(store, query, Settings.from_env())
    shown = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    assert shown.stdout.strip() == "60"
    assert not (tmp_path / "analyst").exists()  # nothing written on the analyst's machine
