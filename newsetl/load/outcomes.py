"""Apply one load's per-file outcomes (Arrow columns) to the manifest and rejects; count them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.load.discover import RETRIED_REASONS
from newsetl.load.outcome_table import FileOutcome, Outcomes, as_outcomes
from newsetl.load.removals import DELETED, DELETED_DETAIL, folder_entries
from newsetl.store.manifest import FileStatus, Manifest, ManifestEntry, as_manifest
from newsetl.store.schema import MANIFEST, UTC_TIMESTAMP
from newsetl.store.state import Reject
from newsetl.store.write import PartitionKey, split_by_partition, version_keys

STATES = (FileStatus.LOADED, FileStatus.UNCHANGED, FileStatus.DUPLICATE, FileStatus.REJECTED)

OutcomesLike = Outcomes | Iterable[FileOutcome]


def settle_duplicates(outcomes: OutcomesLike) -> Outcomes:
    """Of several loaded files with one article id, the newest (mtime, then path) wins.

    The others become duplicates, with the winner named in their detail. Like every step
    here, it computes on the columns: a million files cost no Python object each, only the
    duplicates, flagged copies and rejects do.
    """
    outcomes = as_outcomes(outcomes)
    table = outcomes.table
    contending = _loaded(table, "article_id", truthy=False)
    if _all_distinct(table.column("article_id").filter(contending)):
        return outcomes  # no id loaded twice: the common case, decided without sorting
    rows = pc.indices_nonzero(contending)
    contenders = table.select(["article_id", "mtime_ns", "source_file"]).take(rows)
    contenders = contenders.append_column("row", rows)
    # Each id's rows newest first (the sort is stable): the first of each run of one id wins.
    ranked = contenders.sort_by(
        [("article_id", "ascending"), ("mtime_ns", "descending"), ("source_file", "descending")]
    )
    ids = ranked.column("article_id").combine_chunks()
    first = pa.concat_arrays(
        [pa.array([True]), pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))]
    )
    files = ranked.column("source_file").combine_chunks()
    winner = pc.fill_null_forward(pc.if_else(first, files, pa.nulls(len(files), pa.string())))
    losers = pc.invert(first)
    return _replaced(
        outcomes,
        ranked.column("row").filter(losers),
        FileStatus.DUPLICATE,
        pc.binary_join_element_wise("superseded by ", winner.filter(losers), ""),
    )


def settle_against_standing(outcomes: OutcomesLike, standing: pa.Table) -> Outcomes:
    """Loaded outcomes whose id a `standing` file holds (newsetl.load.removals.standing_winners: a
    loaded file not read this run) compete with it by settle_duplicates' rule; where the
    standing file is newer (mtime, then path), the outcome becomes a duplicate superseded by it.

    So a new copy of an article loses to a newer file loaded earlier, as in a full refresh.
    """
    outcomes = as_outcomes(outcomes)
    table = outcomes.table
    if not standing.num_rows:
        return outcomes
    held = pc.index_in(table.column("article_id"), standing.column("article_id"))
    contending = pc.fill_null(
        pc.and_(_loaded(table, "article_id", truthy=False), pc.is_valid(held)), False
    )
    if not pc.any(contending).as_py():
        return outcomes
    rows = pc.indices_nonzero(contending)
    held = pc.take(held, rows)
    mtime, path = (pc.take(standing.column(name), held) for name in ("mtime_ns", "source_file"))
    own_mtime, own_path = (
        pc.take(table.column(name), rows) for name in ("mtime_ns", "source_file")
    )
    newer = pc.or_(
        pc.greater(mtime, own_mtime),
        pc.and_(pc.equal(mtime, own_mtime), pc.greater(path, own_path)),
    )
    return _replaced(
        outcomes,
        rows.filter(newer),
        FileStatus.DUPLICATE,
        pc.binary_join_element_wise("superseded by ", path.filter(newer), ""),
    )


def flag_identical_content(outcomes: OutcomesLike) -> Outcomes:
    """Loaded files with byte-identical content under different ids: each names the other.

    Both stay loaded (their ids differ, so both are articles), but an analyst should know.
    """
    outcomes = as_outcomes(outcomes)
    table = outcomes.table
    rows = pc.indices_nonzero(_loaded(table, "sha256", truthy=True))
    # Copies are rare. The first 16 characters of each hash (64 bits of a sha256) tell almost
    # every file apart, in a fifth of the memory the whole hashes take to compare; only files
    # whose prefix repeats are compared in full.
    prefixes = pc.utf8_slice_codeunits(table.column("sha256"), 0, 16).take(rows)
    if _all_distinct(prefixes):
        return outcomes
    counts = pc.value_counts(prefixes)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    candidates = rows.filter(pc.is_in(prefixes, repeated))
    found = table.select(["sha256", "article_id", "source_file"]).take(candidates).to_pylist()
    groups: dict[str, list[int]] = {}
    for position, row in enumerate(found):
        groups.setdefault(row["sha256"], []).append(position)
    flagged: list[int] = []
    details: list[str] = []
    for members in groups.values():
        if len({found[m]["article_id"] for m in members}) > 1:
            for member in members:  # each names the others, in outcome order
                others = (found[m]["source_file"] for m in members if m != member)
                flagged.append(candidates[member].as_py())
                details.append("same content as " + ", ".join(others))
    if not flagged:
        return outcomes
    return _replaced(outcomes, pa.array(flagged, pa.uint64()), None, pa.array(details))


def _all_distinct(values: pa.Array | pa.ChunkedArray) -> bool:
    """True when no value (nulls aside) occurs twice."""
    distinct: int = pc.count_distinct(values).as_py()
    return bool(distinct == len(values) - values.null_count)


def _loaded(table: pa.Table, column: str, *, truthy: bool) -> pa.ChunkedArray:
    """Loaded rows with a value in the string `column`: any string, or (`truthy`) a non-empty
    one, as Python's truth test on the value would have it."""
    values = table.column(column)
    present = pc.fill_null(pc.not_equal(values, ""), False) if truthy else pc.is_valid(values)
    return pc.and_(pc.equal(table.column("status"), FileStatus.LOADED), present)


def _replaced(
    outcomes: Outcomes,
    rows: pa.Array | pa.ChunkedArray,
    status: str | None,
    details: pa.Array | pa.ChunkedArray,
) -> Outcomes:
    """The outcomes with these rows' detail (and status, unless None) replaced."""
    # For each row of the outcomes, the position of its replacement (null: kept as it was).
    position = pc.index_in(pa.array(range(len(outcomes)), pa.uint64()), rows.cast(pa.uint64()))
    result = outcomes.with_column(
        "detail", pc.coalesce(pc.take(details, position), outcomes.column("detail"))
    )
    if status is not None:
        statuses = pa.repeat(status, len(rows))
        result = result.with_column(
            "status", pc.coalesce(pc.take(statuses, position), outcomes.column("status"))
        )
    return result


def updated_manifest(
    manifest: Mapping[str, ManifestEntry],
    outcomes: OutcomesLike,
    load_id: str,
    now: dt.datetime,
) -> Manifest:
    """The manifest after a load: one entry per file read, older versions marked duplicate.

    A file read and found unchanged keeps its standing (loaded, duplicate or rejected). Only
    the entries the load touches are replaced, column by column: a first load of a million
    files builds no entry object, and a nightly run copies the other entries' columns once.
    """
    table = as_outcomes(outcomes).table
    before = as_manifest(manifest).to_table()
    previous = pc.index_in(table.column("source_file"), before.column("source_file"))

    def earlier(name: str) -> pa.ChunkedArray:
        return pc.take(before.column(name), previous)

    status = table.column("status")
    kept = pc.and_(  # read, found unchanged, and known: the entry keeps its standing
        pc.equal(status, FileStatus.UNCHANGED), pc.is_valid(previous)
    )
    stamp = pa.scalar(now, UTC_TIMESTAMP)
    columns = {
        **{name: table.column(name) for name in ("source_file", "size", "mtime_ns", "sha256")},
        **{
            name: pc.if_else(kept, earlier(name), table.column(name))
            for name in ("status", "detail", "article_id", "published_date")
        },
        "load_id": pa.repeat(load_id, table.num_rows),
        "first_seen": pc.coalesce(earlier("first_seen"), stamp),
        "last_loaded": pc.if_else(
            pc.equal(status, FileStatus.LOADED), stamp, earlier("last_loaded")
        ),
    }
    read = pa.table([columns[name] for name in MANIFEST.names], schema=MANIFEST)
    older = _superseded(before, table)
    older = older.filter(pc.invert(pc.is_in(older.column("source_file"), read.column(0))))
    return Manifest(before).with_rows(pa.concat_tables([older, read]))


def marked_deleted(manifest: Manifest, gone: pa.Array | pa.ChunkedArray, load_id: str) -> Manifest:
    """The manifest with these files (gone from raw/) marked deleted by this load; what else
    it knew of them (article, date, hash, when first seen and last loaded) is kept."""
    if not len(gone):
        return manifest
    table = manifest.to_table()
    # A folder's reject row (a folder that could not be listed, now can) is dropped, not
    # kept as a deleted file.
    folders = gone.filter(folder_entries(gone))
    if len(folders):
        table = table.filter(pc.invert(pc.is_in(table.column("source_file"), folders)))
        manifest = Manifest(table)
    rows = table.filter(pc.is_in(table.column("source_file"), gone))
    rows = _set(rows, "status", pa.repeat(DELETED, rows.num_rows))
    rows = _set(rows, "detail", pa.repeat(DELETED_DETAIL, rows.num_rows))
    return manifest.with_rows(_set(rows, "load_id", pa.repeat(load_id, rows.num_rows)))


def _superseded(before: pa.Table, outcomes: pa.Table) -> pa.Table:
    """The loaded entries of `before` whose article another file loads now, as duplicates."""
    if not before.num_rows:
        return before
    loaded = outcomes.select(["article_id", "source_file"]).filter(
        pc.equal(outcomes.column("status"), FileStatus.LOADED)
    )
    # Should one id be loaded twice (outcomes not settled), the last file wins, as in a dict.
    last_first = loaded.take(pa.array(range(loaded.num_rows - 1, -1, -1), pa.int64()))
    winner = pc.take(
        last_first.column("source_file"),
        pc.index_in(before.column("article_id"), last_first.column("article_id"), skip_nulls=True),
    )
    superseded = pc.fill_null(
        pc.and_(
            pc.equal(before.column("status"), FileStatus.LOADED),
            pc.not_equal(before.column("source_file"), winner),
        ),
        False,
    )
    older = before.filter(superseded)
    older = _set(older, "status", pa.repeat(FileStatus.DUPLICATE, older.num_rows))
    return _set(
        older,
        "detail",
        pc.binary_join_element_wise("superseded by ", winner.filter(superseded), ""),
    )


def _set(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), table.field(name), values)


def updated_rejects(
    rejects: Mapping[str, Reject], outcomes: OutcomesLike, load_id: str, now: dt.datetime
) -> dict[str, Reject]:
    """The rejects after a load: new ones added, files that now load dropped, and so are files
    rejected for now (RETRIED_REASONS) that were read and found unchanged: readable again."""
    table = as_outcomes(outcomes).table
    result = dict(rejects)
    rejected = table.filter(pc.equal(table.column("status"), FileStatus.REJECTED))
    for row in rejected.select(["source_file", "sha256", "reason", "detail"]).to_pylist():
        path = row["source_file"]
        earlier = result.get(path)
        result[path] = Reject(
            source_file=path,
            sha256=row["sha256"],
            reason=row["reason"] or "rejected",
            detail=row["detail"] or "",
            load_id=load_id,
            first_seen=earlier.first_seen if earlier else now,
        )
    if result:
        settled = pc.is_in(
            table.column("status"), pa.array([FileStatus.LOADED, FileStatus.DUPLICATE])
        )
        known = pc.is_in(table.column("source_file"), pa.array(list(result), pa.string()))
        for path in table.column("source_file").filter(pc.and_(settled, known)).to_pylist():
            result.pop(path, None)
        same = pc.and_(pc.equal(table.column("status"), FileStatus.UNCHANGED), known)
        for path in table.column("source_file").filter(same).to_pylist():
            if path in result and result[path].reason in RETRIED_REASONS:
                del result[path]
    return result


def count_states(outcomes: OutcomesLike, skipped_unchanged: int) -> dict[str, int]:
    """Files per state; `skipped_unchanged` counts the files not even read."""
    counts = dict.fromkeys(STATES, 0)
    for state in pc.value_counts(as_outcomes(outcomes).column("status")).to_pylist():
        counts[state["values"]] = counts.get(state["values"], 0) + state["counts"]
    counts[FileStatus.UNCHANGED] += skipped_unchanged
    return counts


def loaded_article_ids(outcomes: OutcomesLike) -> pa.Array:
    """The ids of the articles loaded (each once): what replaces their earlier versions."""
    table = as_outcomes(outcomes).table
    return pc.unique(table.column("article_id").filter(_loaded(table, "article_id", truthy=True)))


def winner_keys_by_partition(outcomes: OutcomesLike) -> dict[PartitionKey, pa.Array]:
    """`article_id NUL source_file` of every loaded file, by the partition of its date.

    What each partition's merge keeps of its staged rows (newsetl.store.write.merge_partition), as
    one Arrow array per partition rather than a Python object per file.
    """
    table = as_outcomes(outcomes).table
    columns = table.select(["article_id", "source_file", "published_date"])
    loaded = columns.filter(_loaded(table, "article_id", truthy=True))
    return {key: version_keys(rows).combine_chunks() for key, rows in split_by_partition(loaded)}
