"""A whole load without Prefect (newsetl.load.ingest.Load): exact paths, rows and states."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsetl.load.ingest import _LIBC, Load, LoadSummary, release_free_memory
from newsetl.store.paths import resolve_paths
from newsetl.store.state import read_loads, read_manifest, read_rejects
from tests.conftest import SEED, RawWriter

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
    assert list(summary.steps) == ["discover", "batches", "merge", "derived", "commit"]
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
    assert len(data[0]) == 9  # 2 partitions x (articles + 3 derived tables), 1 of photos
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
