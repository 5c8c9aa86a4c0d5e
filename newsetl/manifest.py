"""The manifest of raw files, kept as Arrow columns: a nightly run changes a few entries of a
million, so it reads, queries and rewrites the columns and builds Python objects for those few."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.schema import MANIFEST


class FileStatus:
    """The one state every raw file ends a load in."""

    LOADED = "loaded"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What the manifest remembers of one raw file (a row of `_state/manifest.parquet`)."""

    source_file: str
    size: int
    mtime_ns: int
    sha256: str | None
    status: str
    detail: str | None
    article_id: str | None
    published_date: dt.date | None
    load_id: str
    first_seen: dt.datetime
    last_loaded: dt.datetime | None


FIELDS = tuple(field.name for field in dataclasses.fields(ManifestEntry))


class Manifest(Mapping[str, ManifestEntry]):
    """Every raw file the warehouse has seen, by path relative to the raw dir.

    The rows read from disk stay an Arrow table; `updated` lays the few changed entries over it
    without copying it, and `to_table` writes base and changes back as columns. A column used
    per file (size, mtime, hash) is turned into a Python list once, on first use.
    """

    def __init__(
        self, table: pa.Table | None = None, changes: Mapping[str, ManifestEntry] | None = None
    ) -> None:
        self._table = MANIFEST.empty_table() if table is None else table
        paths: list[str] = self._table.column("source_file").to_pylist()
        self._index = dict(zip(paths, range(len(paths)), strict=True))
        self._columns: dict[str, list[Any]] = {"source_file": paths}
        self._changes: dict[str, ManifestEntry] = dict(changes or {})

    @classmethod
    def from_entries(cls, entries: Iterable[ManifestEntry]) -> Manifest:
        """A manifest of these entries (later ones win for the same path)."""
        return cls(changes={entry.source_file: entry for entry in entries})

    def _column(self, name: str) -> list[Any]:
        if name not in self._columns:
            self._columns[name] = self._table.column(name).to_pylist()
        return self._columns[name]

    def _entry(self, row: int) -> ManifestEntry:
        return ManifestEntry(*(self._table.column(name)[row].as_py() for name in FIELDS))

    def __getitem__(self, path: str) -> ManifestEntry:
        changed = self._changes.get(path)
        if changed is not None:
            return changed
        return self._entry(self._index[path])

    def __contains__(self, path: object) -> bool:
        return path in self._changes or path in self._index

    def __iter__(self) -> Iterator[str]:
        yield from (path for path in self._index if path not in self._changes)
        yield from self._changes

    def __len__(self) -> int:
        return len(self._index) + sum(1 for path in self._changes if path not in self._index)

    def value(self, path: str, name: str) -> Any:
        """One field of one entry, without building the entry (KeyError if path is unknown)."""
        changed = self._changes.get(path)
        if changed is not None:
            return getattr(changed, name)
        return self._column(name)[self._index[path]]

    def stats(self) -> dict[str, tuple[int, int]]:
        """(size, mtime_ns) of every entry by path: what a plan compares a listing with, built
        in one pass over the columns rather than one lookup per file."""
        paths = self._column("source_file")
        result = dict(
            zip(
                paths, zip(self._column("size"), self._column("mtime_ns"), strict=True), strict=True
            )
        )
        result.update((p, (e.size, e.mtime_ns)) for p, e in self._changes.items())
        return result

    def loaded_with_article_ids(self, article_ids: Collection[str]) -> list[ManifestEntry]:
        """The loaded entries holding one of these articles (a vectorised scan, not a loop)."""
        found = [
            entry
            for entry in self._changes.values()
            if entry.status == FileStatus.LOADED and entry.article_id in article_ids
        ]
        if not article_ids or not self._table.num_rows:
            return found
        mask = pc.and_(
            pc.is_in(self._table.column("article_id"), pa.array(list(article_ids), pa.string())),
            pc.equal(self._table.column("status"), FileStatus.LOADED),
        )
        paths = self._column("source_file")
        for row in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist():
            if paths[row] not in self._changes:
                found.append(self._entry(row))
        return found

    def updated(self, changes: Mapping[str, ManifestEntry]) -> Manifest:
        """A new manifest with these entries added or replaced; this one is left as it was."""
        result = Manifest.__new__(Manifest)
        result._table, result._index = self._table, self._index
        result._columns = self._columns
        result._changes = {**self._changes, **changes}
        return result

    def restricted_to(self, paths: Collection[str]) -> Manifest:
        """Only the entries of these paths (a full refresh forgets files gone from raw/)."""
        keep = pc.is_in(self._table.column("source_file"), pa.array(list(paths), pa.string()))
        changes = {path: entry for path, entry in self._changes.items() if path in paths}
        return Manifest(self._table.filter(keep), changes)

    def to_table(self) -> pa.Table:
        """Every entry as one table in the MANIFEST schema, sorted by path."""
        entries = [self._changes[path] for path in sorted(self._changes)]
        # One column at a time: a million-row first load never holds eleven Python lists.
        changed = pa.Table.from_arrays(
            [
                pa.array([getattr(entry, field.name) for entry in entries], field.type)
                for field in MANIFEST
            ],
            schema=MANIFEST,
        )
        if not self._table.num_rows:
            return changed  # sorted already (str order is UTF-8 byte order): no second copy
        paths = pa.array(list(self._changes), pa.string())
        base = self._table.filter(pc.invert(pc.is_in(self._table.column("source_file"), paths)))
        return pa.concat_tables([base.cast(MANIFEST), changed]).sort_by("source_file")


def as_manifest(entries: Mapping[str, ManifestEntry]) -> Manifest:
    """`entries` itself when it is a Manifest, else a Manifest of its values."""
    return entries if isinstance(entries, Manifest) else Manifest.from_entries(entries.values())
