"""Per-file outcomes of a load as Arrow columns: a million files cost columns, not objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from newsetl.load.discover import RawFile
from newsetl.store.schema import rows_of, table_from_rows

OUTCOMES = pa.schema(
    [
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("sha256", pa.string()),
        pa.field("article_id", pa.string()),
        pa.field("published_date", pa.date32()),
        pa.field("reason", pa.string()),
        pa.field("detail", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What a load did with one file it read (one row of an Outcomes table)."""

    raw: RawFile
    status: str
    sha256: str | None = None
    article_id: str | None = None
    published_date: dt.date | None = None
    reason: str | None = None
    detail: str | None = None


def _row(outcome: FileOutcome) -> tuple[Any, ...]:
    raw = outcome.raw
    return (
        raw.source_file,
        raw.size,
        raw.mtime_ns,
        outcome.status,
        outcome.sha256,
        outcome.article_id,
        outcome.published_date,
        outcome.reason,
        outcome.detail,
    )


class Outcomes:
    """The outcomes of a batch or a whole load, one row per file in the OUTCOMES schema.

    A worker builds its batch's table (a few thousand rows) and the parent concatenates them
    without copying; the load's steps (newsetl.load.outcomes) compute on the columns. Iterating
    yields FileOutcome objects, a chunk at a time, for the few places that want rows.
    """

    __slots__ = ("table",)

    def __init__(self, table: pa.Table | None = None) -> None:
        self.table: pa.Table = OUTCOMES.empty_table() if table is None else table

    @classmethod
    def of(cls, outcomes: Iterable[FileOutcome]) -> Outcomes:
        """A table of these outcomes, in order, converted a chunk at a time."""
        return cls(table_from_rows(map(_row, outcomes), OUTCOMES))

    @classmethod
    def concat(cls, parts: Iterable[Outcomes]) -> Outcomes:
        """One table of every part's rows, in order; the parts' buffers are shared, not copied."""
        tables = [part.table for part in parts]
        return cls(pa.concat_tables(tables) if tables else None)

    def __len__(self) -> int:
        rows: int = self.table.num_rows
        return rows

    def __iter__(self) -> Iterator[FileOutcome]:
        return map(_outcome, rows_of(self.table))

    def __getitem__(self, index: int) -> FileOutcome:
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return _outcome(next(rows_of(self.table.slice(index % len(self), 1))))

    def column(self, name: str) -> pa.ChunkedArray:
        """One column of every row."""
        return self.table.column(name)

    def with_column(self, name: str, values: pa.Array | pa.ChunkedArray) -> Outcomes:
        """The same rows with one column replaced (the table is not copied)."""
        index = OUTCOMES.get_field_index(name)
        return Outcomes(self.table.set_column(index, OUTCOMES.field(name), values))


def _outcome(row: tuple[Any, ...]) -> FileOutcome:
    path, size, mtime_ns, *rest = row
    return FileOutcome(RawFile(path, size, mtime_ns), *rest)


def as_outcomes(outcomes: Outcomes | Iterable[FileOutcome]) -> Outcomes:
    """`outcomes` itself when it is an Outcomes table, else a table of its rows."""
    return outcomes if isinstance(outcomes, Outcomes) else Outcomes.of(outcomes)
