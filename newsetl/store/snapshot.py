"""Warehouse snapshots: build the next state beside the current one, then swap one symlink.

Layout: `warehouse/current -> _snapshots/<load_id>`, and each of LINKED_DIRS (the data tables,
the derived tables, `_state`) is a fixed symlink through `current`. A load writes a complete new
snapshot (unchanged partitions are hard links, so this costs one link per partition), then renames
a new `current` link over the old one. That rename is the commit: a reader, or a run killed at any
moment, sees the old state or the new one, never a mix.

news.duckdb reads one snapshot by its own path (`_snapshots/<load_id>/...`, never through
`current`), so a connection answers from one state however many loads commit meanwhile. A
snapshot stays while it is current or news.duckdb reads it, then for the retention time
($NEWSETL_SNAPSHOT_RETENTION_HOURS) after readers stopped being handed it:
`_snapshots/.released/<id>` records when that was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from newsetl.settings import (
    ARTICLES_TABLE,
    DATA_TABLES,
    DATABASE_SNAPSHOTS_FILE,
    DERIVED_TABLES,
    SNAPSHOT_RETENTION_HOURS,
    STATE_DIR,
)
from newsetl.store.write import fsync_dir, partition_keys_on_disk, replace_atomically

SNAPSHOTS_DIR = "_snapshots"
CURRENT_LINK = "current"
# Older warehouses kept a link to the snapshot before the current one; a commit removes it.
PREVIOUS_LINK = "previous"
# Under _snapshots: one file per released snapshot, holding when readers stopped being handed it.
RELEASED_DIR = ".released"
# The snapshot made of tables written before snapshots existed: it comes before every load.
ADOPTED_SNAPSHOT = "00000000T000000Z-adopted"
LINKED_DIRS = (*DATA_TABLES, *DERIVED_TABLES, STATE_DIR)


def current_snapshot(warehouse_dir: Path, link_name: str = CURRENT_LINK) -> Path | None:
    """The committed snapshot directory, or None for a new warehouse."""
    link = warehouse_dir / link_name
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def snapshot_names(warehouse_dir: Path) -> list[str]:
    """The snapshots in the warehouse's `_snapshots/`, by name (a load id), sorted: the oldest
    first. Entries starting with `.` (the released marks, temporaries) are none."""
    root = warehouse_dir / SNAPSHOTS_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def holds_snapshot(warehouse_dir: Path) -> bool:
    """Whether the folder holds tables a load wrote: a `current` link, a snapshot, or the tables
    themselves (written before snapshots, or restored with their links followed), which a build
    adopts or refuses. Without any, a build could only make an empty database."""
    if any(os.path.lexists(warehouse_dir / name) for name in (CURRENT_LINK, *LINKED_DIRS)):
        return True
    return bool(snapshot_names(warehouse_dir))


def incomplete_derived_tables(snapshot: Path) -> dict[str, list[str]]:
    """The derived tables of a snapshot that hold some of the articles' partitions but not all,
    each with the partitions it lacks (`year=YYYY/month=MM`). A table with none at all is from
    before that table existed, which the build reads as empty and search does without (its
    next load writes it); one with some is not a state any load leaves, and a build over it
    would miss those months silently."""
    articles = partition_keys_on_disk(snapshot / ARTICLES_TABLE)
    incomplete = {}
    for table in DERIVED_TABLES:
        held = partition_keys_on_disk(snapshot / table)
        if held and articles - held:
            incomplete[table] = [f"year={y}/month={m}" for y, m in sorted(articles - held)]
    return incomplete


def snapshot_dir(warehouse_dir: Path, load_id: str) -> Path:
    """Where the snapshot of a load is built (not visible until committed)."""
    return warehouse_dir / SNAPSHOTS_DIR / load_id


def link_or_copy(source: Path, target: Path) -> None:
    """Share an unchanged file with the new snapshot: a hard link, or a copy where none can be."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _replace_symlink(link: Path, target: str) -> None:
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, link)


def adopt_plain_directories(warehouse_dir: Path) -> None:
    """Move tables written as plain directories (before snapshots existed) into a snapshot."""
    plain = [warehouse_dir / name for name in LINKED_DIRS]
    plain = [path for path in plain if path.is_dir() and not path.is_symlink()]
    if not plain or current_snapshot(warehouse_dir) is not None:
        return
    snapshot = snapshot_dir(warehouse_dir, ADOPTED_SNAPSHOT)
    snapshot.mkdir(parents=True, exist_ok=True)
    for path in plain:
        os.replace(path, snapshot / path.name)
    commit_snapshot(warehouse_dir, snapshot)


def commit_snapshot(warehouse_dir: Path, snapshot: Path) -> None:
    """Make `snapshot` the warehouse's state in one atomic rename, then fix the table links."""
    for name in LINKED_DIRS:
        (snapshot / name).mkdir(parents=True, exist_ok=True)
    for directory, _, _ in os.walk(snapshot, topdown=False):
        fsync_dir(Path(directory))
    fsync_dir(snapshot.parent)
    before = current_snapshot(warehouse_dir)
    if before is not None and before != snapshot:
        # Marked before the swap: a commit that dies after this only makes the mark early.
        release_snapshots(warehouse_dir, [before.name])
    _replace_symlink(warehouse_dir / CURRENT_LINK, snapshot.relative_to(warehouse_dir).as_posix())
    if (warehouse_dir / PREVIOUS_LINK).is_symlink():
        (warehouse_dir / PREVIOUS_LINK).unlink()
    for name in LINKED_DIRS:
        link = warehouse_dir / name
        if not link.is_symlink():
            _replace_symlink(link, f"{CURRENT_LINK}/{name}")
    fsync_dir(warehouse_dir)


def database_snapshots(warehouse_dir: Path) -> set[str]:
    """The snapshots the news.duckdb in place may read (DATABASE_SNAPSHOTS_FILE): the one it
    was built on, and during a build the one the next database reads too."""
    try:
        text = (warehouse_dir / DATABASE_SNAPSHOTS_FILE).read_text()
    except FileNotFoundError:
        return set()
    return {line.strip() for line in text.splitlines() if line.strip()}


def set_database_snapshots(warehouse_dir: Path, names: Iterable[str]) -> None:
    """Record the snapshots news.duckdb may read (atomically; written by builds only)."""
    text = "".join(f"{name}\n" for name in sorted(set(names)))
    replace_atomically(
        warehouse_dir / DATABASE_SNAPSHOTS_FILE, lambda temporary: temporary.write_text(text)
    )


def release_snapshots(
    warehouse_dir: Path, names: Iterable[str], now: dt.datetime | None = None
) -> None:
    """Record that readers stop being handed these snapshots now: their retention starts."""
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat()
    folder = warehouse_dir / SNAPSHOTS_DIR / RELEASED_DIR
    for name in names:
        folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(folder / name, lambda temporary: temporary.write_text(stamp + "\n"))


def released_snapshots(warehouse_dir: Path) -> dict[str, dt.datetime]:
    """When each released snapshot stopped being handed to readers (release_snapshots)."""
    folder = warehouse_dir / SNAPSHOTS_DIR / RELEASED_DIR
    found: dict[str, dt.datetime] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.name.startswith("."):
            continue  # a temporary of release_snapshots
        try:
            found[path.name] = dt.datetime.fromisoformat(path.read_text().strip())
        except (OSError, ValueError):  # unreadable: its file's time is the next best
            found[path.name] = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return found


def prune_snapshots(
    warehouse_dir: Path,
    retention_hours: float = SNAPSHOT_RETENTION_HOURS,
    now: dt.datetime | None = None,
) -> list[Path]:
    """Delete the snapshots no reader can still be using: all but the current one, those
    news.duckdb reads (database_snapshots), and those released less than `retention_hours`
    ($NEWSETL_SNAPSHOT_RETENTION_HOURS: Settings.snapshot_retention_hours) before `now`. The
    rest are older states, or leftovers of loads that died before their commit. Call only while
    holding the writer lock. Returns what was deleted.
    """
    root = warehouse_dir / SNAPSHOTS_DIR
    if not root.is_dir():
        return []
    oldest = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(hours=retention_hours)
    current = current_snapshot(warehouse_dir)
    if current is None and (warehouse_dir / CURRENT_LINK).is_symlink():
        return []  # a link naming no snapshot: the one it meant may be among them
    released = released_snapshots(warehouse_dir)
    keep = database_snapshots(warehouse_dir) | {
        name for name, when in released.items() if when > oldest
    }
    if current is not None:
        keep.add(current.name)
    deleted = []
    for path in sorted(root.iterdir()):
        if path.name != RELEASED_DIR and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            deleted.append(path)
    for name in released:
        if name not in keep or not (root / name).is_dir():
            (root / RELEASED_DIR / name).unlink(missing_ok=True)
    return deleted
