"""Warehouse snapshots: build the next state beside the current one, then swap one symlink.

Layout: `warehouse/current -> _snapshots/<load_id>`, and each of LINKED_DIRS (the data tables,
the derived tables, `_state`) is a fixed symlink through `current`. A load writes a complete new
snapshot (unchanged partitions are hard links, so this costs one link per partition), then renames
a new `current` link over the old one. That rename is the commit: a reader, or a run killed at any
moment, sees the old state or the new one, never a mix.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from newsetl.settings import DATA_TABLES, DERIVED_TABLES, STATE_DIR
from newsetl.store.write import fsync_dir

SNAPSHOTS_DIR = "_snapshots"
CURRENT_LINK = "current"
PREVIOUS_LINK = "previous"
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
    _replace_symlink(warehouse_dir / CURRENT_LINK, snapshot.relative_to(warehouse_dir).as_posix())
    if before is not None and before != snapshot:
        _replace_symlink(
            warehouse_dir / PREVIOUS_LINK, before.relative_to(warehouse_dir).as_posix()
        )
    for name in LINKED_DIRS:
        link = warehouse_dir / name
        if not link.is_symlink():
            _replace_symlink(link, f"{CURRENT_LINK}/{name}")
    fsync_dir(warehouse_dir)


def prune_snapshots(warehouse_dir: Path) -> list[Path]:
    """Delete every snapshot but the current one and the one before it (readers may still be
    reading that); the rest are older states or leftovers of loads that died before their
    commit. Call only while holding the writer lock. Returns what was deleted.
    """
    root = warehouse_dir / SNAPSHOTS_DIR
    if not root.is_dir():
        return []
    keep = {
        snapshot.name
        for snapshot in (
            current_snapshot(warehouse_dir),
            current_snapshot(warehouse_dir, PREVIOUS_LINK),
        )
        if snapshot is not None
    }
    deleted = []
    for path in sorted(root.iterdir()):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            deleted.append(path)
    return deleted
