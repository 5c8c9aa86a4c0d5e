"""Tables derived from each articles partition (term counts, search index), kept in step."""

from __future__ import annotations

from collections.abc import Mapping
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
    _drop_temp_tables(con, "words", "search_terms")
    return {name: table.cast(TABLE_SCHEMAS[name]) for name, table in tables.items()}


def changed_partition_derived_tables(
    old_articles_file: Path,
    new_articles_file: Path,
    old_files: Mapping[str, Path],
    load_id: str,
    con: duckdb.DuckDBPyConnection,
) -> dict[str, pa.Table] | None:
    """The derived tables of a partition a load changed, from its old ones and the changes only.

    The new articles file holds the old file's rows it kept, untouched, and the rows written by
    `load_id`: the words of the rows it dropped (replaced, or moved to another month) are taken
    off the old tables, the words of the rows it added put on. The result equals
    partition_derived_tables of the new file (tests/test_derived.py compares them) and costs
    what the changes cost, not the month: a nightly run adds ~500 articles to a month of ~15,000.
    `old_files` are the old snapshot's files of the partition by table (articles and each
    derived table). Returns None when the load changed most of the partition: recomputing it
    whole is then cheaper.
    """
    old = f"read_parquet({sql_path(old_articles_file)}, hive_partitioning = false)"
    new = f"read_parquet({sql_path(new_articles_file)}, hive_partitioning = false)"
    old_terms, old_search_terms, old_documents = (
        f"read_parquet({sql_path(old_files[table])}, hive_partitioning = false)"
        for table in (TERMS_TABLE, SEARCH_TERMS_TABLE, SEARCH_DOCUMENTS_TABLE)
    )
    con.execute("set enable_progress_bar = false")
    con.execute(
        f"create or replace temp table kept as select article_id from {new} where load_id <> ?",
        [load_id],
    )
    con.execute(
        "create or replace temp table added as "
        f"select article_id, title, body from {new} where load_id = ?",
        [load_id],
    )
    con.execute(
        "create or replace temp table dropped as "
        f"select article_id, title, body from {old} anti join kept using (article_id)"
    )
    counts = con.sql(
        "select (select count(*) from kept), (select count(*) from added), "
        "(select count(*) from dropped)"
    ).fetchone()
    assert counts is not None
    kept, added, dropped = counts
    if added + dropped > kept:
        _drop_temp_tables(con, "kept", "added", "dropped")
        return None
    con.execute(f"create or replace temp table added_words as {words_query('added')}")
    con.execute(f"create or replace temp table dropped_words as {words_query('dropped')}")
    con.execute(
        "create or replace temp table added_terms as "
        + search_terms_query("added_words", "search_stop_words")
    )
    # A term's mentions and articles are sums over articles: the dropped ones' come off.
    term_counts = f"""
        select term, cast(sum(mentions) as bigint) as mentions,
            cast(sum(articles) as bigint) as articles
        from (
            select term, mentions, articles from {old_terms}
            union all
            select term, mentions, articles from ({term_counts_query("added_words")})
            union all
            select term, -mentions, -articles from ({term_counts_query("dropped_words")})
        )
        group by term
        having sum(articles) > 0
        order by term
    """
    search_terms = f"""
        select * from (
            select article_id, term, mentions
            from {old_search_terms} semi join kept using (article_id)
            union all
            select article_id, term, mentions from added_terms
        )
        order by term, article_id
    """
    search_documents = f"""
        select * from (
            select article_id, indexed_words
            from {old_documents} semi join kept using (article_id)
            union all
            select article_id, indexed_words from ({search_documents_query("added", "added_terms")})
        )
        order by article_id
    """
    tables = {
        TERMS_TABLE: con.sql(term_counts).to_arrow_table(),
        SEARCH_TERMS_TABLE: con.sql(search_terms).to_arrow_table(),
        SEARCH_DOCUMENTS_TABLE: con.sql(search_documents).to_arrow_table(),
    }
    _drop_temp_tables(
        con, "kept", "added", "dropped", "added_words", "dropped_words", "added_terms"
    )
    return {name: table.cast(TABLE_SCHEMAS[name]) for name, table in tables.items()}


def _drop_temp_tables(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    for name in names:
        con.execute(f"drop table {name}")


def write_derived_tables(
    old_snapshot: Path | None,
    new_snapshot: Path,
    touched: set[PartitionKey],
    *,
    full_refresh: bool = False,
    load_id: str | None = None,
    workers: int = PROCESS_WORKERS,
) -> int:
    """Give the new snapshot one file per derived table and articles partition it holds.

    A partition touched by the load (every one on a full refresh, and any the old snapshot
    lacks a derived file for, as in a warehouse made before that table existed) is computed
    from the new articles file: from the changes alone when `load_id` (the load that wrote the
    new snapshot) is given and the old snapshot has the partition's files, else whole. The
    others are hard links to the old snapshot's files. Partitions gone from articles get none.
    Returns how many partitions were computed.
    """
    articles = new_snapshot / ARTICLES_TABLE
    to_compute: list[tuple[Path, dict[str, Path] | None]] = []
    for key in sorted(partition_keys_on_disk(articles)):
        relative = partition_dir(Path(), key) / PARTITION_FILE
        previous = {
            table: None if old_snapshot is None else old_snapshot / table / relative
            for table in (ARTICLES_TABLE, *DERIVED_TABLES)
        }
        complete = {table: p for table, p in previous.items() if p is not None and p.is_file()}
        if full_refresh or key in touched or len(complete) < len(previous):
            incremental = not full_refresh and load_id is not None and complete == previous
            to_compute.append((relative, complete if incremental else None))
        else:
            for table in DERIVED_TABLES:
                link_or_copy(complete[table], new_snapshot / table / relative)
    # One query per worker thread, each on one DuckDB thread: a partition is too small for
    # DuckDB's own parallelism to pay (3x slower than one thread on 2 busy cores), and partitions
    # are independent. A nightly run touching one month gives that month every core instead.
    threads = max(1, min(workers, len(to_compute)))
    with (
        connect_for_derived_tables(max(1, workers // threads)) as con,
        ThreadPoolExecutor(threads) as pool,
    ):

        def compute(job: tuple[Path, dict[str, Path] | None]) -> None:
            relative, old_files = job
            # Each thread writes its own partition's files: holding finished partitions until
            # their turn came held gigabytes at a million articles. Each file is written even
            # when empty (no word at all), so every derived table has exactly the partitions of
            # articles.
            with con.cursor() as cursor:  # a connection is not shared between threads
                tables = None
                if old_files is not None and load_id is not None:
                    tables = changed_partition_derived_tables(
                        old_files[ARTICLES_TABLE], articles / relative, old_files, load_id, cursor
                    )
                if tables is None:
                    tables = partition_derived_tables(articles / relative, cursor)
            for table, rows in tables.items():
                write_parquet_atomic(rows, new_snapshot / table / relative)

        for _ in pool.map(compute, to_compute):
            pass  # raises the first error a partition met
    return len(to_compute)
