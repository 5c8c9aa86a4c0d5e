"""Tables derived from each articles partition (term counts, search index), kept in step."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa

from newsetl.connect import load_fts, sql_path
from newsetl.schema import TABLE_SCHEMAS
from newsetl.search_index import (
    WORDS_PATTERN,
    create_stop_words,
    search_documents_query,
    search_terms_query,
)
from newsetl.settings import (
    ARTICLES_TABLE,
    DERIVED_TABLES,
    PARTITION_FILE,
    PROCESS_WORKERS,
    SEARCH_DOCUMENTS_TABLE,
    SEARCH_TERMS_TABLE,
    TERMS_TABLE,
)
from newsetl.snapshot import link_or_copy
from newsetl.terms import term_counts_query
from newsetl.write import PartitionKey, partition_dir, partition_keys_on_disk, write_parquet_atomic


def words_query(articles: str) -> str:
    """SQL selecting `article_id, word, mentions`: each article's words, counted once for all.

    Words are the runs of a-z in the lower-cased, accent-stripped title and body: the term
    counts keep those of three letters or more, the search index those that are not stop words.
    """
    return f"""
        select article_id, word, count(*) as mentions
        from (
            select
                article_id,
                unnest(regexp_extract_all(
                    lower(strip_accents(title || ' ' || body)), '{WORDS_PATTERN}'
                )) as word
            from {articles}
        )
        group by all
    """


def connect_for_derived_tables(threads: int = 1) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with fts loaded and its stop words in the table `search_stop_words`."""
    con = load_fts(duckdb.connect(config={"threads": threads}))
    create_stop_words(con)
    return con


def partition_derived_tables(
    articles_file: Path, con: duckdb.DuckDBPyConnection | None = None
) -> dict[str, pa.Table]:
    """Every derived table of one articles partition file, by table name.

    `con` is a connection from connect_for_derived_tables (or a cursor of one); without it,
    one is opened for this call.
    """
    if con is None:
        with connect_for_derived_tables() as own:
            return partition_derived_tables(articles_file, own)
    articles = f"read_parquet({sql_path(articles_file)}, hive_partitioning = false)"
    # No progress bar (a session setting, so per cursor): a load runs unattended, and the bar
    # would fill its log, or a parent's stdout pipe.
    con.execute("set enable_progress_bar = false")
    con.execute(f"create or replace temp table words as {words_query(articles)}")
    con.execute(
        "create or replace temp table search_terms as "
        + search_terms_query("words", "search_stop_words")
    )
    tables = {
        TERMS_TABLE: con.sql(term_counts_query("words")).to_arrow_table(),
        SEARCH_TERMS_TABLE: con.sql("select * from search_terms").to_arrow_table(),
        SEARCH_DOCUMENTS_TABLE: con.sql(
            search_documents_query(articles, "search_terms")
        ).to_arrow_table(),
    }
    con.execute("drop table words")
    con.execute("drop table search_terms")
    return {name: table.cast(TABLE_SCHEMAS[name]) for name, table in tables.items()}


def write_derived_tables(
    old_snapshot: Path | None,
    new_snapshot: Path,
    touched: set[PartitionKey],
    *,
    full_refresh: bool = False,
    workers: int = PROCESS_WORKERS,
) -> int:
    """Give the new snapshot one file per derived table and articles partition it holds.

    A partition touched by the load (every one on a full refresh, and any the old snapshot
    lacks a derived file for, as in a warehouse made before that table existed) is computed
    from the new articles file; the others are hard links to the old snapshot's files.
    Partitions gone from articles get none. Returns how many partitions were computed.
    """
    articles = new_snapshot / ARTICLES_TABLE
    to_compute: list[Path] = []
    for key in sorted(partition_keys_on_disk(articles)):
        relative = partition_dir(Path(), key) / PARTITION_FILE
        previous = [
            None if old_snapshot is None else old_snapshot / table / relative
            for table in DERIVED_TABLES
        ]
        if full_refresh or key in touched or any(p is None or not p.is_file() for p in previous):
            to_compute.append(relative)
        else:
            for table, path in zip(DERIVED_TABLES, previous, strict=True):
                assert path is not None  # checked just above
                link_or_copy(path, new_snapshot / table / relative)
    # One query per worker thread, each on one DuckDB thread: a partition is too small for
    # DuckDB's own parallelism to pay (3x slower than one thread on 2 busy cores), and partitions
    # are independent. A nightly run touching one month gives that month every core instead.
    threads = max(1, min(workers, len(to_compute)))
    with (
        connect_for_derived_tables(max(1, workers // threads)) as con,
        ThreadPoolExecutor(threads) as pool,
    ):

        def compute(relative: Path) -> None:
            # Each thread writes its own partition's files: holding finished partitions until
            # their turn came held gigabytes at a million articles. Each file is written even
            # when empty (no word at all), so every derived table has exactly the partitions of
            # articles.
            with con.cursor() as cursor:  # a connection is not shared between threads
                tables = partition_derived_tables(articles / relative, cursor)
            for table, rows in tables.items():
                write_parquet_atomic(rows, new_snapshot / table / relative)

        for _ in pool.map(compute, to_compute):
            pass  # raises the first error a partition met
    return len(to_compute)
