"""A warehouse published to an fsspec URL (s3://, gs://, memory://): pull, publish and prune it.

The writer works on a local copy (snapshots, hard links, one rename per commit:
newsetl.store.snapshot) and publishes each committed snapshot to the store under
`_snapshots/<load_id>/`: the files the load wrote are uploaded, the ones it shared with the
store's current snapshot are copied on the store (a server-side copy on S3 and GCS, no
transfer). Then the pointer object `CURRENT` is replaced with the new snapshot's id: the store's
commit, since a put of one object is atomic. Readers resolve `CURRENT` (or open the published
`news.duckdb`, whose views name one snapshot).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsetl.settings import (
    DATABASE_FILE,
    PUBLISHED_DATABASE,
    STAGING_DIR,
    STATE_DIR,
    STORE_CURRENT,
    WRITER_CONCURRENCY_LIMIT,
)
from newsetl.store.raw import filesystem
from newsetl.store.snapshot import (
    ADOPTED_SNAPSHOT,
    SNAPSHOTS_DIR,
    commit_snapshot,
    current_snapshot,
    snapshot_dir,
)
from newsetl.store.state import read_loads

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem


class StoreDivergedError(RuntimeError):
    """The store's snapshot is not one the snapshot to publish builds on: another writer
    published meanwhile, and publishing would drop what it loaded."""


@dataclass(slots=True)
class PublishSummary:
    """What one publish did on the store."""

    snapshot: str
    url: str
    uploaded: int = 0
    uploaded_bytes: int = 0
    copied: int = 0
    pruned: int = 0


def _root(url: str) -> tuple[AbstractFileSystem, str]:
    fs, root = filesystem(url)
    return fs, root.rstrip("/")


def _read_text(fs: AbstractFileSystem, path: str) -> str | None:
    try:
        return bytes(fs.cat_file(path)).decode().strip() or None
    except FileNotFoundError:
        return None


def published_snapshot(url: str) -> str | None:
    """The id of the store's current snapshot (its `CURRENT` object), or None for a new store."""
    fs, root = _root(url)
    return _read_text(fs, f"{root}/{STORE_CURRENT}")


def pull_snapshot(url: str, warehouse_dir: Path) -> str | None:
    """Make the store's current snapshot the local copy's, downloading it if the copy lacks it.

    A local copy that is at that snapshot or builds on it (a load committed here whose publish
    failed: the next publish sends it) is left as it is. One that does not (another writer
    published meanwhile) is set aside: its files are in raw/ still, and not in the store's
    manifest, so the load reads them again. Call with the writer lock held.
    Returns the store's snapshot id, or None when the store has none yet.
    """
    published = published_snapshot(url)
    if published is None:
        return None
    local = current_snapshot(warehouse_dir)
    if local is not None and _builds_on(local, published):
        return published
    target = snapshot_dir(warehouse_dir, published)
    if not target.is_dir():
        fs, root = _root(url)
        prefix = f"{root}/{SNAPSHOTS_DIR}/{published}"
        remote = sorted(fs.find(prefix))
        partial = target.with_name(f".{published}.download")
        shutil.rmtree(partial, ignore_errors=True)
        local_files = [str(partial / path[len(prefix) + 1 :]) for path in remote]
        for folder in {Path(path).parent for path in local_files}:
            folder.mkdir(parents=True, exist_ok=True)
        if remote:
            fs.get(remote, local_files)
        partial.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)
    commit_snapshot(warehouse_dir, target)
    return published


def _builds_on(snapshot: Path, ancestor: str) -> bool:
    """Whether `snapshot` is `ancestor` or was loaded onto it: every snapshot's ledger of loads
    (the `loads` table) holds the ids of all loads before it, and a snapshot is named by its load.
    """
    if snapshot.name == ancestor or ancestor == ADOPTED_SNAPSHOT:  # adopted: before any load
        return True
    return any(record.load_id == ancestor for record in read_loads(snapshot / STATE_DIR))


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def publish_snapshot(warehouse_dir: Path, url: str) -> PublishSummary | None:
    """Send the local copy's current snapshot to the store and point `CURRENT` at it.

    Idempotent: a snapshot the store already points at is not sent again, so a run whose
    publish failed is published by the next one, even when that one has nothing new.
    Returns None when there is nothing to publish (no snapshot, or the store is up to date).
    """
    local = current_snapshot(warehouse_dir)
    published = published_snapshot(url)
    if local is None or local.name == published:
        return None
    if published is not None and not _builds_on(local, published):
        raise StoreDivergedError(
            f"{url} is at snapshot {published}, which this copy's {local.name} does not build "
            "on: another writer published meanwhile (one writer at a time: the deployments hold "
            f"the Prefect concurrency limit {WRITER_CONCURRENCY_LIMIT}); run the load again: it "
            "starts from the store's snapshot"
        )
    summary = PublishSummary(local.name, url)
    fs, root = _root(url)
    shared_with = None if published is None else snapshot_dir(warehouse_dir, published)
    store = f"{root}/{SNAPSHOTS_DIR}"
    uploads: tuple[list[str], list[str]] = ([], [])
    copies: tuple[list[str], list[str]] = ([], [])
    for file in sorted(path for path in local.rglob("*") if path.is_file()):
        relative = file.relative_to(local).as_posix()
        target = f"{store}/{local.name}/{relative}"
        # A file the load hard-linked from the published snapshot is already on the store.
        if shared_with is not None and _same_file(shared_with / relative, file):
            copies[0].append(f"{store}/{published}/{relative}")
            copies[1].append(target)
        else:
            uploads[0].append(str(file))
            uploads[1].append(target)
            summary.uploaded_bytes += file.stat().st_size
    # Lists in one call: an async backend (s3fs, gcsfs) sends them concurrently.
    if uploads[0]:
        fs.put(*uploads)
    if copies[0]:
        fs.copy(*copies)
    summary.uploaded, summary.copied = len(uploads[0]), len(copies[0])
    fs.pipe_file(f"{root}/{STORE_CURRENT}", f"{local.name}\n".encode())
    database = published_database(url)
    keep = {local.name, published, None if database is None else database.split()[0]}
    summary.pruned = len(prune_store(url, keep))
    return summary


def prune_store(url: str, keep: set[str | None]) -> list[str]:
    """Delete the store's snapshots not in `keep` (the current one, the one before it, and the
    one the published news.duckdb reads): older states and leftovers of failed publishes."""
    fs, root = _root(url)
    store = f"{root}/{SNAPSHOTS_DIR}"
    if not fs.isdir(store):
        return []
    deleted = []
    for path in sorted(fs.ls(store, detail=False)):
        if path.rstrip("/").rsplit("/", 1)[-1] not in keep:
            fs.rm(path, recursive=True)
            deleted.append(path)
    return deleted


def staging_url(url: str, load_id: str | None = None) -> str:
    """Where Dask workers stage a load's rows on the store: `_staging/<load_id>`, or with no id
    the folder of every load's."""
    base = f"{url.rstrip('/')}/{STAGING_DIR}"
    return base if load_id is None else f"{base}/{load_id}"


def remove_store_staging(location: str) -> None:
    """Delete staging files on the store: one load's (staging_url) or every load's."""
    fs, path = filesystem(location)
    if fs.exists(path):
        fs.rm(path, recursive=True)


def snapshot_url(url: str, snapshot: str) -> str:
    """The URL of one snapshot's folder on the store (what published views read)."""
    return f"{url.rstrip('/')}/{SNAPSHOTS_DIR}/{snapshot}"


def database_url(url: str) -> str:
    """The URL of the news.duckdb published on the store (upload_database)."""
    return f"{url.rstrip('/')}/{DATABASE_FILE}"


def upload_database(database: Path, url: str, record: str) -> None:
    """Upload a database built for the store (its views read one snapshot there by URL), then
    the record of what it was built from: the snapshot id on its first line.

    Analysts attach it read-only (`attach 's3://bucket/wh/news.duckdb' (read_only)` with
    DuckDB's httpfs), or download it.
    """
    fs, root = _root(url)
    fs.put_file(str(database), f"{root}/{DATABASE_FILE}")
    fs.pipe_file(f"{root}/{PUBLISHED_DATABASE}", f"{record}\n".encode())


def published_database(url: str) -> str | None:
    """The record of the store's news.duckdb (see upload_database), or None without one."""
    fs, root = _root(url)
    return _read_text(fs, f"{root}/{PUBLISHED_DATABASE}")
