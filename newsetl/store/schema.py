"""The one explicit pyarrow schema of every table the pipeline writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from newsetl.text.clean import REPAIR_KINDS

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
# Rows turned into Arrow columns, or back into Python values, at a time: a million-row listing
# or outcome table never exists as a million Python objects at once.
ROW_CHUNK = 65_536

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("published_date", pa.date32()),
        pa.field("title", pa.string(), nullable=False),
        pa.field("section", pa.string()),
        pa.field("subsection", pa.string()),
        pa.field("author", pa.string()),
        pa.field("authors", pa.list_(pa.string())),
        pa.field("author_title", pa.string()),
        pa.field("author_description", pa.string()),
        pa.field("body", pa.string(), nullable=False),
        pa.field("print_headline", pa.string()),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("paragraph_count", pa.int32(), nullable=False),
        pa.field("photo_count", pa.int32(), nullable=False),
        *(pa.field(f"repair_{kind}", pa.int32(), nullable=False) for kind in REPAIR_KINDS),
        pa.field("parse_notes", pa.list_(pa.string())),
        pa.field("content_sha256", pa.string(), nullable=False),
        pa.field("load_id", pa.string(), nullable=False),
        pa.field("ingested_at", UTC_TIMESTAMP, nullable=False),
    ]
)

ARTICLE_PHOTOS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("caption", pa.string()),
        pa.field("credit", pa.string()),
        # photo, file photo, illustration, screenshot or graphic: what the credit's label says
        pa.field("kind", pa.string()),
        pa.field("load_id", pa.string(), nullable=False),
    ]
)

# Rows kept during a load only: photos carry their article's file (to settle duplicate ids) and
# date (the partition key).
STAGED_PHOTOS = ARTICLE_PHOTOS.append(pa.field("source_file", pa.string())).append(
    pa.field("published_date", pa.date32())
)

MANIFEST = pa.schema(
    [
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("sha256", pa.string()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("article_id", pa.string()),
        pa.field("published_date", pa.date32()),
        pa.field("load_id", pa.string(), nullable=False),
        pa.field("first_seen", UTC_TIMESTAMP, nullable=False),
        pa.field("last_loaded", UTC_TIMESTAMP),
    ]
)

LOADS = pa.schema(
    [
        pa.field("load_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("started_at", UTC_TIMESTAMP, nullable=False),
        pa.field("finished_at", UTC_TIMESTAMP, nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("files_seen", pa.int64(), nullable=False),
        pa.field("files_loaded", pa.int64(), nullable=False),
        pa.field("files_unchanged", pa.int64(), nullable=False),
        pa.field("files_duplicate", pa.int64(), nullable=False),
        pa.field("files_rejected", pa.int64(), nullable=False),
        pa.field("articles_written", pa.int64(), nullable=False),
        pa.field("photos_written", pa.int64(), nullable=False),
        pa.field("partitions_written", pa.int64(), nullable=False),
        pa.field("files_deleted", pa.int64(), nullable=False),
        pa.field("articles_removed", pa.int64(), nullable=False),
        # NULL in the rows of loads from before the change history (newsetl/load/changes.py).
        pa.field("articles_added", pa.int64()),
        pa.field("articles_updated", pa.int64()),
    ]
)

REJECTED_FILES = pa.schema(
    [
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("sha256", pa.string()),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("load_id", pa.string(), nullable=False),
        pa.field("first_seen", UTC_TIMESTAMP, nullable=False),
    ]
)

# Grain: one row per article and load that changed it (newsetl/load/changes.py); one file per
# load under _state/article_changes/. Written by DuckDB with these types (changes_query).
ARTICLE_CHANGES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("load_id", pa.string(), nullable=False),
        pa.field("change", pa.string(), nullable=False),
        pa.field("sha256_before", pa.string()),
        pa.field("sha256_after", pa.string()),
        pa.field("title", pa.string()),
        pa.field("published_date", pa.date32()),
        pa.field("source_file", pa.string()),
    ]
)

# Grain: one row per partition month (the hive path) and term; see newsetl/load/terms.py.
TERM_COUNTS = pa.schema(
    [
        pa.field("term", pa.string(), nullable=False),
        pa.field("mentions", pa.int64(), nullable=False),
        pa.field("articles", pa.int64(), nullable=False),
    ]
)

# Grain: one row per article and indexed term (a porter stem); see newsetl/load/search_index.py.
SEARCH_TERMS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("term", pa.string(), nullable=False),
        pa.field("mentions", pa.int64(), nullable=False),
        pa.field("title_mentions", pa.int64(), nullable=False),
    ]
)

# Grain: one row per article: how many of its words the search index keeps (BM25's length), and
# its date (a search's tie-break, without reading articles).
SEARCH_DOCUMENTS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("published_date", pa.date32()),
        pa.field("indexed_words", pa.int64(), nullable=False),
    ]
)

# Grain: one row per article and word it holds (search_tokens; stop words too): the word's
# positions in the article, counted from 1 over its title's words, one left empty, then its
# body's, so that no phrase runs from the title into the body.
SEARCH_POSITIONS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("word", pa.string(), nullable=False),
        pa.field("positions", pa.list_(pa.int32()), nullable=False),
    ]
)

# The hive-partitioned tables (year=/month=), by directory name.
TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "article_photos": ARTICLE_PHOTOS,
    "term_counts": TERM_COUNTS,
    "search_terms": SEARCH_TERMS,
    "search_documents": SEARCH_DOCUMENTS,
    "search_positions": SEARCH_POSITIONS,
}


def table_from_rows(
    rows: Iterable[Sequence[Any]], schema: pa.Schema, chunk: int = ROW_CHUNK
) -> pa.Table:
    """Rows (values in the schema's column order) as one table, converted `chunk` at a time."""
    batches: list[pa.RecordBatch] = []
    pending: list[Sequence[Any]] = []

    def flush() -> None:
        # A list per column, not zip(*pending): unpacking the rows as arguments made a
        # million-file listing's conversion 1.1 s instead of 0.4 s.
        arrays = [pa.array([row[i] for row in pending], f.type) for i, f in enumerate(schema)]
        batches.append(pa.record_batch(arrays, schema=schema))
        pending.clear()

    for row in rows:
        pending.append(row)
        if len(pending) == chunk:
            flush()
    if pending or not batches:
        flush()
    return pa.Table.from_batches(batches, schema=schema)


def string_array(values: Iterable[str] | pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Strings as an Arrow array (for pc.is_in and such): an Arrow array is taken as it is."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    return pa.array(list(values), pa.string())


def rows_of(table: pa.Table, chunk: int = ROW_CHUNK) -> Iterator[tuple[Any, ...]]:
    """The table's rows as tuples of Python values, converted `chunk` at a time."""
    for batch in table.to_batches(chunk):
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)
