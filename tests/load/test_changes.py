"""The change history: each load's added, updated and removed articles, kept in every snapshot."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from newsetl.load.changes import changes_dir
from newsetl.load.ingest import Load, LoadSummary
from newsetl.store.paths import resolve_paths
from newsetl.store.snapshot import current_snapshot
from newsetl.store.state import read_loads
from tests.conftest import raw_text

pytestmark = pytest.mark.slow

ID_A, ID_B, ID_C, ID_D, ID_E = (letter * 16 for letter in "abcde")
OLD, NEW = 1 * 10**18, 3 * 10**18


def _write(path: Path, mtime_ns: int, **fields: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(raw_text(**fields))
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def _load(raw: Path, warehouse: Path, **options: object) -> LoadSummary:
    return Load(resolve_paths(raw, warehouse), workers=1, **options).run()  # type: ignore[arg-type]


def _changes(warehouse: Path) -> list[tuple[object, ...]]:
    """Every change row of the committed snapshot, by load (in load order: 1, 2, ...)."""
    snapshot = current_snapshot(warehouse)
    assert snapshot is not None
    order = {r.load_id: n for n, r in enumerate(read_loads(snapshot / "_state"), start=1)}
    files = sorted(str(p) for p in changes_dir(snapshot).glob("*.parquet"))
    with duckdb.connect() as con:
        rows = con.sql(
            "select load_id, article_id, change, sha256_before is not null, "
            "sha256_after is not null, title, source_file "
            f"from read_parquet({files!r}) order by all"
        ).fetchall()
    return sorted((order[row[0]], *row[1:]) for row in rows)


def _week_of_changes(raw: Path) -> None:
    """A's text edited, B deleted, C renamed (same bytes), D touched (same bytes), E new."""
    _write(raw / f"001_{ID_A}.txt", NEW, title="A edited", body="Second version.")
    (raw / f"002_{ID_B}.txt").unlink()
    (raw / f"003_{ID_C}.txt").rename(raw / f"moved/003_{ID_C}.txt")
    os.utime(raw / f"004_{ID_D}.txt", ns=(NEW, NEW))
    _write(raw / f"005_{ID_E}.txt", NEW, title="E new")


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    for n, (article, title) in enumerate(zip((ID_A, ID_B, ID_C, ID_D), "ABCD", strict=True), 1):
        _write(raw / f"00{n}_{article}.txt", OLD, title=f"{title} first")
    (raw / "moved").mkdir()
    return raw


def test_each_load_records_what_it_added_updated_and_removed(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    first = _load(raw, warehouse)
    _week_of_changes(raw)
    second = _load(raw, warehouse)
    assert _changes(warehouse) == [
        (1, ID_A, "added", False, True, "A first", f"001_{ID_A}.txt"),
        (1, ID_B, "added", False, True, "B first", f"002_{ID_B}.txt"),
        (1, ID_C, "added", False, True, "C first", f"003_{ID_C}.txt"),
        (1, ID_D, "added", False, True, "D first", f"004_{ID_D}.txt"),
        # the rename and the touch changed no byte: no row
        (2, ID_A, "updated", True, True, "A edited", f"001_{ID_A}.txt"),
        (2, ID_B, "removed", True, False, "B first", f"002_{ID_B}.txt"),
        (2, ID_E, "added", False, True, "E new", f"005_{ID_E}.txt"),
    ]
    assert (first.articles_added, first.articles_updated, first.articles_removed) == (4, 0, 0)
    assert (second.articles_added, second.articles_updated, second.articles_removed) == (1, 1, 1)
    ledger = read_loads(warehouse / "_state")
    assert [(r.articles_added, r.articles_updated, r.articles_removed) for r in ledger] == [
        (4, 0, 0),
        (1, 1, 1),
    ]


def test_a_full_refresh_records_what_an_incremental_load_would(raw: Path, tmp_path: Path) -> None:
    incremental, refreshed = tmp_path / "incremental", tmp_path / "refreshed"
    _load(raw, incremental)
    _load(raw, refreshed)
    _week_of_changes(raw)
    _load(raw, incremental)
    _load(raw, refreshed, full_refresh=True, kind="full_refresh")
    assert _changes(refreshed) == _changes(incremental)
    # and a full refresh with nothing new records no change at all
    again = _load(raw, refreshed, full_refresh=True, kind="full_refresh")
    assert (again.articles_added, again.articles_updated, again.articles_removed) == (0, 0, 0)
    assert _changes(refreshed) == _changes(incremental)
    assert len(read_loads(refreshed / "_state")) == 3


def test_the_history_is_kept_in_every_snapshot_as_links(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    first = _load(raw, warehouse)
    kept = current_snapshot(warehouse)
    assert kept is not None
    _week_of_changes(raw)
    second = _load(raw, warehouse, retention_hours=24)
    snapshot = current_snapshot(warehouse)
    assert snapshot is not None and snapshot != kept
    names = sorted(path.name for path in changes_dir(snapshot).iterdir())
    # sorted: two loads in one second sort by their random suffix
    assert names == sorted([f"{first.load_id}.parquet", f"{second.load_id}.parquet"])
    earlier = changes_dir(snapshot) / f"{first.load_id}.parquet"
    assert os.path.samefile(earlier, changes_dir(kept) / earlier.name)


def test_a_newer_copy_under_the_same_id_is_an_update_from_its_file(
    raw: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    _load(raw, warehouse)
    _write(raw / f"copies/009_{ID_A}.txt", NEW, title="A from a newer copy")
    _load(raw, warehouse)
    assert _changes(warehouse)[-1] == (
        2, ID_A, "updated", True, True, "A from a newer copy", f"copies/009_{ID_A}.txt"
    )  # fmt: skip
