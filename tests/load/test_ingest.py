"""A whole load without Prefect (newsetl.load.ingest.Load): exact paths, rows and states."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsetl.load.discover import ListingShrank
from newsetl.load.ingest import _LIBC, Load, LoadSummary, release_free_memory
from newsetl.report import committed_load_text, load_text
from newsetl.settings import ARTICLES_TABLE, ROW_GROUP_SIZES
from newsetl.store.paths import resolve_paths
from newsetl.store.state import read_loads, read_manifest, read_rejects
from tests.conftest import SEED, RawWriter
from tests.faults import python_as_plain_user, small_tmpfs

ID_A, ID_B, ID_C = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"


def _load(raw_dir: Path, warehouse_dir: Path, **options: object) -> LoadSummary:
    return Load(resolve_paths(raw_dir, warehouse_dir), **options).run()  # type: ignore[arg-type]


def _articles(warehouse_dir: Path) -> dict[str, dict[str, object]]:
    rows = {}
    for path in sorted((warehouse_dir / "articles").glob("year=*/month=*/*.parquet")):
        for row in pq.read_table(path).to_pylist():
            row["partition"] = path.parent.relative_to(warehouse_dir / "articles").as_posix()
            rows[row["article_id"]] = row
    return rows


def _counts(summary: LoadSummary) -> tuple[int, int, int, int, int]:
    return (
        summary.files_seen,
        summary.files_loaded,
        summary.files_unchanged,
        summary.files_duplicate,
        summary.files_rejected,
    )


def test_first_load_writes_partitions_state_and_counts(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(SEED.name, SEED.read_bytes())
    write_raw(f"001_{ID_A}.txt", title="June story", published="2022-06-01")
    write_raw(f"sub/002_{ID_B}.txt", title="Undated story", published="")
    write_raw("003_cccccccccccccccc.txt", content=b"")
    summary = _load(raw_dir, warehouse_dir)

    assert _counts(summary) == (4, 3, 0, 0, 1)
    assert summary.table_rows["articles"] == 3
    # Every step of a load that writes, in the order run, and together within its time.
    assert list(summary.steps) == ["discover", "batches", "merge", "derived", "changes", "commit"]
    assert all(seconds >= 0 for seconds in summary.steps.values())
    assert sum(summary.steps.values()) <= summary.seconds
    visible = [
        path.relative_to(warehouse_dir).as_posix()
        for pattern in ("_state/*.parquet", "*/year=*/month=*/*.parquet")
        for path in sorted(warehouse_dir.glob(pattern))
    ]
    assert visible == [
        "_state/loads.parquet",
        "_state/manifest.parquet",
        "_state/rejected_files.parquet",
        "article_photos/year=2022/month=06/part-0.parquet",
        "articles/year=2022/month=06/part-0.parquet",
        "articles/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
        "search_documents/year=2022/month=06/part-0.parquet",
        "search_documents/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
        "search_positions/year=2022/month=06/part-0.parquet",
        "search_positions/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
        "search_terms/year=2022/month=06/part-0.parquet",
        "search_terms/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
        "term_counts/year=2022/month=06/part-0.parquet",
        "term_counts/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
    ]
    assert os.readlink(warehouse_dir / "current") == f"_snapshots/{summary.load_id}"
    assert [p.name for p in (warehouse_dir / "_snapshots").iterdir()] == [summary.load_id]
    rows = _articles(warehouse_dir)
    assert sorted(rows) == ["5110aec6e8f52836", ID_A, ID_B]
    seed = rows["5110aec6e8f52836"]
    assert seed["published_date"] == dt.date(2022, 6, 20)
    assert seed["section"] == "IN-DEPTH"
    assert seed["author"] == "Sun Haoran"
    assert seed["authors"] == ["Sun Haoran"]
    assert seed["author_title"] is None
    assert seed["load_id"] == summary.load_id
    assert seed["ingested_at"].tzinfo is not None
    assert rows[ID_B]["partition"] == (
        "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__"
    )
    assert rows[ID_B]["source_file"] == f"sub/002_{ID_B}.txt"
    assert rows[ID_A]["body"] == "First paragraph."

    manifest = read_manifest(warehouse_dir / "_state")
    assert {path: entry.status for path, entry in manifest.items()} == {
        SEED.name: "loaded",
        f"001_{ID_A}.txt": "loaded",
        f"sub/002_{ID_B}.txt": "loaded",
        f"003_{ID_C}.txt": "rejected",
    }
    rejects = read_rejects(warehouse_dir / "_state")
    assert [(r.source_file, r.reason) for r in rejects.values()] == [(f"003_{ID_C}.txt", "empty")]
    assert [
        (load.load_id, load.files_seen, load.status)
        for load in read_loads(warehouse_dir / "_state")
    ] == [(summary.load_id, 4, "completed")]
    assert not (warehouse_dir / "_staging").exists()


def test_articles_are_written_by_date_then_id_in_row_groups_of_their_size(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # search_articles reads its best articles by date and id, and DuckDB skips the row groups
    # whose dates hold none of them (tests/warehouse/test_search_plans.py)
    monkeypatch.setitem(ROW_GROUP_SIZES, ARTICLES_TABLE, 2)
    for number, (article_id, day) in enumerate(
        [(ID_A, "05"), (ID_B, "01"), (ID_C, "03"), ("dddddddddddddddd", "01"), ("0" * 16, "09")]
    ):
        write_raw(f"{number:03d}_{article_id}.txt", published=f"2022-06-{day}")
    _load(raw_dir, warehouse_dir)

    parquet = pq.ParquetFile(warehouse_dir / "articles/year=2022/month=06/part-0.parquet")
    rows = parquet.read(columns=["published_date", "article_id"]).to_pylist()
    assert [(row["published_date"].day, row["article_id"][0]) for row in rows] == [
        (1, "b"),
        (1, "d"),
        (3, "c"),
        (5, "a"),
        (9, "0"),
    ]
    groups = parquet.metadata
    assert [groups.row_group(i).num_rows for i in range(groups.num_row_groups)] == [2, 2, 1]


def _tree(warehouse_dir: Path) -> dict[str, int]:
    """Every path under the warehouse with its mtime: any write shows up here."""
    return {
        str(path.relative_to(warehouse_dir)): path.lstat().st_mtime_ns
        for path in sorted(warehouse_dir.rglob("*"))
        if path.name != ".lock"
    }


def test_second_run_with_nothing_new_writes_nothing(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt")
    write_raw(f"002_{ID_B}.txt", title="")  # a standing reject changes nothing either
    _load(raw_dir, warehouse_dir)
    before = _tree(warehouse_dir)
    second = _load(raw_dir, warehouse_dir)
    assert _counts(second) == (2, 0, 2, 0, 0)
    assert (second.partitions_written, second.committed) == (0, False)
    assert list(second.steps) == ["discover"]  # nothing to read, nothing written
    assert second.table_rows == {"articles": 1, "article_photos": 0}
    assert _tree(warehouse_dir) == before


def test_same_input_gives_byte_identical_parquet(
    raw_dir: Path, tmp_path: Path, write_raw: RawWriter
) -> None:
    write_raw(SEED.name, SEED.read_bytes())
    write_raw(f"001_{ID_A}.txt", published="")
    started = dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.UTC)
    data: list[dict[str, bytes]] = []
    for name in ("one", "two"):
        warehouse = tmp_path / name
        load = Load(resolve_paths(raw_dir, warehouse), started_at=started)
        load.load_id = "20260101T020000Z-fixed"  # the one input that is random by design
        load.run()
        data.append(
            {
                str(path.relative_to(warehouse)): path.read_bytes()
                for path in sorted(warehouse.glob("*/year=*/month=*/*.parquet"))
            }
        )
    assert len(data[0]) == 11  # 2 partitions x (articles + 4 derived tables), 1 of photos
    assert data[0] == data[1]


def test_touched_but_identical_file_is_unchanged(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    path = write_raw(f"001_{ID_A}.txt")
    _load(raw_dir, warehouse_dir)
    os.utime(path, ns=(1, 1))
    assert _counts(_load(raw_dir, warehouse_dir)) == (1, 0, 1, 0, 0)
    assert read_manifest(warehouse_dir / "_state")[path.name].mtime_ns == 1


def test_changed_file_replaces_its_article_and_moves_partition(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", title="Old title", published="2022-06-01")
    write_raw(f"002_{ID_B}.txt", title="Neighbour", published="2022-06-02")
    _load(raw_dir, warehouse_dir)
    write_raw(f"001_{ID_A}.txt", title="New title", published="2023-01-05", mtime_ns=2 * 10**18)
    summary = _load(raw_dir, warehouse_dir)
    assert _counts(summary) == (2, 1, 1, 0, 0)
    rows = _articles(warehouse_dir)
    assert {key: (row["title"], row["partition"]) for key, row in rows.items()} == {
        ID_A: ("New title", "year=2023/month=01"),
        ID_B: ("Neighbour", "year=2022/month=06"),
    }


def test_duplicate_ids_newest_file_wins(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    body = "Lead paragraph.\nA man walks past the stadium in Beijing.\nPhoto: VCGThe end."
    write_raw(f"001_{ID_A}.txt", title="Older copy", body=body, mtime_ns=10**18)
    write_raw(f"later/009_{ID_A}.txt", title="Newer copy", body=body, mtime_ns=2 * 10**18)
    summary = _load(raw_dir, warehouse_dir)
    assert _counts(summary) == (2, 1, 0, 1, 0)
    assert (summary.articles_written, summary.photos_written) == (1, 1)
    assert summary.table_rows == {"articles": 1, "article_photos": 1}
    assert [row["title"] for row in _articles(warehouse_dir).values()] == ["Newer copy"]
    manifest = read_manifest(warehouse_dir / "_state")
    assert manifest[f"001_{ID_A}.txt"].status == "duplicate"
    assert manifest[f"later/009_{ID_A}.txt"].status == "loaded"


def test_a_rejected_file_is_retried_when_it_changes(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", title="")
    assert _counts(_load(raw_dir, warehouse_dir)) == (1, 0, 0, 0, 1)
    assert _counts(_load(raw_dir, warehouse_dir)) == (1, 0, 1, 0, 0)
    assert list(read_rejects(warehouse_dir / "_state")) == [f"001_{ID_A}.txt"]
    write_raw(f"001_{ID_A}.txt", title="Fixed", mtime_ns=2 * 10**18)
    assert _counts(_load(raw_dir, warehouse_dir)) == (1, 1, 0, 0, 0)
    assert read_rejects(warehouse_dir / "_state") == {}


def test_full_refresh_gives_the_same_rows_as_incremental(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", title="One", published="2022-06-01")
    _load(raw_dir, warehouse_dir)
    write_raw(f"002_{ID_B}.txt", title="Two", published="2022-07-01")
    _load(raw_dir, warehouse_dir)
    incremental = _articles(warehouse_dir)
    summary = _load(raw_dir, warehouse_dir, full_refresh=True)
    assert _counts(summary) == (2, 2, 0, 0, 0)
    refreshed = _articles(warehouse_dir)
    ignore = {"load_id", "ingested_at"}

    def strip(rows: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
        return {key: {k: v for k, v in row.items() if k not in ignore} for key, row in rows.items()}

    assert strip(refreshed) == strip(incremental)


def test_backfill_rereads_only_files_in_range(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", published="2022-06-01")
    write_raw(f"002_{ID_B}.txt", published="2022-08-01")
    _load(raw_dir, warehouse_dir)
    summary = _load(raw_dir, warehouse_dir, since=dt.date(2022, 6, 1), until=dt.date(2022, 6, 30))
    assert _counts(summary) == (2, 1, 1, 0, 0)
    rows = _articles(warehouse_dir)
    assert rows[ID_A]["load_id"] == summary.load_id
    assert rows[ID_B]["load_id"] != summary.load_id


@pytest.mark.skipif(_LIBC is None, reason="the C library is not glibc: no arenas to trim")
def test_free_memory_of_a_threads_allocations_goes_back_to_the_os() -> None:
    import threading

    import psutil

    pinned: list[bytes] = []

    def churn() -> None:
        # ~0.25 GB of 1 KB blocks (above pymalloc's size: glibc's) freed below one block still
        # in use, which keeps glibc from trimming the freed pages by itself
        blocks = [bytes(1000) + i.to_bytes(4, "little") for i in range(250_000)]
        pinned.append(bytes(1000) + b"pin")
        del blocks

    worker = threading.Thread(target=churn)
    worker.start()
    worker.join()
    before = psutil.Process().memory_info().rss
    release_free_memory()
    assert before - psutil.Process().memory_info().rss > 100 * 2**20


LOAD_AS_PLAIN_USER = """
import json, sys
from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths
paths = resolve_paths(sys.argv[1], sys.argv[2])
summary = Load(paths, workers=1, full_refresh=sys.argv[3] == "full").run()
print(json.dumps({
    "counts": [summary.files_seen, summary.files_loaded, summary.files_unchanged,
               summary.files_duplicate, summary.files_rejected],
    "committed": summary.committed,
    "unlisted": summary.unlisted,
    "not_listed": summary.files_not_listed,
}))
"""


def _load_as_plain_user(raw_dir: Path, warehouse_dir: Path, kind: str) -> dict[str, object]:
    done = python_as_plain_user(LOAD_AS_PLAIN_USER, str(raw_dir), str(warehouse_dir), kind)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _states(warehouse_dir: Path) -> dict[str, str]:
    return {path: entry.status for path, entry in read_manifest(warehouse_dir / "_state").items()}


def _reject_reasons(warehouse_dir: Path) -> dict[str, str]:
    return {path: r.reason for path, r in read_rejects(warehouse_dir / "_state").items()}


def test_a_full_refresh_over_an_empty_folder_is_refused(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    for number, day in enumerate(("2022-06-01", "2022-07-01", "2022-08-01")):
        write_raw(f"00{number}_{number:016x}.txt", published=day)
    _load(raw_dir, warehouse_dir)
    before = os.readlink(warehouse_dir / "current")
    empty = tmp_path / "unmounted"
    empty.mkdir()
    with pytest.raises(ListingShrank, match="lists 0 of the 3 files the warehouse knows"):
        _load(empty, warehouse_dir, full_refresh=True)
    assert os.readlink(warehouse_dir / "current") == before
    assert len(_articles(warehouse_dir)) == 3
    with pytest.raises(ListingShrank):  # nor an incremental run, which deletes too (#20 item 7)
        _load(empty, warehouse_dir)
    emptied = _load(empty, warehouse_dir, full_refresh=True, allow_shrink=True)
    assert (emptied.committed, _articles(warehouse_dir)) == (True, {})


@pytest.mark.parametrize("fault", ["moved and linked back", "truncated"])
def test_a_load_that_would_remove_most_articles_is_refused(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path, fault: str
) -> None:
    files = [write_raw(f"00{n}_{n:016x}.txt", published=f"2022-0{n + 1}-01") for n in range(4)]
    _load(raw_dir, warehouse_dir)
    before = os.readlink(warehouse_dir / "current")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for path in files:  # still listed, none usable: bad_symlink or empty rejects
        if fault == "truncated":
            path.write_bytes(b"")
        else:
            path.rename(elsewhere / path.name)
            path.symlink_to(elsewhere / path.name)
    for full_refresh in (False, True):
        with pytest.raises(ListingShrank, match="remove 4 of the 4 articles") as refused:
            _load(raw_dir, warehouse_dir, full_refresh=full_refresh)
        assert "--allow-shrink" in str(refused.value)
        assert os.readlink(warehouse_dir / "current") == before
        assert len(_articles(warehouse_dir)) == 4
    emptied = _load(raw_dir, warehouse_dir, allow_shrink=True)
    assert (emptied.committed, emptied.articles_removed, _articles(warehouse_dir)) == (True, 4, {})


def test_a_load_may_remove_up_to_half_of_the_articles(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    files = [write_raw(f"00{n}_{n:016x}.txt", published=f"2022-0{n + 1}-01") for n in range(4)]
    _load(raw_dir, warehouse_dir)
    for path in files[:2]:
        path.write_bytes(b"")
    assert _load(raw_dir, warehouse_dir).articles_removed == 2
    assert len(_articles(warehouse_dir)) == 2


def test_the_summary_tells_removals_by_cause_not_all_as_deletions(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    files = [write_raw(f"00{n}_{n:016x}.txt", published=f"2022-0{n + 1}-01") for n in range(6)]
    _load(raw_dir, warehouse_dir)
    write_raw(files[0].name, title="Edited", published="2022-01-01")  # edited
    write_raw(f"009_{9:016x}.txt", published="2022-09-01")  # added
    files[1].unlink()  # deleted
    files[2].write_bytes(b"")  # emptied
    mixed = _load(raw_dir, warehouse_dir)
    assert (mixed.files_deleted, mixed.articles_removed) == (1, 2)
    assert load_text(mixed).splitlines()[2] == (
        "  gone from the raw dir: 1 files; articles removed: 2 (their files: gone from the raw "
        "dir 1, empty 1)"
    )
    assert mixed.removed_because == {"gone from the raw dir": 1, "empty": 1}
    assert read_loads(warehouse_dir / "_state")[-1].articles_removed == 2
    # Emptied and accepted, nothing deleted: a line still says the articles left, and why.
    for path in files[3:]:
        path.write_bytes(b"")
    emptied = _load(raw_dir, warehouse_dir, allow_shrink=True)
    assert (emptied.files_deleted, emptied.articles_removed) == (0, 3)
    assert "  articles removed: 3 (their files: empty 3)" in load_text(emptied).splitlines()
    assert committed_load_text(read_loads(warehouse_dir / "_state")[-1]).endswith(
        "; 3 articles removed"
    )


def test_a_folder_that_cannot_be_listed_keeps_its_files_rows(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", published="2022-06-01")
    write_raw(f"locked/002_{ID_B}.txt", published="2022-06-02")
    write_raw(f"locked/003_{ID_C}.txt", published="2022-07-01")
    _load(raw_dir, warehouse_dir)
    rows = _articles(warehouse_dir)
    (raw_dir / "locked").chmod(0o000)
    try:
        nightly = _load_as_plain_user(raw_dir, warehouse_dir, "incremental")
        full = _load_as_plain_user(raw_dir, warehouse_dir, "full")
    finally:
        (raw_dir / "locked").chmod(0o755)
    for summary in (nightly, full):
        # The folder is one rejected entry; its two files are neither seen nor gone.
        assert (summary["unlisted"], summary["not_listed"]) == (["locked/"], 2)
    assert nightly["counts"] == [2, 0, 1, 0, 1]
    assert full["counts"] == [2, 1, 0, 0, 1]
    assert _articles(warehouse_dir).keys() == rows.keys() == {ID_A, ID_B, ID_C}
    assert _states(warehouse_dir) == {
        f"001_{ID_A}.txt": "loaded",
        f"locked/002_{ID_B}.txt": "loaded",
        f"locked/003_{ID_C}.txt": "loaded",
        "locked/": "rejected",
    }
    assert _reject_reasons(warehouse_dir) == {"locked/": "unreadable"}
    listed_again = _load(raw_dir, warehouse_dir)
    assert _counts(listed_again) == (3, 0, 3, 0, 0)
    # The folder's reject row was a fault, not a file: it leaves, nothing counts as deleted.
    assert (listed_again.files_deleted, "locked/" in _states(warehouse_dir)) == (0, False)
    assert _reject_reasons(warehouse_dir) == {}  # the folder's reject left with its fault


def test_a_folder_replaced_by_a_link_keeps_its_files_rows(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    write_raw(f"001_{ID_A}.txt", published="2022-06-01")
    write_raw(f"002_{ID_B}.txt", published="2022-06-02")
    write_raw(f"d/003_{ID_C}.txt", published="2022-07-01")
    _load(raw_dir, warehouse_dir)
    rows = _articles(warehouse_dir)
    (raw_dir / "d").rename(tmp_path / "elsewhere")
    (raw_dir / "d").symlink_to(tmp_path / "elsewhere")
    linked = _load(raw_dir, warehouse_dir)
    assert (linked.files_deleted, linked.articles_removed) == (0, 0)
    assert (linked.unlisted, linked.files_not_listed) == (["d/"], 1)
    assert _articles(warehouse_dir) == rows
    assert _states(warehouse_dir)[f"d/003_{ID_C}.txt"] == "loaded"
    assert _reject_reasons(warehouse_dir) == {"d/": "bad_symlink"}


def test_an_empty_mount_point_keeps_its_files_rows(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", published="2022-06-01")
    write_raw(f"002_{ID_B}.txt", published="2022-06-02")
    write_raw(f"share/003_{ID_C}.txt", published="2022-07-01")
    _load(raw_dir, warehouse_dir)
    rows = _articles(warehouse_dir)
    # An empty file system over the folder: what the mount point of a share not mounted shows.
    with small_tmpfs(raw_dir / "share", "1M"):
        unmounted = _load(raw_dir, warehouse_dir)
        assert (unmounted.files_deleted, unmounted.articles_removed) == (0, 0)
        assert (unmounted.unlisted, unmounted.files_not_listed) == (["share/"], 1)
        assert _articles(warehouse_dir) == rows
        assert _reject_reasons(warehouse_dir) == {"share/": "unreadable"}
        assert "--allow-shrink" in read_rejects(warehouse_dir / "_state")["share/"].detail
        removed = _load(raw_dir, warehouse_dir, allow_shrink=True)  # emptied on purpose
        assert (removed.files_deleted, removed.articles_removed) == (1, 1)
        assert sorted(_articles(warehouse_dir)) == [ID_A, ID_B]


def _share(write_raw: RawWriter) -> None:
    """Four files at the top, three in share/ (a mounted share)."""
    for n in range(4):
        write_raw(f"00{n}_{n:016x}.txt", published=f"2022-0{n + 1}-01")
    for n in range(4, 7):
        write_raw(f"share/00{n}_{n:016x}.txt", published=f"2022-0{n + 1}-01")


@pytest.mark.parametrize(
    "leftover", ["lost+found/", ".DS_Store", "README.md", "009_9999999999999999.txt", "sub/"]
)
def test_a_folder_listing_none_of_its_known_files_keeps_their_rows(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, leftover: str
) -> None:
    _share(write_raw)
    _load(raw_dir, warehouse_dir)
    rows = _articles(warehouse_dir)
    # The share not mounted: its mount point holds none of its files, but is not empty.
    shutil.rmtree(raw_dir / "share")
    if leftover.endswith("/"):
        (raw_dir / "share" / leftover).mkdir(parents=True)
    elif leftover.endswith(".txt"):  # the scraper wrote a new article into the mount point
        write_raw(f"share/{leftover}", published="2022-09-01")
    else:
        write_raw(f"share/{leftover}", content=b"not an article")
    for _ in range(2):  # and the same again writes nothing
        held = _load(raw_dir, warehouse_dir)
        assert (held.files_deleted, held.articles_removed) == (0, 0)
        assert (held.unlisted, held.files_not_listed) == (["share/"], 3)
    new = leftover.endswith(".txt")
    assert held.committed is False
    assert _articles(warehouse_dir).keys() == rows.keys() | ({"9" * 16} if new else set())
    assert all(_states(warehouse_dir)[f"share/00{n}_{n:016x}.txt"] == "loaded" for n in (4, 5, 6))
    detail = read_rejects(warehouse_dir / "_state")["share/"].detail
    assert detail.startswith("folder that lists none of the 3 files known there")
    assert "--allow-shrink" in detail
    assert _reject_reasons(warehouse_dir) == {"share/": "unreadable"}
    removed = _load(raw_dir, warehouse_dir, allow_shrink=True)  # emptied on purpose
    assert (removed.files_deleted, removed.articles_removed) == (3, 3)
    assert len(_articles(warehouse_dir)) == 4 + new


def test_a_folder_deleted_itself_deletes_its_files(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    _share(write_raw)
    _load(raw_dir, warehouse_dir)
    shutil.rmtree(raw_dir / "share")
    deleted = _load(raw_dir, warehouse_dir)
    assert (deleted.files_deleted, deleted.articles_removed, deleted.unlisted) == (3, 3, [])
    assert len(_articles(warehouse_dir)) == 4


def test_a_folder_still_listing_one_known_file_deletes_the_others(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    _share(write_raw)
    _load(raw_dir, warehouse_dir)
    (raw_dir / "share" / f"004_{4:016x}.txt").unlink()
    (raw_dir / "share" / f"005_{5:016x}.txt").unlink()
    summary = _load(raw_dir, warehouse_dir)
    assert (summary.files_deleted, summary.articles_removed, summary.unlisted) == (2, 2, [])


def test_a_held_empty_folder_counts_its_files_not_its_own_row(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    _share(write_raw)
    _load(raw_dir, warehouse_dir)
    for path in (raw_dir / "share").iterdir():
        path.unlink()
    first = _load(raw_dir, warehouse_dir)
    details = [read_rejects(warehouse_dir / "_state")["share/"].detail]
    second = _load(raw_dir, warehouse_dir)  # nothing changed: nothing written
    details.append(read_rejects(warehouse_dir / "_state")["share/"].detail)
    third = _load(raw_dir, warehouse_dir)
    assert [s.committed for s in (first, second, third)] == [True, False, False]
    assert [s.files_not_listed for s in (first, second, third)] == [3, 3, 3]
    assert [d.split(" (")[0] for d in details] == [
        "folder that lists none of the 3 files known there"
    ] * 2
    assert len(read_loads(warehouse_dir / "_state")) == 2


def test_unreadable_files_are_retried_by_every_run(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt")
    locked = write_raw(f"002_{ID_B}.txt")
    locked.chmod(0o000)
    try:
        first = _load_as_plain_user(raw_dir, warehouse_dir, "incremental")
        again = _load_as_plain_user(raw_dir, warehouse_dir, "incremental")
    finally:
        locked.chmod(0o644)  # a chmod leaves the mtime as it was
    assert (first["counts"], first["committed"]) == ([2, 1, 0, 0, 1], True)
    # Read again and rejected as before: counted, but nothing is written.
    assert (again["counts"], again["committed"]) == ([2, 0, 1, 0, 1], False)
    assert _reject_reasons(warehouse_dir) == {f"002_{ID_B}.txt": "unreadable"}
    fixed = _load(raw_dir, warehouse_dir)
    assert _counts(fixed) == (2, 1, 1, 0, 0)
    assert (_reject_reasons(warehouse_dir), sorted(_articles(warehouse_dir))) == ({}, [ID_A, ID_B])


def test_a_loaded_file_edited_then_unreadable_commits_once(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt")
    locked = write_raw(f"002_{ID_B}.txt", mtime_ns=10**18)
    _load(raw_dir, warehouse_dir)
    rows = _articles(warehouse_dir)
    write_raw(f"002_{ID_B}.txt", title="Edited", mtime_ns=2 * 10**18)  # a sync, then a fault
    locked.chmod(0o000)
    try:
        runs = [_load_as_plain_user(raw_dir, warehouse_dir, "incremental") for _ in range(3)]
    finally:
        locked.chmod(0o644)
    # The first run records the reject; the next ones meet the same reject: nothing to write.
    assert [(run["counts"], run["committed"]) for run in runs] == [
        ([2, 0, 1, 0, 1], True),
        ([2, 0, 1, 0, 1], False),
        ([2, 0, 1, 0, 1], False),
    ]
    assert len(read_loads(warehouse_dir / "_state")) == 2
    assert _articles(warehouse_dir)[ID_B] == rows[ID_B]  # kept as it was until readable
    assert _counts(_load(raw_dir, warehouse_dir)) == (2, 1, 1, 0, 0)
    assert _articles(warehouse_dir)[ID_B]["title"] == "Edited"


def test_a_reject_whose_file_is_gone_leaves_rejected_files(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt")
    write_raw(f"002_{ID_B}.txt")
    junk = write_raw(f"003_{ID_C}.txt", content=b"")
    _load(raw_dir, warehouse_dir)
    assert _reject_reasons(warehouse_dir) == {junk.name: "empty"}
    junk.unlink()
    second = _load(raw_dir, warehouse_dir)
    assert second.committed and _reject_reasons(warehouse_dir) == {}
    assert read_loads(warehouse_dir / "_state")[0].files_rejected == 1  # the ledger keeps it


def test_odd_entries_never_abort_the_load(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt")
    write_raw(f"sub/002_{ID_B}.txt")
    os.symlink("b.txt", raw_dir / "a.txt")
    os.symlink("a.txt", raw_dir / "b.txt")
    os.symlink("..", raw_dir / "sub" / "up")
    (raw_dir / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    os.mkfifo(raw_dir / "pipe.txt")
    summary = _load(raw_dir, warehouse_dir)
    assert _counts(summary) == (7, 2, 0, 0, 5)
    assert _reject_reasons(warehouse_dir) == {
        "a.txt": "bad_symlink",
        "b.txt": "bad_symlink",
        "caf\\xe9.txt": "bad_file_name",
        "pipe.txt": "not_regular_file",
        "sub/up/": "bad_symlink",
    }
    assert sorted(_articles(warehouse_dir)) == [ID_A, ID_B]
    assert not _load(raw_dir, warehouse_dir).committed  # the same odd entries: nothing new


def test_an_edited_file_with_a_free_name_keeps_one_article(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("notes/today.txt", title="First draft", mtime_ns=10**18)
    _load(raw_dir, warehouse_dir)
    write_raw("notes/today.txt", title="Second draft, longer", mtime_ns=2 * 10**18)
    assert _counts(_load(raw_dir, warehouse_dir)) == (1, 1, 0, 0, 0)
    articles = _articles(warehouse_dir)
    # printf %s notes/today.txt | sha256sum | cut -c1-16
    assert list(articles) == ["1e076ad862afd060"]
    assert articles["1e076ad862afd060"]["title"] == "Second draft, longer"


def test_a_full_refresh_keeps_the_article_of_a_file_unreadable_for_now(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", published="2022-06-01")
    locked = write_raw(f"002_{ID_B}.txt", published="2022-07-01")
    _load(raw_dir, warehouse_dir)
    rows = _articles(warehouse_dir)
    locked.chmod(0o000)
    try:
        full = _load_as_plain_user(raw_dir, warehouse_dir, "full")
    finally:
        locked.chmod(0o644)
    assert full["counts"] == [2, 1, 0, 0, 1]
    # As an incremental run would: the file is rejected for now, its article stays as it was.
    assert _articles(warehouse_dir)[ID_B] == rows[ID_B]
    assert _reject_reasons(warehouse_dir) == {locked.name: "unreadable"}
    assert _states(warehouse_dir)[locked.name] == "loaded"  # its entry kept, as it was
    # Readable again: read (a retried reject), found unchanged, and its reject leaves.
    assert _counts(_load(raw_dir, warehouse_dir)) == (2, 0, 2, 0, 0)
    assert (_reject_reasons(warehouse_dir), _articles(warehouse_dir)[ID_B]) == ({}, rows[ID_B])


def test_a_date_believed_before_dates_were_checked_is_read_again(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw(f"001_{ID_A}.txt", published="2099-01-01")
    write_raw(f"002_{ID_B}.txt", published="2022-06-01")
    # A load in 2100 believes 2099, as an older newsetl believed any date.
    _load(raw_dir, warehouse_dir, started_at=dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert _articles(warehouse_dir)[ID_A]["published_date"] == dt.date(2099, 1, 1)
    summary = _load(raw_dir, warehouse_dir)  # now: the file is read again, unchanged as it is
    assert _counts(summary) == (2, 1, 1, 0, 0)
    rows = _articles(warehouse_dir)
    assert rows[ID_A]["published_date"] is None
    assert rows[ID_A]["parse_notes"] == ["date:implausible '2099-01-01'"]
    assert read_manifest(warehouse_dir / "_state")[f"001_{ID_A}.txt"].published_date is None
