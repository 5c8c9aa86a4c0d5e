"""Raw files gone from raw/, and articles whose files compete or go: the same in every load.

A load removes the article of a file gone from a listing that succeeded (a folder that could not
be listed loses nothing), keeps the file in the manifest as `deleted`, and settles every article
id by one rule, whatever was read this run: of the files carrying it, the newest mtime wins,
then the greater path. So an incremental load gives the tables a full refresh would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.settings import EARLIEST_PUBLISHED_DATE
from newsetl.store.manifest import FileStatus
from newsetl.store.schema import string_array

# The manifest status of a file gone from raw/ (a listing that succeeded no longer has it).
DELETED = "deleted"
DELETED_DETAIL = "gone from the raw dir"
# Why an article left with a file read again that loaded (or lost to a duplicate): another id.
REREAD_DETAIL = "read again with another id"
# The entries that carry an article id for the winner rule.
CARRIERS = pa.array([FileStatus.LOADED, FileStatus.DUPLICATE])


def under_folders(paths: pa.Array | pa.ChunkedArray, folders: Sequence[str]) -> pa.Array:
    """True for the paths inside one of these folders (relative to the raw dir; "." is all)."""
    inside = pa.repeat(False, len(paths))
    for folder in folders:
        if folder in (".", ""):
            return pa.repeat(True, len(paths))
        prefix = folder.rstrip("/") + "/"
        inside = pc.or_(inside, pc.fill_null(pc.starts_with(paths, prefix), False))
    return inside


def gone_paths(
    manifest: pa.Table,
    listed: pa.Array | pa.ChunkedArray,
    *,
    unlisted: Sequence[str] = (),
    present: Sequence[str] = (),
    listed_known: int | None = None,
) -> pa.Array:
    """The manifest's files certainly gone: not in the listing, not `present` (listed but not
    followed, such as a bad symlink), not under an `unlisted` folder (whose listing failed:
    unknown, not gone), and not deleted already.

    `listed_known` (how many listed files the manifest knows, deleted ones aside) skips the
    search when it shows every such file listed: a night with nothing deleted costs a count.
    """
    paths = manifest.column("source_file")
    kept = pc.not_equal(manifest.column("status"), DELETED)
    if listed_known is not None and listed_known == pc.sum(kept.cast(pa.int64())).as_py():
        return pa.array([], pa.string())
    missing = pc.and_(kept, pc.invert(pc.is_in(paths, listed)))
    if present:
        missing = pc.and_(missing, pc.invert(pc.is_in(paths, string_array(present))))
    if unlisted:
        missing = pc.and_(missing, pc.invert(under_folders(paths, unlisted)))
    return paths.filter(missing).combine_chunks()


def folder_entries(paths: pa.Array | pa.ChunkedArray) -> pa.Array:
    """True for the entries that are folders (a reject row of a folder ends in `/`): gone,
    they are a fault that passed, not a file deleted."""
    return pc.fill_null(pc.ends_with(paths, "/"), False)


def contested_ids(manifest: pa.Table, touched: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The article ids whose winner must be settled again: carried by more than one file, one
    of them in `touched` (read this run, gone, or not followed). Every file still carrying one
    is then read again, so the winner is chosen among all of them, as a full refresh would. (An
    id one file carries needs no contest: that file's outcome decides.)"""
    carries = pc.fill_null(pc.is_in(manifest.column("status"), CARRIERS), False)
    ids = manifest.column("article_id")
    # Probes of the manifest into the few touched files and their ids: no hash of a million.
    mine = pc.and_(carries, pc.is_in(manifest.column("source_file"), touched))
    candidates = pc.unique(ids.filter(mine)).drop_null()
    if not len(candidates):
        return candidates
    sharing = pc.and_(carries, pc.fill_null(pc.is_in(ids, candidates), False))
    counts = pc.value_counts(ids.filter(sharing))
    return counts.field("values").filter(pc.greater(counts.field("counts"), 1))


def implausible(days: pa.Array, latest: dt.date | None) -> pa.Array:
    """True where a known published date is outside the plausible range (a manifest written
    before dates were checked: the file is read again and its date becomes NULL)."""
    if latest is None:
        return pa.repeat(False, len(days))
    early = pc.less(days, pa.scalar(EARLIEST_PUBLISHED_DATE, pa.date32()))
    late = pc.greater(days, pa.scalar(latest, pa.date32()))
    return pc.fill_null(pc.or_(early, late), False)


def standing_winners(
    manifest: pa.Table,
    replaced: pa.Array | pa.ChunkedArray,
    gone: pa.Array | pa.ChunkedArray,
    unchanged: pa.Table | None = None,
) -> pa.Table:
    """The manifest's loaded entries that keep their article unless beaten: not `replaced`
    (read this run with another outcome than unchanged) nor gone. A file read now with the
    same id competes with them. `unchanged` (source_file, mtime_ns) gives the mtime of those
    read and found unchanged (touched): the one a full refresh would compare."""
    paths = manifest.column("source_file")
    keep = pc.and_(
        pc.equal(manifest.column("status"), FileStatus.LOADED),
        pc.invert(pc.or_(pc.is_in(paths, replaced), pc.is_in(paths, gone))),
    )
    standing = manifest.select(["source_file", "mtime_ns", "article_id"]).filter(keep)
    if unchanged is None or not unchanged.num_rows:
        return standing
    now = pc.index_in(standing.column("source_file"), unchanged.column("source_file"))
    mtime = pc.coalesce(pc.take(unchanged.column("mtime_ns"), now), standing.column("mtime_ns"))
    return standing.set_column(1, "mtime_ns", mtime)


def removed_ids(
    manifest: pa.Table,
    touched: pa.Array | pa.ChunkedArray,
    loaded_now: pa.Array | pa.ChunkedArray,
) -> pa.Array:
    """The articles a load removes: loaded from a file read this run or gone (`touched`), and
    loaded from no file now (`loaded_now`: the ids the load's winners carry)."""
    was = pc.and_(
        pc.equal(manifest.column("status"), FileStatus.LOADED),
        pc.is_in(manifest.column("source_file"), touched),
    )
    ids = pc.unique(manifest.column("article_id").filter(pc.fill_null(was, False))).drop_null()
    return ids.filter(pc.invert(pc.is_in(ids, loaded_now)))
