"""Tables derived from each articles partition (term counts, search index), kept in step."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsetl.load.search_index import (
    create_stop_words,
    search_documents_query,
    search_positions_query,
    search_terms_query,
    stems_query,
)
from newsetl.load.terms import count_words_query, term_counts_query
from newsetl.settings import (
    ARTICLES_TABLE,
    DEFAULT_WORKERS,
    DERIVED_ALLOCATOR_FLUSH,
    DERIVED_MEMORY_LIMIT,
    DERIVED_TABLES,
    DERIVED_VERSION,
    DERIVED_VERSION_KEY,
    PARTITION_FILE,
    SEARCH_DOCUMENTS_TABLE,
    SEARCH_POSITIONS_TABLE,
    SEARCH_TERMS_TABLE,
    TERMS_TABLE,
    row_group_size,
)
from newsetl.store.schema import TABLE_SCHEMAS
from newsetl.store.snapshot import link_or_copy
from newsetl.store.sql import load_fts, sql_path
from newsetl.store.write import (
    PartitionKey,
    copy_parquet_atomic,
    partition_dir,
    partition_keys_on_disk,
)

log = logging.getLogger(__name__)

# The temp tables a partition's queries read; dropped once its files are written.
TEMP_TABLES = (
    "ids",
    "token_words",
    "lexicon",
    "token_ids",
    "words",
    "count_lexicon",
    "terms",
    "kept",
    "added",
    "dropped",
    "added_words",
    "dropped_words",
)


def tokens_query(articles: str) -> str:
    """SQL selecting `article_id, in_title, token`: every token of each article's title and body,
    the runs between spaces and line breaks (`news-letter.`, `café’s`), and whether it is the
    title's.

    Words are read per distinct token (token_words_query), not from each whole text: exact,
    since a space or a line break is never part of a word (search_tokens splits there) and
    accents and case are dropped character by character, and a partition has far fewer
    distinct tokens than tokens. With the words and terms numbered (whole_partition_queries),
    the derived tables of the 100k bench corpus took 12.4 s of CPU instead of 18.0 s.
    """
    return f"""
        select
            article_id,
            true as in_title,
            unnest(string_split(replace(title, chr(10), ' '), ' ')) as token
        from {articles}
        union all
        select
            article_id,
            false as in_title,
            unnest(string_split(replace(body, chr(10), ' '), ' ')) as token
        from {articles}
    """


def token_words_query(tokens: str) -> str:
    """SQL selecting `token, word` for each distinct token of `tokens` (a relation with a
    `token` column): one row per search word it holds (search_tokens), in order, repeats
    included (`news-news`)."""
    return f"""
        select token, unnest(search_tokens(token)) as word
        from (select distinct token from {tokens})
    """


def words_query(articles: str) -> str:
    """SQL selecting `article_id, word, mentions, title_mentions`: each article's search words
    (search_tokens), counted once for all, and how many of them are in its title.

    `articles` is a relation of (article_id, title, body), where article_id may be any key
    standing for the article. The search index keeps the words that are not stop words; the
    term counts the runs of a-z in them of three letters or more (count_words_query).
    """
    return f"""
        with
            tokens as materialized ({tokens_query(articles)}),
            token_words as ({token_words_query("tokens")})

        select
            tokens.article_id,
            token_words.word,
            count(*) as mentions,
            count(*) filter (where tokens.in_title) as title_mentions
        from tokens inner join token_words on token_words.token = tokens.token
        group by tokens.article_id, token_words.word
    """


def connect_for_derived_tables(
    threads: int = 1, spill_dir: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with fts loaded and its stop words in the table `search_stop_words`.

    With a `spill_dir`, DuckDB keeps to DERIVED_MEMORY_LIMIT, spills past it to that
    directory (which the caller removes) and hands freed memory back early
    (DERIVED_ALLOCATOR_FLUSH); without one, DuckDB's own limit and allocator settings apply.
    """
    config: dict[str, str | bool | int | float | list[str]] = {"threads": threads}
    if spill_dir is not None:
        config |= {
            "memory_limit": DERIVED_MEMORY_LIMIT,
            "temp_directory": str(spill_dir),
            "allocator_flush_threshold": DERIVED_ALLOCATOR_FLUSH,
            "allocator_bulk_deallocation_flush_threshold": DERIVED_ALLOCATOR_FLUSH,
        }
    con = load_fts(duckdb.connect(config=config))
    create_stop_words(con)
    return con


def _read(path: Path, *options: str) -> str:
    """SQL reading one Parquet file as it is (no hive columns from its path)."""
    return f"read_parquet({', '.join([sql_path(path), 'hive_partitioning = false', *options])})"


def whole_partition_queries(con: duckdb.DuckDBPyConnection, articles_file: Path) -> dict[str, str]:
    """Each derived table's query over one whole articles partition, by table name.

    The queries read temp tables this creates in `con`: they hold until drop_temp_tables.
    """
    articles = _read(articles_file, "file_row_number = true")
    # Words are keyed by the article's row in the file until the output: grouping by an
    # integer rather than the 16-character id is a little faster and holds less memory.
    con.execute(
        "create or replace temp table ids as "
        "select file_row_number as key, article_id, published_date "
        f"from {articles}"
    )
    keyed = f"(select file_row_number as article_id, title, body from {articles})"
    # Split twice (for the distinct tokens, then for the counts) rather than held: both
    # splits stream, where a table of the month's tokens would hold every one of them.
    tokens = f"({tokens_query(keyed)})"
    # The partition's words and terms numbered once, so that the counts per article group,
    # join and sort integers, not strings (see tokens_query). A term_id orders as its term.
    con.execute(f"create or replace temp table token_words as {token_words_query(tokens)}")
    con.execute(
        f"""
        create or replace temp table lexicon as
        with
            words as (select distinct word from token_words),
            stems as ({stems_query("words", "search_stop_words")})

        select
            words.word,
            cast(row_number() over (order by words.word) as integer) as word_id,
            stems.term,
            cast(dense_rank() over (order by stems.term) as integer) as term_id
        from words
        left join stems on stems.word = words.word
        """
    )
    con.execute(
        "create or replace temp table token_ids as select token_words.token, lexicon.word_id "
        "from token_words inner join lexicon on lexicon.word = token_words.word"
    )
    con.execute(
        f"""
        create or replace temp table words as
        select
            tokens.article_id,
            token_ids.word_id,
            count(*) as mentions,
            count(*) filter (where tokens.in_title) as title_mentions
        from {tokens} as tokens
        inner join token_ids on token_ids.token = tokens.token
        group by tokens.article_id, token_ids.word_id
        """
    )
    con.execute(
        """
        create or replace temp table terms as
        select
            words.article_id,
            lexicon.term_id,
            cast(sum(words.mentions) as bigint) as mentions,
            cast(sum(words.title_mentions) as bigint) as title_mentions
        from words inner join lexicon on lexicon.word_id = words.word_id
        where lexicon.term is not null
        group by all
        """
    )
    # The term counts' words inside each search word (count_words_query), split once per word.
    con.execute(
        "create or replace temp table count_lexicon as "
        "select word_id, unnest(regexp_extract_all(word, '[a-z]+')) as count_word from lexicon"
    )
    documents = search_documents_query(
        "(select key as article_id, published_date from ids)", "terms"
    )
    # Sorted by the row number for the id: an articles file is written sorted by article_id
    # (write.merge_partition), so the order is the same, and sorting by an integer instead of
    # a 16-character string took a third off writing search_terms (75 ms vs 107 ms a month).
    return {
        TERMS_TABLE: term_counts_query(
            "(select words.article_id, count_lexicon.count_word as word, "
            "cast(sum(words.mentions) as bigint) as mentions from words "
            "inner join count_lexicon on count_lexicon.word_id = words.word_id "
            "where length(count_lexicon.count_word) >= 3 group by all)"
        ),
        SEARCH_TERMS_TABLE: """
            select ids.article_id, term_names.term, terms.mentions, terms.title_mentions
            from terms
            inner join ids on ids.key = terms.article_id
            inner join (select distinct term_id, term from lexicon) as term_names
                on term_names.term_id = terms.term_id
            order by terms.term_id, terms.article_id
        """,
        SEARCH_DOCUMENTS_TABLE: f"""
            select ids.article_id, documents.published_date, documents.indexed_words
            from ({documents}) as documents inner join ids on ids.key = documents.article_id
            order by documents.article_id
        """,
        # Sorted by word, then article: a phrase reads only the row groups of its words.
        SEARCH_POSITIONS_TABLE: f"""
            select ids.article_id, placed.word, placed.positions
            from ({search_positions_query(keyed)}) as placed
            inner join ids on ids.key = placed.article_id
            order by placed.word_order, placed.article_id
        """,
    }


def changed_partition_queries(
    con: duckdb.DuckDBPyConnection,
    old_files: Mapping[str, Path],
    new_articles_file: Path,
    load_id: str,
) -> dict[str, str] | None:
    """Each derived table's query for a partition a load changed, from its changes only.

    The new articles file holds the old file's rows it kept, untouched, and the rows written by
    `load_id`: the words of the rows it dropped (replaced, or moved to another month) are taken
    off the old tables, the words of the rows it added put on. The result equals
    whole_partition_queries' over the new file (tests/test_derived.py compares them) and costs
    what the changes cost, not the month: a nightly run adds ~500 articles to a month of ~15,000.
    `old_files` are the old snapshot's files of the partition by table (articles and each
    derived table). Returns None when the load changed most of the partition: computing it
    whole is then cheaper. Like whole_partition_queries, it creates temp tables in `con`.
    """
    old, new = _read(old_files[ARTICLES_TABLE]), _read(new_articles_file)
    old_terms, old_search_terms, old_documents, old_positions = (
        _read(old_files[table])
        for table in (
            TERMS_TABLE,
            SEARCH_TERMS_TABLE,
            SEARCH_DOCUMENTS_TABLE,
            SEARCH_POSITIONS_TABLE,
        )
    )
    con.execute(
        f"create or replace temp table kept as select article_id from {new} where load_id <> ?",
        [load_id],
    )
    con.execute(
        "create or replace temp table added as "
        f"select article_id, published_date, title, body from {new} where load_id = ?",
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
        return None
    con.execute(f"create or replace temp table added_words as {words_query('added')}")
    con.execute(f"create or replace temp table dropped_words as {words_query('dropped')}")
    con.execute(
        "create or replace temp table terms as "
        + search_terms_query("added_words", "search_stop_words")
    )
    # A term's mentions and articles are sums over articles: the dropped ones' come off.
    term_counts = f"""
        select term, cast(sum(mentions) as bigint) as mentions,
            cast(sum(articles) as bigint) as articles
        from (
            select term, mentions, articles from {old_terms}
            union all
            select term, mentions, articles
            from ({term_counts_query(f"({count_words_query('added_words')})")})
            union all
            select term, -mentions, -articles
            from ({term_counts_query(f"({count_words_query('dropped_words')})")})
        )
        group by term
        having sum(articles) > 0
        order by term
    """
    search_terms = f"""
        select * from (
            select article_id, term, mentions, title_mentions
            from {old_search_terms} semi join kept using (article_id)
            union all
            select article_id, term, mentions, title_mentions from terms
        )
        order by term, article_id
    """
    search_documents = f"""
        select * from (
            select article_id, published_date, indexed_words
            from {old_documents} semi join kept using (article_id)
            union all
            select article_id, published_date, indexed_words
            from ({search_documents_query("added", "terms")})
        )
        order by article_id
    """
    # An article's positions are its own: the kept ones' stay as they were.
    search_positions = f"""
        select * from (
            select article_id, word, positions
            from {old_positions} semi join kept using (article_id)
            union all
            select article_id, word, positions from ({search_positions_query("added")})
        )
        order by word, article_id
    """
    return {
        TERMS_TABLE: term_counts,
        SEARCH_TERMS_TABLE: search_terms,
        SEARCH_DOCUMENTS_TABLE: search_documents,
        SEARCH_POSITIONS_TABLE: search_positions,
    }


def partition_queries(
    con: duckdb.DuckDBPyConnection,
    articles_file: Path,
    old_files: Mapping[str, Path] | None = None,
    load_id: str | None = None,
) -> dict[str, str]:
    """Each derived table's query for one articles partition: from the changes `load_id` made
    when the old snapshot's `old_files` are given (and the changes are the smaller part), else
    over the whole file. The temp tables the queries read stay until drop_temp_tables."""
    # No progress bar (a session setting, so per cursor): a load runs unattended, and the bar
    # would fill its log, or a parent's stdout pipe.
    con.execute("set enable_progress_bar = false")
    if old_files is not None and load_id is not None:
        queries = changed_partition_queries(con, old_files, articles_file, load_id)
        if queries is not None:
            return queries
        drop_temp_tables(con)
    return whole_partition_queries(con, articles_file)


def drop_temp_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every temp table partition_queries may have created in `con`."""
    for name in TEMP_TABLES:
        con.execute(f"drop table if exists {name}")


def partition_derived_tables(
    articles_file: Path,
    con: duckdb.DuckDBPyConnection | None = None,
    *,
    old_files: Mapping[str, Path] | None = None,
    load_id: str | None = None,
) -> dict[str, pa.Table]:
    """Every derived table of one articles partition file as Arrow, by table name (the load
    writes them with write_partition_derived_tables instead; see partition_queries).

    `con` is a connection from connect_for_derived_tables (or a cursor of one); without it,
    one is opened for this call.
    """
    if con is None:
        with connect_for_derived_tables() as own:
            return partition_derived_tables(
                articles_file, own, old_files=old_files, load_id=load_id
            )
    try:
        queries = partition_queries(con, articles_file, old_files, load_id)
        return {
            name: con.sql(query).to_arrow_table().cast(TABLE_SCHEMAS[name])
            for name, query in queries.items()
        }
    finally:
        drop_temp_tables(con)


def write_partition_derived_tables(
    con: duckdb.DuckDBPyConnection,
    articles_file: Path,
    targets: Mapping[str, Path],
    old_files: Mapping[str, Path] | None = None,
    load_id: str | None = None,
) -> None:
    """Write each derived table of one articles partition to its `targets` path.

    DuckDB writes the files itself: the rows never become Arrow tables in Python (two
    partitions' held ~0.15 GB more at a million articles). A file is written even when empty
    (no word at all), so every derived table has exactly the partitions of articles. Each file
    carries DERIVED_VERSION (is_current).
    """
    stamp = {DERIVED_VERSION_KEY: DERIVED_VERSION}
    try:
        for name, query in partition_queries(con, articles_file, old_files, load_id).items():
            copy_parquet_atomic(con, query, targets[name], stamp, row_group_size(name))
    finally:
        drop_temp_tables(con)


def is_current(derived_file: Path) -> bool:
    """Whether a derived table's file was written by this version of the derived tables
    (DERIVED_VERSION in its key-value metadata): else its words or columns are out of date."""
    metadata = pq.read_metadata(derived_file).metadata or {}
    return metadata.get(DERIVED_VERSION_KEY.encode()) == DERIVED_VERSION.encode()


def outdated_partitions(snapshot: Path) -> list[Path]:
    """The articles partitions of a snapshot (relative paths) whose derived tables a load must
    compute again: a table's file is missing (a warehouse from before that table existed) or
    from another DERIVED_VERSION (before the search index read digits, say)."""
    articles = snapshot / ARTICLES_TABLE
    outdated = []
    for key in sorted(partition_keys_on_disk(articles)):
        relative = partition_dir(Path(), key) / PARTITION_FILE
        files = [snapshot / table / relative for table in DERIVED_TABLES]
        if not all(path.is_file() and is_current(path) for path in files):
            outdated.append(relative)
    return outdated


def write_derived_tables(
    old_snapshot: Path | None,
    new_snapshot: Path,
    touched: set[PartitionKey],
    *,
    full_refresh: bool = False,
    load_id: str | None = None,
    workers: int = DEFAULT_WORKERS,
    spill_dir: Path | None = None,
) -> int:
    """Give the new snapshot one file per derived table and articles partition it holds.

    A partition touched by the load (every one on a full refresh, and any the old snapshot
    lacks a current derived file for: a warehouse made before that table existed, or before
    DERIVED_VERSION; see outdated_partitions) is computed
    from the new articles file: from the changes alone when `load_id` (the load that wrote the
    new snapshot) is given and the old snapshot has the partition's files, else whole. The
    others are hard links to the old snapshot's files. Partitions gone from articles get none.
    With a `spill_dir` DuckDB keeps to DERIVED_MEMORY_LIMIT (connect_for_derived_tables).
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
        complete = {
            table: p
            for table, p in previous.items()
            if p is not None and p.is_file() and (table == ARTICLES_TABLE or is_current(p))
        }
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
    duckdb_threads = max(1, workers // threads)
    with (
        connect_for_derived_tables(duckdb_threads, spill_dir) as con,
        ThreadPoolExecutor(threads) as pool,
    ):

        def compute(job: tuple[Path, dict[str, Path] | None]) -> None:
            relative, old_files = job
            # Each thread writes its own partition's files: holding finished partitions until
            # their turn came held gigabytes at a million articles.
            targets = {table: new_snapshot / table / relative for table in DERIVED_TABLES}

            def write(connection: duckdb.DuckDBPyConnection) -> None:
                with connection.cursor() as cursor:  # a connection is not shared by threads
                    write_partition_derived_tables(
                        cursor, articles / relative, targets, old_files, load_id
                    )

            try:
                write(con)
            except duckdb.OutOfMemoryException:
                if spill_dir is None:
                    raise
                # Not every operator spills: a month of ~140,000 articles (or a huge undated
                # partition) does not fit DERIVED_MEMORY_LIMIT. A bigger load beats a failed one.
                log.warning(
                    "%s: over %s, computed again without it", relative, DERIVED_MEMORY_LIMIT
                )
                with connect_for_derived_tables(duckdb_threads) as unlimited:
                    write(unlimited)

        for _ in pool.map(compute, to_compute):
            pass  # raises the first error a partition met
    return len(to_compute)
