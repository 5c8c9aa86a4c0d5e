"""List the raw article files and decide which of them a load must read."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.load.removals import (
    DELETED,
    DELETED_DETAIL,
    contested_ids,
    folder_entries,
    gone_paths,
    implausible,
    under_folders,
)
from newsetl.load.walk import Folder, OddEntry, walk_local
from newsetl.settings import ARTICLES_SHRINK_LIMIT, RAW_FILE_SUFFIX, RAW_SHRINK_LIMIT
from newsetl.store.manifest import ManifestEntry, as_manifest
from newsetl.store.raw import list_objects, local_path
from newsetl.store.schema import ROW_CHUNK, rows_of, string_array, table_from_rows
from newsetl.text.parse import RejectReason

LISTING = pa.schema(
    [
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
    ]
)
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


def _no_paths() -> pa.Array:
    return pa.array([], pa.string())


@dataclass(slots=True)
class Plan:
    """The files a load reads (`to_read`, in the TO_READ schema: a batch job takes its hashes
    and forced files from its own rows) and those it can skip without reading.

    It also says what the listing means for the files the manifest knows (`known` of them):
    `gone` are absent from a listing that succeeded (deleted from the raw location, the only
    files a load treats as deleted: their articles leave the warehouse, and the manifest keeps
    them as `deleted`), `unknown` lie under a folder that could not be listed (`unlisted`):
    their state is unknown, so they keep their manifest rows and articles.
    """

    to_read: FileList = field(default_factory=lambda: FileList(TO_READ.empty_table()))
    unchanged: FileList = field(default_factory=FileList)
    gone: pa.Array = field(default_factory=_no_paths)
    unknown: pa.Array = field(default_factory=_no_paths)
    unlisted: list[str] = field(default_factory=list)
    known: int = 0

    @property
    def files_seen(self) -> int:
        return len(self.to_read) + len(self.unchanged)

    @property
    def forced(self) -> set[str]:
        """The paths read again although unchanged."""
        table = self.to_read.table
        return set(table.column("source_file").filter(table.column("forced")).to_pylist())


class ListingShrank(RuntimeError):
    """The raw location lists far fewer of the files the warehouse knows than it should."""


def check_shrink(plan: Plan, location: str, *, allow: bool = False) -> None:
    """Refuse a listing that lost more than RAW_SHRINK_LIMIT of the files the manifest knows
    (those under folders that could not be listed aside), unless `allow` (--allow-shrink)."""
    judged = plan.known - len(plan.unknown)
    lost = len(plan.gone)
    if allow or lost == 0 or lost <= judged * RAW_SHRINK_LIMIT:
        return
    raise ListingShrank(
        f"refusing to load: the raw dir {location} lists {judged - lost:,} of the {judged:,} "
        f"files the warehouse knows there ({lost:,} gone, {lost / judged:.0%}; a run accepts "
        f"up to {RAW_SHRINK_LIMIT:.0%}). An unmounted share, an empty or mistyped folder looks "
        "like this: check the raw dir. If those files were removed on purpose, run again with "
        "--allow-shrink (allow_shrink in a deployment's parameters), which accepts them as "
        "deleted: their articles leave the warehouse"
    )


def check_article_loss(
    removed: int, articles: int, causes: Mapping[str, int], *, allow: bool = False
) -> None:
    """Refuse a load that would remove more than ARTICLES_SHRINK_LIMIT of the warehouse's
    `articles`, whatever the cause (`causes`: files by why their article goes, e.g. `gone
    from the raw dir: 3`, `bad_symlink: 40`), unless `allow` (--allow-shrink)."""
    if allow or removed == 0 or removed <= articles * ARTICLES_SHRINK_LIMIT:
        return
    why = ", ".join(f"{cause} {count:,}" for cause, count in causes.items())
    looks = []
    if causes.get(DELETED_DETAIL):
        looks.append("files deleted from the raw dir (a sync that removed them, a wrong folder)")
    if any(count for cause, count in causes.items() if cause != DELETED_DETAIL):
        looks.append(
            "files still listed but unusable (links to files moved away, files a failed sync "
            "emptied)"
        )
    like = " or ".join(looks) if looks else "files that changed"
    raise ListingShrank(
        f"refusing to load: it would remove {removed:,} of the {articles:,} articles in the "
        f"warehouse ({removed / max(articles, 1):.0%}; a load may remove up to "
        f"{ARTICLES_SHRINK_LIMIT:.0%}); their files: {why or 'none named'}. "
        f"{like[0].upper()}{like[1:]} look like this: check the raw dir, nothing was written. "
        "If those articles are to go, run again with --allow-shrink (allow_shrink in a "
        "deployment's parameters)"
    )


# Files listed as Python values before they become Arrow columns: the walk keeps few objects
# alive (holding a million paths as strings until the end cost 1.5 s more of a 4 s listing).
LISTING_FLUSH = 8_192


@dataclass(slots=True)
class RawListing:
    """What one listing of the raw location found.

    - `files`: the article files, as columns.
    - `odd`: entries that are not read (bad links, names that are not UTF-8, FIFOs, folders
      that cannot be listed...): each becomes a reject row.
    - `unlisted`: folders (relative, ending in `/`) whose listing failed, or replaced by a
      symlink to a folder. Files the manifest knows under them are in an unknown state: they
      keep their manifest rows and articles, and are never taken for deleted (`Plan.unknown`,
      not `Plan.gone`).
    - `folders`: the subfolders listed (hold_vanished_folders).
    """

    files: FileList = field(default_factory=FileList)
    odd: list[OddEntry] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)


def list_raw_files(raw_dir: str | Path) -> Iterator[RawFile | OddEntry]:
    """Every `*.txt` under raw_dir, sorted; hidden entries and other files are ignored.

    raw_dir is a local folder (a path or a file:// URL) or an fsspec URL such as
    `s3://bucket/raw`, listed through fsspec (newsetl.store.raw.list_objects) in the same order:
    a folder's files by name, then its subfolders. What a local folder holds that cannot be
    read as an article (newsetl.load.walk: a bad symlink, a FIFO, a name that is not UTF-8, a folder
    that cannot be listed) is yielded as an OddEntry after its folder's files, so the caller
    can record it as rejected rather than lose track of it. A load lists with list_raw_columns
    instead, which makes no object per file.
    """
    for folder in _folders(raw_dir):
        for path, size, mtime_ns in zip(folder.paths, folder.sizes, folder.mtimes, strict=True):
            yield RawFile(path, size, mtime_ns)
        yield from folder.odd


def list_raw_columns(raw_dir: str | Path) -> RawListing:
    """list_raw_files as columns: its files as a FileList, in its order, its odd entries, and
    the folders it could not list. A nightly run lists every file of the archive: no RawFile
    per file (a million files: ~4 s here, where building a RawFile for each took ~6 s)."""
    chunks: list[pa.RecordBatch] = []
    paths: list[str] = []
    sizes: list[int] = []
    mtimes: list[int] = []
    listing = RawListing()

    def flush() -> None:
        columns = [
            pa.array(paths, pa.string()),
            pa.array(sizes, pa.int64()),
            pa.array(mtimes, pa.int64()),
        ]
        chunks.append(pa.record_batch(columns, schema=LISTING))
        for column in (paths, sizes, mtimes):
            column.clear()

    for folder in _folders(raw_dir):
        paths += folder.paths
        sizes += folder.sizes
        mtimes += folder.mtimes
        listing.odd += folder.odd
        if folder.unlisted is not None:
            listing.unlisted.append(folder.unlisted)
        listing.unlisted += folder.linked
        if folder.listed is not None:
            listing.folders.append(folder.listed)
        if len(paths) >= LISTING_FLUSH:
            flush()
    if paths or not chunks:
        flush()
    listing.files = FileList(pa.Table.from_batches(chunks, LISTING))
    return listing


def hold_vanished_folders(
    listing: RawListing, known: Mapping[str, ManifestEntry], gone: pa.Array
) -> bool:
    """Take for unlisted the subfolders listed with none of the files the manifest knows under
    them, whatever else they hold (a `lost+found/`, a `.DS_Store`, a README, a file the scraper
    wrote since): the mount point of a share not mounted lists so, and a folder emptied by hand
    too; only the second may delete. Each becomes an `unreadable` reject row that says what to
    do; its known files keep their rows, new files in it still load. `gone` is the plan's
    (Plan.gone): only folders above a gone file are looked at. Returns whether any folder was
    held (the plan must then be made again). --allow-shrink skips this: the files are then
    gone; so does deleting the folder itself, which is then not listed."""
    gone = gone.filter(pc.invert(folder_entries(gone)))
    candidates = _with_parents(pc.unique(_parent(gone)).to_pylist()) & set(listing.folders)
    if not candidates:
        return False  # a night with nothing deleted costs nothing more
    near = sorted(candidates)
    manifest = as_manifest(known).columns(["source_file", "status", "first_seen"])
    manifest = manifest.filter(pc.not_equal(manifest.column("status"), DELETED))
    folders = folder_entries(manifest.column("source_file"))
    held_since = manifest.filter(folders).select(["source_file", "first_seen"]).to_pylist()
    manifest = manifest.filter(pc.invert(folders))
    manifest = manifest.filter(under_folders(manifest.column("source_file"), near))
    paths = manifest.column("source_file")
    listed_paths = listing.files.paths()
    listed_near = listed_paths.filter(under_folders(listed_paths, near))
    odd = string_array([entry.source_file for entry in listing.odd])
    listed = pc.or_(pc.is_in(paths, listed_near), pc.is_in(paths, odd))
    present = listed
    # A file first seen in a folder since it was held (a new article the scraper wrote into the
    # mount point, loaded then) does not make it a folder that lists its files again.
    for row in held_since:
        newer = pc.greater_equal(manifest.column("first_seen"), pa.scalar(row["first_seen"]))
        since = pc.and_(under_folders(paths, [row["source_file"]]), newer)
        present = pc.and_(present, pc.invert(since))
    # The folders that still list a known file: each listed file's folder and its parents.
    keeping = _with_parents(pc.unique(_parent(paths.filter(present))).to_pylist())
    held: list[str] = []
    for folder in sorted(candidates - keeping):
        if any(folder.startswith(outer) for outer in held):
            continue  # inside a folder held already: one row says it
        inside = pc.and_(under_folders(paths, [folder]), pc.invert(listed))
        count = pc.sum(inside.cast(pa.int64())).as_py() or 0
        held.append(folder)
        listing.unlisted.append(folder)
        listing.odd.append(
            OddEntry(
                folder,
                RejectReason.UNREADABLE,
                f"folder that lists none of the {count:,} files known there (a share not "
                "mounted?): they keep their rows; mount it, or, if they were removed on "
                "purpose, delete the folder or run with --allow-shrink",
            )
        )
    return bool(held)


def _parent(paths: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Each path's folder, ending in `/` (`""` for a file at the top of the raw dir)."""
    return pc.replace_substring_regex(paths, pattern="[^/]*$", replacement="")


def _with_parents(folders: Iterable[str]) -> set[str]:
    """These folders (`a/b/`) and every folder above them (`a/`), the raw dir itself aside."""
    found: set[str] = set()
    for folder in folders:
        while folder and folder not in found:
            found.add(folder)
            folder = folder[: folder.rstrip("/").rfind("/") + 1]
    return found


def _folders(raw_dir: str | Path) -> Iterator[Folder]:
    """The walk of list_raw_files, a folder at a time (an object store's listing in chunks)."""
    local = local_path(raw_dir)
    if local is not None:
        yield from walk_local(local)
        return
    listed = list_objects(str(raw_dir), RAW_FILE_SUFFIX)
    while chunk := list(itertools.islice(listed, LISTING_FLUSH)):
        yield Folder([c[0] for c in chunk], [c[1] for c in chunk], [c[2] for c in chunk])


# Rejects read again by every run although their size and mtime did not change: a chmod, a
# remount or a mount that answers again changes neither.
RETRIED_REASONS = frozenset(
    {RejectReason.UNREADABLE, RejectReason.CHANGED_WHILE_READ, RejectReason.READ_TIMEOUT}
)


def plan_load(
    files: RawListing | Iterable[RawFile],
    known: Mapping[str, ManifestEntry],
    *,
    full_refresh: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
    latest: dt.date | None = None,
    retry: Collection[str] = (),
) -> Plan:
    """Split files into those to read (new, changed, forced, retried) and those unchanged, and
    find the manifest's files that are gone, or unknown under folders that could not be listed.

    A file whose size and mtime match the manifest is unchanged without being read, unless it
    is in `retry` (rejects of RETRIED_REASONS). With `since`/`until`, files whose article falls
    in that range are read again (a backfill); so are files whose known date is implausible
    (after `latest`, or too early: a manifest written before dates were checked), files that
    come back after being deleted, and every file carrying an article id that a changed, gone
    or odd file (listed, not read) carried, so the id's winner is settled among all its files
    (newsetl.load.removals). Given a RawListing, files under its `unlisted` folders are neither
    read nor gone (Plan.unknown). The listing is matched against the manifest column by column
    (a hash lookup of every path at once), so a million files cost no Python object each.
    """
    raw = files if isinstance(files, RawListing) else RawListing(as_file_list(files))
    listing = raw.files.table.select(LISTING.names)
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
        retried = pc.is_in(listing.column("source_file"), string_array(retry))
        read = pc.or_(pc.or_(forced, retried), pc.invert(pc.fill_null(same, False)))
    paths = listing.column("source_file")
    present = [entry.source_file for entry in raw.odd]
    listed_known = pc.sum(pc.fill_null(pc.not_equal(status, DELETED), False).cast(pa.int64()))
    gone = gone_paths(
        manifest,
        paths,
        unlisted=raw.unlisted,
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
    # A folder's own reject row (`locked/`) is no file: it counts neither as known nor unknown.
    kept = manifest.filter(
        pc.and_(
            pc.not_equal(manifest.column("status"), DELETED),
            pc.invert(folder_entries(manifest.column("source_file"))),
        )
    )
    return Plan(
        FileList(to_read.cast(TO_READ)),
        FileList(listing.filter(pc.invert(read))),
        gone=gone,
        unknown=_unknown(kept.column("source_file"), raw),
        unlisted=list(raw.unlisted),
        known=kept.num_rows,
    )


def _unknown(paths: pa.ChunkedArray, raw: RawListing) -> pa.Array:
    """The known paths under folders that could not be listed (the folders' own reject rows,
    and files listed there all the same, aside)."""
    if not raw.unlisted:
        return pa.array([], pa.string())
    inside = paths.filter(under_folders(paths, raw.unlisted))
    # Nor the files listed there all the same (new ones in a held folder: seen, not unknown).
    odd = string_array([entry.source_file for entry in raw.odd])
    seen = pc.or_(pc.is_in(inside, odd), pc.is_in(inside, raw.files.paths()))
    return inside.filter(pc.invert(seen)).combine_chunks()


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
