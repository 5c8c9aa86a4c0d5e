"""The warehouse's own state files: the manifest of raw files, the load ledger and the rejects."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsetl.settings import LOADS_FILE, MANIFEST_FILE, REJECTS_FILE
from newsetl.store.manifest import Manifest, ManifestEntry, as_manifest
from newsetl.store.schema import LOADS, MANIFEST, REJECTED_FILES
from newsetl.store.write import write_parquet_atomic


@dataclass(frozen=True, slots=True)
class Reject:
    """A raw file that could not be loaded, and why (a row of `rejected_files`)."""

    source_file: str
    sha256: str | None
    reason: str
    detail: str
    load_id: str
    first_seen: dt.datetime


@dataclass(frozen=True, slots=True)
class LoadRecord:
    """One line of the load ledger."""

    load_id: str
    kind: str
    started_at: dt.datetime
    finished_at: dt.datetime
    status: str
    files_seen: int
    files_loaded: int
    files_unchanged: int
    files_duplicate: int
    files_rejected: int
    articles_written: int
    photos_written: int
    partitions_written: int
    # Columns added later default to 0 for a ledger written before them (read_loads).
    files_deleted: int = 0
    articles_removed: int = 0
    # None for a load from before the change history (newsetl/load/changes.py).
    articles_added: int | None = None
    articles_updated: int | None = None


def _read(path: Path, schema: pa.Schema) -> list[dict[str, Any]]:
    """The rows of a state file; a column the file lacks (written before it existed) is left
    out, for the row's dataclass default."""
    if not path.exists():
        return []
    names = set(pq.read_schema(path).names)
    present = pa.schema([field for field in schema if field.name in names])
    rows: list[dict[str, Any]] = pq.read_table(path, schema=present).to_pylist()
    return rows


def _write(rows: Iterable[Any], schema: pa.Schema, path: Path, sort_key: str) -> None:
    records = sorted((dataclasses.asdict(row) for row in rows), key=lambda r: r[sort_key])
    write_parquet_atomic(pa.Table.from_pylist(records, schema=schema), path)


def read_manifest(state_dir: Path) -> Manifest:
    """Every raw file the warehouse has seen, by path relative to the raw dir (kept as columns)."""
    path = state_dir / MANIFEST_FILE
    return Manifest(pq.read_table(path, schema=MANIFEST) if path.exists() else None)


def write_manifest(state_dir: Path, entries: Mapping[str, ManifestEntry]) -> None:
    """Replace the manifest (atomically; it is the last thing a load writes)."""
    write_parquet_atomic(as_manifest(entries).to_table(), state_dir / MANIFEST_FILE)


def read_rejects(state_dir: Path) -> dict[str, Reject]:
    """The files currently rejected, by path."""
    return {
        row["source_file"]: Reject(**row) for row in _read(state_dir / REJECTS_FILE, REJECTED_FILES)
    }


def write_rejects(state_dir: Path, rejects: Mapping[str, Reject]) -> None:
    """Replace the rejected-files table."""
    _write(rejects.values(), REJECTED_FILES, state_dir / REJECTS_FILE, "source_file")


def read_loads(state_dir: Path) -> list[LoadRecord]:
    """The load ledger, oldest first."""
    return [LoadRecord(**row) for row in _read(state_dir / LOADS_FILE, LOADS)]


def write_loads(state_dir: Path, records: Iterable[LoadRecord]) -> None:
    """Replace the load ledger."""
    _write(records, LOADS, state_dir / LOADS_FILE, "started_at")
