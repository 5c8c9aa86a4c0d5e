"""The change history: which articles a load added, updated or removed, kept with every snapshot.

Each load that commits writes `_state/article_changes/<load_id>.parquet` (ARTICLE_CHANGES): the
difference between the `articles` table of the snapshot it builds on and of the one it commits,
by article id and content hash. It is computed from the two snapshots, not from what the load
read, so whatever made a row go (a deleted file, a duplicate id settled again, a file rejected on
a re-read) counts the same, and a full refresh records exactly what an incremental load over the
same raw files would. The files of earlier loads are hard-linked into each new snapshot: the
history is kept as long as the warehouse is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsetl.settings import (
    ARTICLES_TABLE,
    CHANGES_DIR,
    DERIVED_MEMORY_LIMIT,
    PARTITION_FILE,
    STATE_DIR,
)
from newsetl.store.snapshot import link_or_copy
from newsetl.store.sql import sql_literal, sql_path
from newsetl.store.write import copy_parquet_atomic, partition_dir, partition_keys_on_disk

ADDED, UPDATED, REMOVED = "added", "updated", "removed"
# The columns a change row takes from either side of the diff, with their types.
_COLUMNS = "article_id, content_sha256, title, published_date, source_file"
_EMPTY = (
    "(select null::varchar as article_id, null::varchar as content_sha256, null::varchar as "
    "title, null::date as published_date, null::varchar as source_file where false)"
)


@dataclass(frozen=True, slots=True)
class ChangeCounts:
    """How many articles one load added, updated and removed."""

    added: int = 0
    updated: int = 0
    removed: int = 0


def changes_dir(snapshot: Path) -> Path:
    """Where a snapshot keeps the change files of every load up to its own."""
    return snapshot / STATE_DIR / CHANGES_DIR


def changed_partition_files(old: Path | None, new: Path) -> tuple[list[Path], list[Path]]:
    """The `articles` partition files that differ between two snapshots (old side, new side).

    A partition the load did not touch is the same file in both, hard-linked: it cannot hold a
    change and is not read.
    """
    old_table = None if old is None else old / ARTICLES_TABLE
    new_table = new / ARTICLES_TABLE
    keys = partition_keys_on_disk(new_table)
    if old_table is not None:
        keys |= partition_keys_on_disk(old_table)
    before: list[Path] = []
    after: list[Path] = []
    for key in sorted(keys):
        relative = partition_dir(Path(), key) / PARTITION_FILE
        was = None if old_table is None else old_table / relative
        now = new_table / relative
        was = was if was is not None and was.is_file() else None
        now_exists = now.is_file()
        if was is not None and now_exists and os.path.samefile(was, now):
            continue
        if was is not None:
            before.append(was)
        if now_exists:
            after.append(now)
    return before, after


def _side(files: list[Path]) -> str:
    if not files:
        return _EMPTY
    listed = ", ".join(sql_path(path) for path in files)
    return f"(select {_COLUMNS} from read_parquet([{listed}], hive_partitioning = false))"


def changes_query(before: list[Path], after: list[Path], load_id: str) -> str:
    """The change rows between two sets of `articles` files, one per article whose content
    hash differs (added: not before; removed: not after), in article_id order."""
    return f"""
        with before as {_side(before)},
        after as {_side(after)}
        select
            cast(coalesce(after.article_id, before.article_id) as varchar) as article_id,
            cast({sql_literal(load_id)} as varchar) as load_id,
            cast(case
                when before.article_id is null then '{ADDED}'
                when after.article_id is null then '{REMOVED}'
                else '{UPDATED}'
            end as varchar) as change,
            cast(before.content_sha256 as varchar) as sha256_before,
            cast(after.content_sha256 as varchar) as sha256_after,
            cast(coalesce(after.title, before.title) as varchar) as title,
            cast(coalesce(after.published_date, before.published_date) as date)
                as published_date,
            cast(coalesce(after.source_file, before.source_file) as varchar) as source_file
        from before
        full outer join after on after.article_id = before.article_id
        where before.content_sha256 is distinct from after.content_sha256
        order by 1
    """


def write_article_changes(
    old: Path | None, new: Path, load_id: str, spill_dir: Path | None = None
) -> ChangeCounts:
    """Write the new snapshot's change history: the files of the loads before (hard links) and
    this load's changes, the diff of the two snapshots' articles. Call once the new snapshot's
    `articles` partitions are all written, before its commit."""
    target = changes_dir(new)
    target.mkdir(parents=True, exist_ok=True)
    if old is not None and changes_dir(old).is_dir():
        for earlier in sorted(changes_dir(old).glob("*.parquet")):
            link_or_copy(earlier, target / earlier.name)
    before, after = changed_partition_files(old, new)
    config: dict[str, str | bool | int | float | list[str]] = {"threads": 1}
    if spill_dir is not None:
        spill_dir.mkdir(parents=True, exist_ok=True)
        config |= {"memory_limit": DERIVED_MEMORY_LIMIT, "temp_directory": str(spill_dir)}
    path = target / f"{load_id}.parquet"
    with duckdb.connect(config=config) as con:
        copy_parquet_atomic(con, changes_query(before, after, load_id), path)
        rows = con.sql(
            f"select change, count(*) from read_parquet({sql_path(path)}) group by change"
        ).fetchall()
    counts = {str(change): int(n) for change, n in rows}
    return ChangeCounts(counts.get(ADDED, 0), counts.get(UPDATED, 0), counts.get(REMOVED, 0))
