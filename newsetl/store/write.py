"""Write Parquet atomically: staged batches, then whole partitions replaced by rename."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from newsetl.settings import (
    NULL_PARTITION,
    PARQUET_COMPRESSION,
    PARQUET_ROW_GROUP_SIZE,
    PARTITION_FILE,
    STAGED_FILE_SUFFIX,
    STAGED_FILES_OPEN,
)
from newsetl.store.raw import filesystem, local_path
from newsetl.store.schema import string_array
from newsetl.store.sql import sql_literal, sql_path

PartitionKey = tuple[str, str]


def partition_key(day: dt.date | None) -> PartitionKey:
    """`(year, month)` as in the hive path; undated articles share the NULL partition."""
    if day is None:
        return (NULL_PARTITION, NULL_PARTITION)
    return (f"{day.year:04d}", f"{day.month:02d}")


def _partition_codes(dates: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """year*100+month of each date; -1 for a NULL date."""
    return pc.add(
        pc.multiply(pc.fill_null(pc.year(dates), -1), 100), pc.fill_null(pc.month(dates), -1)
    )


def _code_key(code: int) -> PartitionKey:
    return partition_key(None if code < 0 else dt.date(code // 100, code % 100, 1))


def split_by_partition(table: pa.Table) -> Iterator[tuple[PartitionKey, pa.Table]]:
    """The table's rows by partition of `published_date`, in the order of the keys' codes,
    each partition's rows in table order: one stable sort and slices, not a filter each.

    A batch of 2,000 generated articles spans ~84 months: 84 masks and filters took more CPU.
    """
    codes = _partition_codes(table.column("published_date"))
    order = pc.sort_indices(codes)
    runs = pc.run_end_encode(codes.take(order).combine_chunks())
    ordered, start = table.take(order), 0
    for code, end in zip(runs.values.to_pylist(), runs.run_ends.to_pylist(), strict=True):
        yield _code_key(code), ordered.slice(start, end - start)
        start = end


def partition_dir(table_dir: Path, key: PartitionKey) -> Path:
    """`table_dir/year=YYYY/month=MM`."""
    return table_dir / f"year={key[0]}" / f"month={key[1]}"


def partition_keys_on_disk(table_dir: Path) -> set[PartitionKey]:
    """Every partition that currently holds a data file."""
    keys: set[PartitionKey] = set()
    for path in table_dir.glob(f"year=*/month=*/{PARTITION_FILE}"):
        keys.add((path.parent.parent.name[len("year=") :], path.parent.name[len("month=") :]))
    return keys


class DiskFull(OSError):
    """A write that found its disk full (or its quota used up): the message names the path."""

    def __str__(self) -> str:
        return str(self.strerror)  # names the path and what to do: no errno, no repeat


# What pyarrow and DuckDB say (they do not always keep the errno) when a disk is full.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
DISK_FULL_MESSAGES = ("No space left on device", "Disk quota exceeded")


@contextmanager
def naming_a_full_disk(path: str | Path) -> Iterator[None]:
    """Re-raise a full disk met in the block as DiskFull naming `path` and what to do: the
    libraries' own message (`Error writing bytes to file`) names neither."""
    try:
        yield
    except (OSError, duckdb.Error) as exc:
        if getattr(exc, "errno", None) not in DISK_FULL_ERRNOS and not any(
            text in str(exc) for text in DISK_FULL_MESSAGES
        ):
            raise
        raise DiskFull(
            errno.ENOSPC,
            f"no space left on the device writing {path}: free space on the disk that holds "
            "it, then run again (the warehouse keeps its last committed state)",
            str(path),
        ) from exc


def replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Have `write` write beside the target under a hidden name, flush it to disk, then rename
    it over the target.

    Readers (globbing `*.parquet`, say) never see the hidden temporary file, and see either the
    old or the new file, never a half-written one. A write that fails removes its temporary.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with naming_a_full_disk(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write(temporary)
            with open(temporary, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)  # a failed write leaves nothing behind
            raise
        fsync_dir(path.parent)


def write_parquet_atomic(
    table: pa.Table, path: Path, row_group_size: int = PARQUET_ROW_GROUP_SIZE
) -> None:
    """Write a table as the Parquet file `path`, atomically (replace_atomically)."""
    replace_atomically(
        path,
        lambda temporary: pq.write_table(
            table,
            temporary,
            compression=PARQUET_COMPRESSION,
            row_group_size=row_group_size,
            write_statistics=True,
        ),
    )


def copy_parquet_atomic(
    con: duckdb.DuckDBPyConnection,
    query: str,
    path: Path,
    metadata: Mapping[str, str] | None = None,
    row_group_size: int = PARQUET_ROW_GROUP_SIZE,
) -> None:
    """write_parquet_atomic for the rows of a DuckDB query, written by DuckDB itself (same
    compression and row groups, unless `row_group_size` is given): the rows never become Arrow
    tables in Python. `metadata` goes into the file's key-value metadata (keys: lower case,
    digits and underscores)."""
    options = f"compression {PARQUET_COMPRESSION}, row_group_size {row_group_size}"
    if metadata:
        pairs = ", ".join(f"{key}: {sql_literal(value)}" for key, value in metadata.items())
        options += f", kv_metadata {{{pairs}}}"
    replace_atomically(
        path,
        lambda temporary: con.execute(
            f"copy ({query}) to {sql_path(temporary)} (format parquet, {options})"
        ),
    )


def fsync_dir(directory: Path) -> None:
    """Make a directory's entries (new names, renames) durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def staging_table_dir(staging_dir: str | Path, table: str) -> str:
    """Where a load stages one table's rows: a local folder, or a URL on the warehouse's store
    (for Dask workers that share no disk with the flow)."""
    return f"{str(staging_dir).rstrip('/')}/{table}"


def staged_file(staging_table_dir: str | Path, batch_name: str) -> str:
    """The staging file of one batch's rows of one table (a path, or a URL)."""
    return f"{str(staging_table_dir).rstrip('/')}/{batch_name}{STAGED_FILE_SUFFIX}"


def _open_staged(location: str, mode: str) -> Any:
    """A staging file opened for `wb` or `rb`: pyarrow's own file for a local path, fsspec's
    for a URL."""
    local = local_path(location)
    if local is None:
        fs, path = filesystem(location)
        return fs.open(path, mode)
    if mode == "wb":
        Path(local).parent.mkdir(parents=True, exist_ok=True)
    return pa.OSFile(local, mode)


def stage_by_partition(
    table: pa.Table, staging_table_dir: str | Path, batch_name: str
) -> dict[PartitionKey, int]:
    """Stage a batch's rows as one file, one record batch per month of `published_date`;
    return each partition's record batch number in it (read_staged reads them back).

    Staging files are Arrow IPC, uncompressed, written without fsync or rename: they are
    private to one load, read once after every batch has finished and deleted unread if the
    load dies, so neither Parquet's compression nor durability buys anything. Measured on
    20,000 articles (840 files): 4x faster to write and 15x faster to read than zstd Parquet.
    One file a batch rather than one per month and batch: a batch of 2,000 generated articles
    spans ~84 months, and its ~170 small files (two tables) cost 4x the time of one (0.085 s
    vs 0.02 s a batch, on the 100k bench corpus).
    """
    if table.num_rows == 0:
        return {}
    parts: dict[PartitionKey, int] = {}
    target = staged_file(staging_table_dir, batch_name)
    with (
        naming_a_full_disk(target),
        _open_staged(target, "wb") as sink,
        ipc.new_file(sink, table.schema) as writer,
    ):
        for key, rows in split_by_partition(table):
            parts[key] = len(parts)
            writer.write_table(rows.combine_chunks(), max_chunksize=None)
    return parts


def read_staged(parts: Iterable[tuple[str, int]]) -> pa.Table | None:
    """The staged rows of one partition: record batch `number` of each staging file (None
    for no part at all)."""
    with StagedFiles() as files:
        return files.read(parts)


class StagedFiles:
    """Staging files kept open for reading (up to `limit` of them, the least recently read
    closed first), shared by the merge's threads.

    Why: a partition's merge reads one record batch of every batch's staging file, and opening
    an IPC file (its footer, its schema) cost ~6x reading the batch: 0.25 s against 0.03 s of
    CPU for 84 months of 20 staging files. More files than `limit` are opened as they are read.
    """

    def __init__(self, limit: int = STAGED_FILES_OPEN) -> None:
        self.limit = limit
        self._readers: OrderedDict[str, tuple[Any, ipc.RecordBatchFileReader]] = OrderedDict()
        self._lock = threading.Lock()

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def read(self, parts: Iterable[tuple[str, int]]) -> pa.Table | None:
        """read_staged, through the files kept open."""
        batches: list[pa.RecordBatch] = []
        for location, number in parts:
            with self._lock:  # a reader is not for two threads at once; a read is brief
                batches.append(self._reader(location).get_batch(number))
        return pa.Table.from_batches(batches) if batches else None

    def _reader(self, location: str) -> ipc.RecordBatchFileReader:
        if location in self._readers:
            self._readers.move_to_end(location)
            return self._readers[location][1]
        while self._readers and len(self._readers) >= self.limit:
            self._readers.popitem(last=False)[1][0].close()
        source = _open_staged(location, "rb")
        try:
            reader = ipc.open_file(source)
        except BaseException:
            source.close()
            raise
        self._readers[location] = (source, reader)
        return reader

    def close(self) -> None:
        """Close every file kept open."""
        with self._lock:
            while self._readers:
                self._readers.popitem()[1][0].close()


def version_keys(table: pa.Table) -> pa.Array | pa.ChunkedArray:
    """`article_id` NUL `source_file` of each row: identifies one version of one article."""
    return pc.binary_join_element_wise(
        table.column("article_id"), table.column("source_file"), "\x00"
    )


def merge_partition(
    old_table_dir: Path | None,
    new_table_dir: Path,
    staged_parts: Iterable[tuple[str, int]],
    key: PartitionKey,
    schema: pa.Schema,
    *,
    winners: Iterable[str] | pa.Array | pa.ChunkedArray | None,
    replaced_ids: Iterable[str] | pa.Array | pa.ChunkedArray | None,
    sort_keys: list[tuple[str, str]],
    staged_files: StagedFiles | None = None,
    row_group_size: int = PARQUET_ROW_GROUP_SIZE,
) -> int:
    """Write one partition of the new snapshot: old rows minus replaced articles, plus winners.

    `winners` are `article_id NUL source_file` keys of the versions that won this load (None:
    every staged row wins); `replaced_ids=None` drops every old row (a full refresh).
    `staged_parts` are the partition's record batches in staging files (stage_by_partition),
    read through `staged_files` when given (the merges of one load share it), written sorted by
    `sort_keys` in row groups of `row_group_size` rows.
    Returns how many staged rows it added; a partition left empty is not written at all.
    """
    parts: list[pa.Table] = []
    source = None if old_table_dir is None else partition_dir(old_table_dir, key) / PARTITION_FILE
    if source is not None and source.exists() and replaced_ids is not None:
        existing = pq.read_table(source, schema=schema)
        replaced = string_array(replaced_ids)
        parts.append(existing.filter(pc.invert(pc.is_in(existing.column("article_id"), replaced))))
    winner_keys = None if winners is None else string_array(winners)
    added = 0
    staged = (read_staged if staged_files is None else staged_files.read)(staged_parts)
    if staged is not None:
        if winner_keys is not None:
            staged = staged.filter(pc.is_in(version_keys(staged), winner_keys))
        parts.append(staged.select(schema.names).cast(schema))
        added += staged.num_rows
    combined = pa.concat_tables(parts) if parts else schema.empty_table()
    if combined.num_rows:
        target = partition_dir(new_table_dir, key) / PARTITION_FILE
        write_parquet_atomic(combined.sort_by(sort_keys), target, row_group_size)
    return added


def remove_tree(path: Path) -> None:
    """Delete a staging tree if it exists."""
    shutil.rmtree(path, ignore_errors=True)
