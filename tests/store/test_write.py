"""Atomic Parquet writes and partition merges (newsetl.store.write)."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from devtools.articles import write_corpus
from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths
from newsetl.store.snapshot import current_snapshot
from newsetl.store.write import (
    DiskFull,
    PartitionKey,
    StagedFiles,
    copy_parquet_atomic,
    merge_partition,
    partition_dir,
    partition_key,
    partition_keys_on_disk,
    read_staged,
    split_by_partition,
    stage_by_partition,
    write_parquet_atomic,
)
from tests.faults import small_tmpfs

SCHEMA = pa.schema([("article_id", pa.string()), ("value", pa.int32())])
STAGED = SCHEMA.append(pa.field("source_file", pa.string())).append(
    pa.field("published_date", pa.date32())
)
SORT = [("article_id", "ascending")]


def test_partition_key_and_dir(tmp_path: Path) -> None:
    assert partition_key(dt.date(2022, 6, 20)) == ("2022", "06")
    assert partition_key(None) == ("__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__")
    assert partition_dir(tmp_path, ("2022", "06")) == tmp_path / "year=2022" / "month=06"


def test_atomic_write_leaves_only_the_target(tmp_path: Path) -> None:
    target = tmp_path / "t" / "part-0.parquet"
    write_parquet_atomic(pa.table({"a": [1]}), target)
    write_parquet_atomic(pa.table({"a": [2]}), target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["part-0.parquet"]
    assert pq.read_table(target).column("a").to_pylist() == [2]


def test_a_duckdb_query_is_copied_atomically_with_the_warehouse_settings(tmp_path: Path) -> None:
    import duckdb

    target = tmp_path / "t" / "part-0.parquet"
    with duckdb.connect() as con:
        copy_parquet_atomic(con, "select 1 as a", target)
        copy_parquet_atomic(con, "select range as a from range(100000) order by a desc", target)
        copy_parquet_atomic(con, "select 1 as a where false", tmp_path / "t" / "empty.parquet")
    assert sorted(p.name for p in target.parent.iterdir()) == ["empty.parquet", "part-0.parquet"]
    written = pq.ParquetFile(target)
    assert written.read().column("a").to_pylist() == list(range(99999, -1, -1))
    assert written.metadata.num_row_groups == 2  # rows per group: PARQUET_ROW_GROUP_SIZE
    assert written.metadata.row_group(0).column(0).compression == "ZSTD"
    assert pq.read_table(tmp_path / "t" / "empty.parquet").num_rows == 0
    with duckdb.connect() as con:
        copy_parquet_atomic(con, "select range as a from range(100000)", target, None, 30_000)
    assert pq.ParquetFile(target).metadata.num_row_groups == 4  # a table's own size


def _staged(rows: list[tuple[str, int, str, dt.date | None]]) -> pa.Table:
    names = ["article_id", "value", "source_file", "published_date"]
    return pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows], schema=STAGED)


def test_stage_then_merge_replaces_articles_and_keeps_the_rest(tmp_path: Path) -> None:
    first_dir, table_dir = tmp_path / "first" / "articles", tmp_path / "second" / "articles"
    staging = tmp_path / "staging"
    june, undated = ("2022", "06"), partition_key(None)
    first = _staged([("a", 1, "a.txt", dt.date(2022, 6, 1)), ("b", 1, "b.txt", None)])
    # One staging file for the batch, one record batch in it per partition: undated first, then
    # by year and month.
    assert stage_by_partition(first, staging, "batch-00000") == {undated: 0, june: 1}
    assert [p.name for p in staging.iterdir()] == ["batch-00000.arrow"]
    staged_file = staging / "batch-00000.arrow"
    for key, number in ((undated, 0), (june, 1)):
        merge_partition(
            None,
            first_dir,
            [(staged_file, number)],
            key,
            SCHEMA,
            winners=["a\x00a.txt", "b\x00b.txt"],
            replaced_ids=["a", "b"],
            sort_keys=SORT,
        )
    assert partition_keys_on_disk(first_dir) == {june, undated}

    # A second load: `a` changes, `c` is new, and of two versions of `c` only the winner lands.
    staging2 = tmp_path / "staging2"
    second = _staged(
        [
            ("c", 3, "c-old.txt", dt.date(2022, 6, 2)),
            ("a", 2, "a.txt", dt.date(2022, 6, 1)),
            ("c", 4, "c-new.txt", dt.date(2022, 6, 2)),
        ]
    )
    assert stage_by_partition(second, staging2, "batch-00000") == {june: 0}
    rows = merge_partition(
        first_dir,
        table_dir,
        [(staging2 / "batch-00000.arrow", 0)],
        june,
        SCHEMA,
        winners=["a\x00a.txt", "c\x00c-new.txt"],
        replaced_ids=["a", "c"],
        sort_keys=SORT,
    )
    assert rows == 2
    merged = pq.read_table(table_dir / "year=2022" / "month=06" / "part-0.parquet")
    assert merged.to_pylist() == [{"article_id": "a", "value": 2}, {"article_id": "c", "value": 4}]


def test_emptied_partition_is_not_written(tmp_path: Path) -> None:
    old_dir, new_dir = tmp_path / "old" / "articles", tmp_path / "new" / "articles"
    write_parquet_atomic(
        pa.table({"article_id": ["a"], "value": pa.array([1], pa.int32())}),
        old_dir / "year=2022" / "month=06" / "part-0.parquet",
    )
    rows = merge_partition(
        old_dir,
        new_dir,
        [],
        ("2022", "06"),
        SCHEMA,
        winners=[],
        replaced_ids=["a"],
        sort_keys=SORT,
    )
    assert rows == 0
    assert not new_dir.exists()


def test_split_by_partition_keeps_each_partitions_rows_in_table_order() -> None:
    days = [dt.date(2022, 6, 9), None, dt.date(2021, 1, 5), dt.date(2022, 6, 1), None]
    rows = [(f"id{n}", n, f"{n}.txt", day) for n, day in enumerate(days)]
    # Two chunks: the split must not depend on how the table's columns are chunked.
    table = pa.concat_tables([_staged(rows[:2]), _staged(rows[2:])])
    assert [(key, part.column("value").to_pylist()) for key, part in split_by_partition(table)] == [
        (partition_key(None), [1, 4]),
        (("2021", "01"), [2]),
        (("2022", "06"), [0, 3]),
    ]


def test_staged_files_read_what_read_staged_reads_with_files_kept_open(tmp_path: Path) -> None:
    june, july = ("2022", "06"), ("2022", "07")
    parts: dict[PartitionKey, list[tuple[str, int]]] = {june: [], july: []}
    for batch in range(3):
        rows = [(f"{m}{batch}", batch, f"{m}{batch}.txt", dt.date(2022, m, 1)) for m in (6, 7)]
        name = f"batch-{batch:05d}"
        for key, number in stage_by_partition(_staged(rows), tmp_path, name).items():
            parts[key].append((f"{tmp_path}/{name}.arrow", number))
    expected = {key: read_staged(found) for key, found in parts.items()}
    assert expected[july] is not None
    assert expected[july].column("article_id").to_pylist() == ["70", "71", "72"]
    # Two files open at most, of three: reading a month evicts the least recently read file.
    with StagedFiles(limit=2) as files:
        for _ in range(2):
            for key, found in parts.items():
                assert files.read(found) == expected[key]
        assert len(files._readers) == 2
        # The merge's threads share one: reads from both at once give the same rows.
        with ThreadPoolExecutor(2) as pool:
            read = list(pool.map(files.read, [parts[june], parts[july]] * 20))
        assert read == [expected[june], expected[july]] * 20
    assert files._readers == OrderedDict()
    assert StagedFiles().read([]) is None


@pytest.mark.parametrize(("size", "workers"), [("160k", 2), ("1m", 1)])
def test_a_full_disk_names_the_path_and_commits_nothing(
    tmp_path: Path, size: str, workers: int
) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 300, seed=3, gold=False)
    with small_tmpfs(tmp_path / "warehouse", size) as warehouse:
        paths = resolve_paths(raw, warehouse)
        with pytest.raises(DiskFull) as caught:
            Load(paths, workers=workers).run()
        assert current_snapshot(warehouse) is None
        assert not (warehouse / "_staging").exists()
    message = str(caught.value)
    written = Path(message.split(" writing ", 1)[1].split(": free space", 1)[0])
    assert written.is_relative_to(warehouse) and written.name.endswith((".arrow", ".parquet"))
    assert message == (
        f"no space left on the device writing {written}: free space on the disk that holds "
        "it, then run again (the warehouse keeps its last committed state)"
    )
    assert caught.value.filename == str(written)


def test_merge_reads_an_old_partition_without_a_new_column_as_null(tmp_path: Path) -> None:
    # A partition written before a column existed (article_photos.kind): its rows are kept with
    # the column NULL, beside the staged rows that carry it.
    old_dir, new_dir, staging = tmp_path / "old" / "t", tmp_path / "new" / "t", tmp_path / "s"
    write_parquet_atomic(
        pa.table({"article_id": ["a"], "value": pa.array([1], pa.int32())}),
        old_dir / "year=2022" / "month=06" / "part-0.parquet",
    )
    schema = SCHEMA.append(pa.field("kind", pa.string()))
    staged = pa.Table.from_pylist(
        [{"article_id": "b", "value": 2, "kind": "photo", "source_file": "b.txt",
          "published_date": dt.date(2022, 6, 3)}],
        schema=schema.append(pa.field("source_file", pa.string())).append(
            pa.field("published_date", pa.date32())
        ),
    )  # fmt: skip
    stage_by_partition(staged, staging, "batch-00000")
    merge_partition(
        old_dir,
        new_dir,
        [(staging / "batch-00000.arrow", 0)],
        ("2022", "06"),
        schema,
        winners=["b\x00b.txt"],
        replaced_ids=["b"],
        sort_keys=SORT,
    )
    merged = pq.read_table(new_dir / "year=2022" / "month=06" / "part-0.parquet")
    assert merged.to_pylist() == [
        {"article_id": "a", "value": 1, "kind": None},
        {"article_id": "b", "value": 2, "kind": "photo"},
    ]
