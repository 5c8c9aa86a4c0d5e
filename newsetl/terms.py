"""Monthly term counts (the term_counts table), computed per articles partition with DuckDB."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa

from newsetl.schema import TERM_COUNTS
from newsetl.settings import ARTICLES_TABLE, PARTITION_FILE, PROCESS_WORKERS, TERMS_TABLE
from newsetl.snapshot import link_or_copy
from newsetl.write import PartitionKey, partition_dir, partition_keys_on_disk, write_parquet_atomic

# The tokenizer of sql/marts/article_terms.sql, kept identical (tests/test_sql_models.py compares
# the two): lower case, accents stripped, runs of a-z of three letters or more (the same words as
# splitting at anything but a-z and dropping the shorter pieces, in half the time). Stop words
# stay in: the SQL views drop them at query time (stop_words), so term_trend('the') works and
# there is one stop-word list, in sql/.
TOKENS = "unnest(regexp_extract_all(lower(strip_accents(title || ' ' || body)), '[a-z]{3,}'))"


def term_counts_query(relation: str, group_by: Iterable[str] = ()) -> str:
    """SQL selecting `*group_by, term, mentions, articles` from a relation of articles.

    The relation needs `article_id`, `title` and `body` (and the `group_by` columns); rows come
    out sorted by the group columns, then term.
    """
    # Every `term` is qualified: the build may inline this query under term_trend(term), where
    # an unqualified `term` would clash with the macro's argument.
    groups = "".join(f"{column}, " for column in group_by)
    return f"""
        with tokens as (
            select {groups}article_id, {TOKENS} as term
            from {relation}
        ),

        per_article as (
            select {groups}tokens.article_id, tokens.term, count(*) as mentions
            from tokens
            group by all
        )

        select
            {groups}per_article.term,
            cast(sum(per_article.mentions) as bigint) as mentions,
            cast(count(*) as bigint) as articles
        from per_article
        group by all
        order by all
    """


def _quote(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def partition_term_counts(
    articles_file: Path, con: duckdb.DuckDBPyConnection | None = None
) -> pa.Table:
    """The term counts of one articles partition file: one row per term, sorted by term."""
    relation = f"read_parquet({_quote(articles_file)}, hive_partitioning = false)"
    query = term_counts_query(relation)
    if con is None:
        with duckdb.connect() as own:
            table = own.sql(query).to_arrow_table()
    else:
        table = con.sql(query).to_arrow_table()
    return table.cast(TERM_COUNTS)


def write_term_counts(
    old_snapshot: Path | None,
    new_snapshot: Path,
    touched: set[PartitionKey],
    *,
    full_refresh: bool = False,
    workers: int = PROCESS_WORKERS,
) -> int:
    """Give the new snapshot one term_counts file per articles partition it holds.

    A partition touched by the load (every one on a full refresh, and any the old snapshot has
    no term counts for, as in a warehouse made before term_counts existed) is computed from the
    new articles file; the others are hard links to the old snapshot's file. Partitions gone from
    articles get none. Returns how many partitions were computed.
    """
    articles = new_snapshot / ARTICLES_TABLE
    target = new_snapshot / TERMS_TABLE
    old_table = None if old_snapshot is None else old_snapshot / TERMS_TABLE
    to_compute: list[Path] = []
    for key in sorted(partition_keys_on_disk(articles)):
        relative = partition_dir(Path(), key) / PARTITION_FILE
        previous = None if old_table is None else old_table / relative
        if full_refresh or key in touched or previous is None or not previous.is_file():
            to_compute.append(relative)
        else:
            link_or_copy(previous, target / relative)
    # One thread per query and one query per worker: a partition is too small for DuckDB's own
    # parallelism to pay (3x slower than one thread on 2 busy cores), and partitions are
    # independent. Files are written here, in key order, so the output never depends on timing.
    with (
        duckdb.connect(config={"threads": 1}) as con,
        ThreadPoolExecutor(max(1, min(workers, len(to_compute)))) as pool,
    ):

        def count(relative: Path) -> pa.Table:
            with con.cursor() as cursor:  # a connection is not shared between threads
                return partition_term_counts(articles / relative, cursor)

        counted = pool.map(count, to_compute)
        for relative, table in zip(to_compute, counted, strict=True):
            # Written even when empty (no word of three letters), so term_counts always has
            # exactly the partitions of articles.
            write_parquet_atomic(table, target / relative)
    return len(to_compute)
