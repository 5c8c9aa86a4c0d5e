"""A warehouse backed up with its links followed (cp -rL, zip -r) and restored: adopted, or
refused before anything moves."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from newsetl.load.ingest import Load
from newsetl.store import restore
from newsetl.store.paths import Paths, resolve_paths
from newsetl.store.restore import RestoredCopyError, adopt_restored_copy
from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import connect
from tests.conftest import PARTITIONED_TABLES as TABLES
from tests.conftest import RawWriter
from tests.conftest import warehouse_contents as _contents

LINKS = ("current", "articles", "article_photos", "term_counts", "search_terms", "_state")


def _warehouse(raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter) -> Paths:
    """Two loads (so a released snapshot is kept beside the current one), then a build."""
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="June", published="2022-06-01")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths, workers=1).run()
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="July", published="2022-07-01")
    Load(paths, workers=1).run()
    build_database(paths)
    return paths


def _tree(root: Path) -> dict[str, str]:
    """Every entry under root: a link's target, or what kind of entry it is."""
    return {
        path.relative_to(root).as_posix(): os.readlink(path)
        if path.is_symlink()
        else ("dir" if path.is_dir() else str(path.stat().st_size))
        for path in sorted(root.rglob("*"))
    }


def _cp_dereferencing(source: Path, target: Path) -> None:
    subprocess.run(["cp", "-rL", str(source), str(target)], check=True)


def _zip_and_unzip(source: Path, target: Path) -> None:
    archive = target.with_suffix(".zip")
    subprocess.run(["zip", "-qr", str(archive), "."], cwd=source, check=True)
    subprocess.run(["unzip", "-q", str(archive), "-d", str(target)], check=True)


@pytest.mark.parametrize("backup", [_cp_dereferencing, _zip_and_unzip], ids=["cp -rL", "zip -r"])
def test_a_copy_restored_with_links_followed_is_adopted(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path, backup: object
) -> None:
    if shutil.which("zip") is None and backup is _zip_and_unzip:
        pytest.fail("zip and unzip are needed: apt-get install zip unzip (.ci/run installs them)")
    paths = _warehouse(raw_dir, warehouse_dir, write_raw)
    expected = _contents(warehouse_dir)
    restored = tmp_path / "restored"
    backup(warehouse_dir, restored)  # type: ignore[operator]
    assert not any((restored / name).is_symlink() for name in LINKS)  # links became folders
    shutil.rmtree(warehouse_dir)  # the original is gone: nothing may read it any more

    # The first build adopts the copy, and its database reads the restored place.
    built = build_database(resolve_paths(raw_dir, restored))
    assert os.readlink(restored / "current") == f"_snapshots/{_last_load(restored)}"
    assert all((restored / name).is_symlink() for name in LINKS[1:])
    assert not list((restored / "_snapshots").glob(".*.restored"))  # the copies set aside
    assert _contents(restored) == expected
    with connect(restored) as con:
        assert con.sql("select count(*) from articles").fetchone() == (2,)
    assert built.database == restored / "news.duckdb"
    # Loads go on from it, the second as well as the first.
    write_raw("003_cccccccccccccccc.txt", title="August", published="2022-08-01")
    again = resolve_paths(raw_dir, restored)
    assert Load(again, workers=1).run().table_rows["articles"] == 3
    assert Load(again, workers=1).run().committed is False
    build_database(again)
    with duckdb.connect(str(restored / "news.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from articles").fetchone() == (3,)
    assert paths.warehouse_dir == warehouse_dir


def _last_load(warehouse: Path) -> str:
    from newsetl.store.state import read_loads

    return max(read_loads(warehouse / "_state"), key=lambda load: load.started_at).load_id


def test_a_load_adopts_a_restored_copy_before_anything_else(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    _warehouse(raw_dir, warehouse_dir, write_raw)
    expected = _contents(warehouse_dir)
    restored = tmp_path / "restored"
    _cp_dereferencing(warehouse_dir, restored)
    summary = Load(resolve_paths(raw_dir, restored), workers=1).run()
    assert (summary.files_seen, summary.committed) == (2, False)  # nothing new: nothing written
    assert {t: _contents(restored)[t] for t in TABLES} == {t: expected[t] for t in TABLES}
    assert (restored / "current").is_symlink() and (restored / "_state").is_symlink()


def test_a_copy_that_does_not_match_is_refused_before_anything_moves(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    _warehouse(raw_dir, warehouse_dir, write_raw)
    restored = tmp_path / "restored"
    _cp_dereferencing(warehouse_dir, restored)
    # articles/ restored from another backup than current/: one partition fewer
    shutil.rmtree(restored / "articles" / "year=2022" / "month=07")
    before = _tree(restored)
    with pytest.raises(RestoredCopyError, match=r"articles is a directory whose files differ"):
        Load(resolve_paths(raw_dir, restored), workers=1).run()
    with pytest.raises(RestoredCopyError, match=r"Nothing was moved\. Restore the whole"):
        build_database(resolve_paths(raw_dir, restored))
    assert _tree(restored) == before
    # A backup that left the links out: snapshots, but no `current` to say which is committed.
    shutil.rmtree(restored / "current")
    with pytest.raises(RestoredCopyError, match=r"no `current` link naming the committed one"):
        Load(resolve_paths(raw_dir, restored), workers=1).run()


def test_an_adoption_that_dies_midway_is_finished_by_the_next_run(
    raw_dir: Path,
    warehouse_dir: Path,
    write_raw: RawWriter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _warehouse(raw_dir, warehouse_dir, write_raw)
    expected = _contents(warehouse_dir)
    restored = tmp_path / "restored"
    _cp_dereferencing(warehouse_dir, restored)

    def dies(*_: object) -> None:
        raise KeyboardInterrupt  # killed after the directories were moved, before the links

    monkeypatch.setattr(restore, "commit_snapshot", dies)
    with pytest.raises(KeyboardInterrupt):
        adopt_restored_copy(restored)
    assert not (restored / "current").exists()  # moved aside, not yet a link
    adopting = (restored / ".adopting").read_text().strip()  # the snapshot it was making current
    monkeypatch.undo()
    assert adopt_restored_copy(restored) == _last_load(restored / "_snapshots" / adopting)
    assert {t: _contents(restored)[t] for t in TABLES} == {t: expected[t] for t in TABLES}
    assert not (restored / ".adopting").exists()


@pytest.mark.parametrize(
    "link",
    [
        "_snapshots/20991231T000000Z-deadbe",  # a partial restore: the snapshot is missing
        "../elsewhere",  # outside _snapshots/
        "_snapshots/20991231T000000Z-hollow",  # a snapshot without its tables
        "_snapshots/20991231T000000Z-stateless",  # its tables, but no manifest or ledger
        "current",  # a loop of links
    ],
    ids=["missing", "outside", "no tables", "no manifest", "loop"],
)
def test_a_current_link_naming_no_snapshot_is_refused_before_anything_is_written(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path, link: str
) -> None:
    paths = _warehouse(raw_dir, warehouse_dir, write_raw)
    (warehouse_dir / "_snapshots" / "20991231T000000Z-hollow" / "_state").mkdir(parents=True)
    (tmp_path / "elsewhere" / "articles").mkdir(parents=True)
    stateless = warehouse_dir / "_snapshots" / "20991231T000000Z-stateless"
    for folder in ("articles", "article_photos", "_state"):
        (stateless / folder).mkdir(parents=True)
    committed = os.readlink(warehouse_dir / "current")
    os.remove(warehouse_dir / "current")
    os.symlink(link, warehouse_dir / "current")
    before = _tree(warehouse_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    for raw in (empty, raw_dir):
        with pytest.raises(RestoredCopyError, match=f"current links to {link}, ") as refused:
            Load(resolve_paths(raw, warehouse_dir), workers=1, retention_hours=0).run()
        assert "snapshots here: " in str(refused.value)
        assert committed.split("/")[1] in str(refused.value)
        assert "ln -sfn _snapshots/<id>" in str(refused.value)
    with pytest.raises(RestoredCopyError, match="Nothing was written or pruned"):
        build_database(paths)
    assert _tree(warehouse_dir) == before  # no snapshot pruned, no state written
    # Linked back by hand to the snapshot it meant: loads go on from it.
    os.remove(warehouse_dir / "current")
    os.symlink(committed, warehouse_dir / "current")
    again = Load(resolve_paths(raw_dir, warehouse_dir), workers=1).run()
    assert (again.committed, again.table_rows["articles"]) == (False, 2)
