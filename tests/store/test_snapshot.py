"""Snapshots: a load builds the next state beside the current one and swaps one link."""

from __future__ import annotations

import os
from pathlib import Path

from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths
from newsetl.store.snapshot import (
    adopt_plain_directories,
    commit_snapshot,
    current_snapshot,
    prune_snapshots,
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


def test_prune_keeps_current_and_the_one_before(tmp_path: Path) -> None:
    names = [f"2026010{day}T000000Z-000000" for day in range(1, 6)]
    for name in names:
        snapshot_dir(tmp_path, name).mkdir(parents=True)
    for name in (names[0], names[3], names[1]):  # commit order, not name order, counts
        commit_snapshot(tmp_path, snapshot_dir(tmp_path, name))
    deleted = prune_snapshots(tmp_path)
    assert [path.name for path in deleted] == [names[0], names[2], names[4]]
    assert sorted(p.name for p in (tmp_path / "_snapshots").iterdir()) == [names[1], names[3]]
    assert current_snapshot(tmp_path) == snapshot_dir(tmp_path, names[1])


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
    assert snapshots == {first.load_id, second.load_id}
