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

from newsetl.store.schema import MANIFEST, string_array


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

    The rows stay an Arrow table, sorted by path: a load queries and replaces them column by
    column (`columns`, `with_rows`). `updated` lays a few changed entries (objects) over it
    without copying it. The path index and any column used per file by lookups are Python
    objects built on first use only: a load of a million files never needs them.
    """

    def __init__(
        self, table: pa.Table | None = None, changes: Mapping[str, ManifestEntry] | None = None
    ) -> None:
        self._table = MANIFEST.empty_table() if table is None else table
        self._lookup: dict[str, int] | None = None
        self._columns: dict[str, list[Any]] = {}
        self._changes: dict[str, ManifestEntry] = dict(changes or {})

    @classmethod
    def from_entries(cls, entries: Iterable[ManifestEntry]) -> Manifest:
        """A manifest of these entries (later ones win for the same path)."""
        return cls(changes={entry.source_file: entry for entry in entries})

    @property
    def _index(self) -> dict[str, int]:
        if self._lookup is None:
            paths = self._column("source_file")
            self._lookup = dict(zip(paths, range(len(paths)), strict=True))
        return self._lookup

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
        rows: int = self._table.num_rows
        if not self._changes:
            return rows
        return rows + sum(1 for path in self._changes if path not in self._index)

    def value(self, path: str, name: str) -> Any:
        """One field of one entry, without building the entry (KeyError if path is unknown)."""
        changed = self._changes.get(path)
        if changed is not None:
            return getattr(changed, name)
        return self._column(name)[self._index[path]]

    def columns(self, names: list[str]) -> pa.Table:
        """These columns of every entry, sorted by path (the stored table when nothing was
        laid over it: no copy)."""
        return (self.to_table() if self._changes else self._table).select(names)

    def loaded_with_article_ids(
        self, article_ids: Collection[str] | pa.Array | pa.ChunkedArray
    ) -> list[ManifestEntry]:
        """The loaded entries holding one of these articles (a vectorised scan, not a loop)."""
        value_set, wanted = _both_ways(article_ids, bool(self._changes))
        found = [
            entry
            for entry in self._changes.values()
            if entry.status == FileStatus.LOADED and entry.article_id in wanted
        ]
        if not len(value_set) or not self._table.num_rows:
            return found
        mask = pc.and_(
            pc.is_in(self._table.column("article_id"), value_set),
            pc.equal(self._table.column("status"), FileStatus.LOADED),
        )
        rows = self._table.filter(pc.fill_null(mask, False))
        if self._changes:
            laid_over = pa.array(list(self._changes), pa.string())
            rows = rows.filter(pc.invert(pc.is_in(rows.column("source_file"), laid_over)))
        # One conversion of the matching rows, not eleven scalar reads per entry.
        found.extend(ManifestEntry(**row) for row in rows.select(list(FIELDS)).to_pylist())
        return found

    def updated(self, changes: Mapping[str, ManifestEntry]) -> Manifest:
        """A new manifest with these entries added or replaced; this one is left as it was."""
        result = Manifest.__new__(Manifest)
        result._table, result._lookup = self._table, self._lookup
        result._columns = self._columns
        result._changes = {**self._changes, **changes}
        return result

    def with_rows(self, rows: pa.Table) -> Manifest:
        """A new manifest with these rows (MANIFEST columns, one per path) added or replacing
        the entries of their paths: the columnar `updated`, for a load's many changes."""
        current = self.to_table()
        kept = current.filter(
            pc.invert(pc.is_in(current.column("source_file"), rows.column("source_file")))
        )
        return Manifest(pa.concat_tables([kept, rows.cast(MANIFEST)]).sort_by("source_file"))

    def restricted_to(self, paths: Collection[str] | pa.Array | pa.ChunkedArray) -> Manifest:
        """Only the entries of these paths (a full refresh forgets files gone from raw/)."""
        value_set, wanted = _both_ways(paths, bool(self._changes))
        keep = pc.is_in(self._table.column("source_file"), value_set)
        changes = {path: entry for path, entry in self._changes.items() if path in wanted}
        return Manifest(self._table.filter(keep), changes)

    def to_table(self) -> pa.Table:
        """Every entry as one table in the MANIFEST schema, sorted by path."""
        if not self._changes:
            return self._table.cast(MANIFEST)
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


def _both_ways(
    values: Collection[str] | pa.Array | pa.ChunkedArray, as_python: bool
) -> tuple[pa.Array | pa.ChunkedArray, Collection[str]]:
    """Strings as an Arrow value set for the table, and (when `as_python`) as a Python
    collection for the entries laid over it, converting whichever side is missing."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values, set(values.to_pylist()) if as_python else ()
    return string_array(values), values


def as_manifest(entries: Mapping[str, ManifestEntry]) -> Manifest:
    """`entries` itself when it is a Manifest, else a Manifest of its values."""
    return entries if isinstance(entries, Manifest) else Manifest.from_entries(entries.values())
