"""List the raw article files and decide which of them a load must read."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import overload

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.load.removals import DELETED, contested_ids, gone_paths, implausible
from newsetl.settings import RAW_FILE_SUFFIX
from newsetl.store.manifest import ManifestEntry, as_manifest
from newsetl.store.raw import list_objects, local_path
from newsetl.store.schema import ROW_CHUNK, rows_of, string_array, table_from_rows

LISTING = pa.schema(
    [
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
    ]
)
# How the detail of a folder that could not be listed starts: its files are unknown, not gone.
UNLISTABLE = "cannot list"
# Files turned into Arrow columns (or back into objects) at a time.
CHUNK = ROW_CHUNK


@dataclass(frozen=True, slots=True)
class RawFile:
    """One candidate article file: its path relative to the raw dir, size and mtime."""

    source_file: str
    size: int
    mtime_ns: int


class FileList(Sequence[RawFile]):
    """Raw files as Arrow columns (the LISTING schema, maybe with more columns after it).

    A RawFile is built only when one is asked for: a listing of a million files holds three
    columns (~60 MB) where a list of RawFile objects held ~220 MB.
    """

    __slots__ = ("table",)

    def __init__(self, table: pa.Table | None = None) -> None:
        self.table: pa.Table = LISTING.empty_table() if table is None else table

    @classmethod
    def of(cls, files: Iterable[RawFile]) -> FileList:
        """These files, in order, converted a chunk at a time (never all as objects at once)."""
        rows = ((raw.source_file, raw.size, raw.mtime_ns) for raw in files)
        return cls(table_from_rows(rows, LISTING, CHUNK))

    def __len__(self) -> int:
        rows: int = self.table.num_rows
        return rows

    @overload
    def __getitem__(self, index: int) -> RawFile: ...

    @overload
    def __getitem__(self, index: slice) -> FileList: ...

    def __getitem__(self, index: int | slice) -> RawFile | FileList:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("a FileList slice takes no step")
            return FileList(self.table.slice(start, max(0, stop - start)))
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return next(iter(self[index % len(self) : index % len(self) + 1]))

    def __iter__(self) -> Iterator[RawFile]:
        for row in rows_of(self.table.select(LISTING.names), CHUNK):
            yield RawFile(*row)

    def paths(self) -> pa.ChunkedArray:
        """The `source_file` column."""
        return self.table.column("source_file")


def as_file_list(files: Iterable[RawFile]) -> FileList:
    """`files` itself when it is a FileList, else a FileList of it."""
    return files if isinstance(files, FileList) else FileList.of(files)


# What a plan keeps of each file to read: its listing, whether it is read again although
# unchanged (a backfill or a full refresh), and its hash in the manifest, if any.
TO_READ = LISTING.append(pa.field("forced", pa.bool_(), nullable=False)).append(
    pa.field("known_sha256", pa.string())
)


@dataclass(slots=True)
class Plan:
    """The files a load reads (`to_read`, in the TO_READ schema: a batch job takes its hashes
    and forced files from its own rows), those it can skip without reading, and those gone."""

    to_read: FileList = field(default_factory=lambda: FileList(TO_READ.empty_table()))
    unchanged: FileList = field(default_factory=FileList)
    # The manifest's files certainly gone from raw/ (newsetl.load.removals.gone_paths): their
    # articles leave the warehouse, and the manifest keeps them as `deleted`.
    gone: pa.Array = field(default_factory=lambda: pa.array([], pa.string()))
    # Folders (relative to the raw dir) that could not be listed: their files are unknown,
    # neither read nor gone, and keep their rows.
    unlisted: tuple[str, ...] = ()

    @property
    def files_seen(self) -> int:
        return len(self.to_read) + len(self.unchanged)

    @property
    def forced(self) -> set[str]:
        """The paths read again although unchanged."""
        table = self.to_read.table
        return set(table.column("source_file").filter(table.column("forced")).to_pylist())


# Files listed as Python values before they become Arrow columns: the walk keeps few objects
# alive (holding a million paths as strings until the end cost 1.5 s more of a 4 s listing).
LISTING_FLUSH = 8_192

# One folder's *.txt files (relative path, size, mtime_ns: three lists) and its entries that
# cannot be followed, (relative path, why).
_Folder = tuple[list[str], list[int], list[int], list[tuple[str, str]]]


def list_raw_files(raw_dir: str | Path) -> Iterator[RawFile | tuple[str, str]]:
    """Every `*.txt` under raw_dir, sorted; hidden entries and other files are ignored.

    raw_dir is a local folder (a path or a file:// URL) or an fsspec URL such as
    `s3://bucket/raw`, listed through fsspec (newsetl.store.raw.list_objects) in the same order:
    a folder's files by name, then its subfolders. Symlinks are not followed out of raw_dir,
    nor dangling: such an entry is yielded as (path, detail), after its folder's files, so the
    caller can record it as rejected rather than lose track of it. A load lists with
    list_raw_columns instead, which makes no object per file.
    """
    for paths, sizes, mtimes, problems in _folders(raw_dir):
        for path, size, mtime_ns in zip(paths, sizes, mtimes, strict=True):
            yield RawFile(path, size, mtime_ns)
        yield from problems


def list_raw_columns(raw_dir: str | Path) -> tuple[FileList, list[tuple[str, str]]]:
    """list_raw_files as columns: its files as a FileList, in its order, and the entries that
    cannot be followed. A nightly run lists every file of the archive: no RawFile per file
    (a million files: ~4 s here, where building a RawFile for each took ~6 s)."""
    chunks: list[pa.RecordBatch] = []
    paths: list[str] = []
    sizes: list[int] = []
    mtimes: list[int] = []
    problems: list[tuple[str, str]] = []

    def flush() -> None:
        columns = [
            pa.array(paths, pa.string()),
            pa.array(sizes, pa.int64()),
            pa.array(mtimes, pa.int64()),
        ]
        chunks.append(pa.record_batch(columns, schema=LISTING))
        for column in (paths, sizes, mtimes):
            column.clear()

    for folder_paths, folder_sizes, folder_mtimes, folder_problems in _folders(raw_dir):
        paths += folder_paths
        sizes += folder_sizes
        mtimes += folder_mtimes
        problems += folder_problems
        if len(paths) >= LISTING_FLUSH:
            flush()
    if paths or not chunks:
        flush()
    return FileList(pa.Table.from_batches(chunks, LISTING)), problems


def _folders(raw_dir: str | Path) -> Iterator[_Folder]:
    """The walk of list_raw_files, a folder at a time (an object store's listing in chunks)."""
    local = local_path(raw_dir)
    if local is None:
        listed = list_objects(str(raw_dir), RAW_FILE_SUFFIX)
        while chunk := list(itertools.islice(listed, LISTING_FLUSH)):
            yield [c[0] for c in chunk], [c[1] for c in chunk], [c[2] for c in chunk], []
        return
    root = Path(local).resolve()
    cut = len(str(root)) + 1
    stack = [str(root)]
    while stack:
        directory = stack.pop()
        paths: list[str] = []
        sizes: list[int] = []
        mtimes: list[int] = []
        problems: list[tuple[str, str]] = []
        try:
            entries = sorted(os.scandir(directory), key=attrgetter("name"))
        except OSError as exc:
            yield paths, sizes, mtimes, [(directory[cut:] or ".", f"{UNLISTABLE} directory: {exc}")]
            continue
        subdirs: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            # A regular file is the common case (a million a night): one d_type check, no
            # symlink or directory probing before its stat.
            if entry.is_file(follow_symlinks=False):
                if name.endswith(RAW_FILE_SUFFIX):
                    stat = entry.stat(follow_symlinks=False)
                    paths.append(entry.path[cut:])
                    sizes.append(stat.st_size)
                    mtimes.append(stat.st_mtime_ns)
                continue
            relative = entry.path[cut:]
            if entry.is_symlink():
                problem = _symlink_problem(Path(entry.path), root)
                if problem:
                    if name.endswith(RAW_FILE_SUFFIX):
                        problems.append((relative, problem))
                    continue
            if entry.is_dir():
                subdirs.append(entry.path)
            elif name.endswith(RAW_FILE_SUFFIX) and entry.is_file():
                stat = entry.stat()
                paths.append(relative)
                sizes.append(stat.st_size)
                mtimes.append(stat.st_mtime_ns)
        yield paths, sizes, mtimes, problems
        stack.extend(reversed(subdirs))


def _symlink_problem(path: Path, root: Path) -> str | None:
    """Why a symlink in raw/ is not followed, or None when it may be."""
    target = path.resolve()
    if not target.is_relative_to(root):
        return f"symlink to {target}, outside the raw dir: not followed"
    if not target.exists():
        return f"symlink to {target}, which does not exist"
    return None


def plan_load(
    files: Iterable[RawFile],
    known: Mapping[str, ManifestEntry],
    *,
    full_refresh: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
    latest: dt.date | None = None,
    unlisted: Sequence[str] = (),
    present: Sequence[str] = (),
) -> Plan:
    """Split files into those to read (new, changed, forced) and those unchanged, and find the
    manifest's files that are gone.

    A file whose size and mtime match the manifest is unchanged without being read. With
    `since`/`until`, files whose article falls in that range are read again (a backfill); so
    are files whose known date is implausible (after `latest`, or too early: a manifest
    written before dates were checked), files that come back after being deleted, and every
    file carrying an article id that a changed, gone or not-followed file (`present`: listed,
    not read) carried, so the id's winner is settled among all its files
    (newsetl.load.removals). Files under an `unlisted` folder (relative paths whose listing
    failed) are neither read nor gone. The listing is matched against the manifest column by
    column (a hash lookup of every path at once), so a million files cost no Python object each.
    """
    listing = as_file_list(files).table.select(LISTING.names)
    manifest = as_manifest(known).columns(
        ["source_file", "size", "mtime_ns", "sha256", "published_date", "status", "article_id"]
    )
    row = pc.index_in(listing.column("source_file"), manifest.column("source_file"))

    def known_value(name: str) -> pa.Array:
        return pc.take(manifest.column(name), row).combine_chunks()

    is_known = pc.is_valid(row)
    status = known_value("status")
    if full_refresh:  # every file is read; the known ones are forced
        read, forced = pa.repeat(True, len(listing)), is_known
    else:
        in_range = _in_range(known_value("published_date"), since, until)
        again = pc.or_(implausible(known_value("published_date"), latest), in_range)
        again = pc.or_(again, pc.equal(status, DELETED))  # a deleted file back again
        forced = pc.fill_null(pc.and_(is_known, again), False)
        same = pc.and_(
            pc.equal(known_value("size"), listing.column("size")),
            pc.equal(known_value("mtime_ns"), listing.column("mtime_ns")),
        )
        read = pc.or_(forced, pc.invert(pc.fill_null(same, False)))
    paths = listing.column("source_file")
    listed_known = pc.sum(pc.fill_null(pc.not_equal(status, DELETED), False).cast(pa.int64()))
    gone = gone_paths(
        manifest,
        paths,
        unlisted=unlisted,
        present=present,
        listed_known=listed_known.as_py() or 0,
    )
    touched = pa.chunked_array(
        [*paths.filter(read).chunks, gone, string_array(present)], pa.string()
    )
    contested = pc.fill_null(
        pc.is_in(known_value("article_id"), contested_ids(manifest, touched)), False
    )
    forced, read = pc.or_(forced, contested), pc.or_(read, contested)
    to_read = listing.filter(read)
    to_read = to_read.append_column(TO_READ.field("forced"), forced.filter(read))
    to_read = to_read.append_column(
        TO_READ.field("known_sha256"), known_value("sha256").filter(read)
    )
    return Plan(
        FileList(to_read.cast(TO_READ)),
        FileList(listing.filter(pc.invert(read))),
        gone=gone,
        unlisted=tuple(unlisted),
    )


def _in_range(days: pa.Array, since: dt.date | None, until: dt.date | None) -> pa.Array:
    """True where a day falls in [since, until] (null or false where the day is null); all
    false when neither bound is given, as no backfill forces anything."""
    inside = pc.is_valid(days)
    if since is None and until is None:
        return pc.and_(inside, pa.scalar(False))
    if since is not None:
        inside = pc.and_(inside, pc.greater_equal(days, pa.scalar(since, pa.date32())))
    if until is not None:
        inside = pc.and_(inside, pc.less_equal(days, pa.scalar(until, pa.date32())))
    return inside
