"""Snapshots: a load builds the next state beside the current one and swaps one link."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths
from newsetl.store.snapshot import (
    adopt_plain_directories,
    commit_snapshot,
    current_snapshot,
    prune_snapshots,
    release_snapshots,
    released_snapshots,
    set_database_snapshots,
    snapshot_dir,
)
from tests.conftest import RawWriter


def test_commit_points_current_and_the_table_links(tmp_path: Path) -> None:
    first = snapshot_dir(tmp_path, "20260101T000000Z-aaaaaa")
    (first / "articles").mkdir(parents=True)
    commit_snapshot(tmp_path, first)
    assert current_snapshot(tmp_path) == first
    assert os.readlink(tmp_path / "current") == "_snapshots/20260101T000000Z-aaaaaa"
    names = ("articles", "article_photos", "term_counts", "_state")
    assert {name: os.readlink(tmp_path / name) for name in names} == {
        "articles": "current/articles",
        "article_photos": "current/article_photos",
        "term_counts": "current/term_counts",
        "_state": "current/_state",
    }
    second = snapshot_dir(tmp_path, "20260102T000000Z-bbbbbb")
    second.mkdir(parents=True)
    commit_snapshot(tmp_path, second)
    assert current_snapshot(tmp_path) == second
    assert (tmp_path / "article_photos").resolve() == second / "article_photos"


def test_prune_keeps_current_what_the_database_reads_and_the_recently_released(
    tmp_path: Path,
) -> None:
    names = [f"2026010{day}T000000Z-000000" for day in range(1, 7)]
    for name in names:
        snapshot_dir(tmp_path, name).mkdir(parents=True)
    noon = dt.datetime(2026, 1, 6, 12, tzinfo=dt.UTC)
    # 0 was released 30 h before noon, 1 at 23 h, 3 at 25 h; 4 was never committed (a load
    # that died); 2 is what news.duckdb reads; 5 is current.
    release_snapshots(tmp_path, [names[0]], noon - dt.timedelta(hours=30))
    release_snapshots(tmp_path, [names[1]], noon - dt.timedelta(hours=23))
    release_snapshots(tmp_path, [names[3]], noon - dt.timedelta(hours=25))
    set_database_snapshots(tmp_path, [names[2]])
    commit_snapshot(tmp_path, snapshot_dir(tmp_path, names[5]))
    deleted = prune_snapshots(tmp_path, retention_hours=24, now=noon)
    assert [path.name for path in deleted] == [names[0], names[3], names[4]]
    assert sorted(p.name for p in (tmp_path / "_snapshots").iterdir()) == [
        ".released",
        names[1],
        names[2],
        names[5],
    ]
    assert sorted(released_snapshots(tmp_path)) == [names[1]]
    # A day later 1 goes too; what the database reads and the current one stay, however old.
    deleted = prune_snapshots(tmp_path, retention_hours=24, now=noon + dt.timedelta(days=1))
    assert [path.name for path in deleted] == [names[1]]
    assert current_snapshot(tmp_path) == snapshot_dir(tmp_path, names[5])


def test_a_commit_releases_the_snapshot_before_it(tmp_path: Path) -> None:
    first, second = (snapshot_dir(tmp_path, f"2026010{d}T000000Z-000000") for d in (1, 2))
    for snapshot in (first, second):
        snapshot.mkdir(parents=True)
    commit_snapshot(tmp_path, first)
    assert released_snapshots(tmp_path) == {}
    before = dt.datetime.now(dt.UTC)
    commit_snapshot(tmp_path, second)
    released = released_snapshots(tmp_path)
    assert list(released) == [first.name]
    assert before <= released[first.name] <= dt.datetime.now(dt.UTC)
    assert prune_snapshots(tmp_path) == []  # within the default retention
    assert prune_snapshots(tmp_path, retention_hours=0) == [first]


def test_plain_directories_from_before_snapshots_are_adopted(tmp_path: Path) -> None:
    (tmp_path / "articles" / "year=2022" / "month=06").mkdir(parents=True)
    (tmp_path / "articles" / "year=2022" / "month=06" / "part-0.parquet").write_bytes(b"x")
    adopt_plain_directories(tmp_path)
    assert (tmp_path / "articles").is_symlink()
    assert (
        tmp_path / "articles" / "year=2022" / "month=06" / "part-0.parquet"
    ).read_bytes() == b"x"


def test_unchanged_partitions_are_hard_links(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", published="2022-06-01")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", published="2022-07-01")
    paths = resolve_paths(raw_dir, warehouse_dir)
    first = Load(paths).run()
    june = "articles/year=2022/month=06/part-0.parquet"
    july = "articles/year=2022/month=07/part-0.parquet"
    before = {name: (warehouse_dir / name).stat().st_ino for name in (june, july)}
    write_raw("003_cccccccccccccccc.txt", published="2022-07-15")
    second = Load(paths).run()
    assert second.partitions_written == 1
    assert (warehouse_dir / june).stat().st_ino == before[june]  # shared, not rewritten
    assert (warehouse_dir / june).stat().st_nlink == 2
    assert (warehouse_dir / july).stat().st_ino != before[july]
    snapshots = {p.name for p in (warehouse_dir / "_snapshots").iterdir()}
    assert snapshots == {first.load_id, second.load_id, ".released"}


def test_retention_deletes_nothing_while_current_names_no_snapshot(tmp_path: Path) -> None:
    kept = snapshot_dir(tmp_path, "20260101T000000Z-aaaaaa")
    (kept / "articles").mkdir(parents=True)
    commit_snapshot(tmp_path, kept)
    os.remove(tmp_path / "current")
    os.symlink("_snapshots/20991231T000000Z-deadbe", tmp_path / "current")  # a partial restore
    assert prune_snapshots(tmp_path, retention_hours=0) == []
    assert (kept / "articles").is_dir()
