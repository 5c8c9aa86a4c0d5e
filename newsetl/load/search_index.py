"""The full-text search tables of one articles partition: BM25 postings, as DuckDB's fts indexes."""

from __future__ import annotations

import duckdb

from newsetl.settings import SQL_DIR
from newsetl.store.sql import load_fts, split_statements

# The index reads words with sql/search/search_tokens.sql (lower case, accents stripped, runs of
# a-z and 0-9, single letters or digits joined by dots kept whole: 5g, u.s, 2.5), drops the
# fts extension's English stop words and keeps the porter stem, as DuckDB's fts extension does,
# so search_articles(..., title_weight := 1) scores exactly as fts's match_bm25 over the same
# words (tests/test_search_index.py checks it against the extension). Unlike the extension's
# index, which is one table rebuilt whole, these are Parquet files per partition: a load
# recomputes only the months it touches.
STEMMER = "porter"
# Where the stop-word list and the tokenizer are made: one definition for the build and the load.
STOP_WORDS_MODEL = SQL_DIR / "search" / "search_stop_words.sql"
TOKENS_MODEL = SQL_DIR / "search" / "search_tokens.sql"


def create_stop_words(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table `search_stop_words` (word) and the macro `search_tokens(text)` in `con`,
    which has fts loaded.

    It runs the build's own models, sql/search/search_stop_words.sql and search_tokens.sql, so
    the words a load indexes are the words the build's news.duckdb reads queries with.
    """
    for model in (STOP_WORDS_MODEL, TOKENS_MODEL):
        for statement in split_statements(model.read_text()):
            con.execute(statement)


def stop_words() -> list[str]:
    """The fts extension's English stop words, sorted (search_stop_words, made in memory)."""
    with load_fts(duckdb.connect()) as con:
        create_stop_words(con)
        rows = con.sql("select word from search_stop_words order by word").fetchall()
    return [word for (word,) in rows]


def search_terms_query(words: str, stop_words_relation: str) -> str:
    """SQL selecting `article_id, term, mentions, title_mentions` from per-article word counts,
    unordered.

    `words` is a relation of (article_id, word, mentions, title_mentions) over whole words of
    title and body (search_tokens), where article_id may be any key standing for the article;
    `stop_words_relation` one of (word). A term is the porter stem of a word that is not a stop
    word. (The files are written sorted by term, then article_id, by newsetl.load.derived: a
    query for one term then reads only the row groups whose min/max take it in.)
    """
    stems = stems_query(f"(select distinct word from {words})", stop_words_relation)
    return f"""
        with vocabulary as ({stems})

        select
            words.article_id,
            vocabulary.term,
            cast(sum(words.mentions) as bigint) as mentions,
            cast(sum(words.title_mentions) as bigint) as title_mentions
        from {words} as words
        inner join vocabulary on vocabulary.word = words.word
        group by all
    """


def stems_query(distinct_words: str, stop_words_relation: str) -> str:
    """SQL selecting `word, term` for each word of `distinct_words` (a relation of distinct
    `word`) that is not a stop word: its term, the porter stem. Stemming each distinct word
    once, not each of its mentions."""
    return f"""
        select word, stem(word, '{STEMMER}') as term
        from {distinct_words}
        where word not in (select word from {stop_words_relation})
    """


def search_positions_query(articles: str) -> str:
    """SQL selecting `article_id, word, positions, word_order` for each article of `articles`
    and word it holds (search_tokens, stop words too), unordered: where the word stands, in
    order, and the word's rank among the words of `articles` (it sorts as `word` does).

    `articles` is a relation of (article_id, title, body), where article_id may be any key
    standing for the article. Positions count the title's words from 1, leave one empty, then
    count the body's: a phrase is its words at consecutive positions (search_matches), and
    never runs from the title's last word into the body's first. The texts are read whole,
    not per token as the counts are (tokens_query in newsetl.load.derived), since a position
    counts the words before it. Words are grouped and sorted by their rank, an integer: with
    the words themselves a month of 12,282 generated articles took 5.5 s on one thread, 3.8-4.7 s
    this way (two runs; term counts and search_terms together ~1.5 s).
    """
    return f"""
        with
            placed as materialized (
                select
                    article_id,
                    unnest(words) as word,
                    cast(generate_subscripts(words, 1) as integer) as position
                from (
                    select
                        article_id,
                        search_tokens(coalesce(title, ''))
                        || [null]
                        || search_tokens(coalesce(body, '')) as words
                    from {articles}
                )
            ),

            vocabulary as (
                select word, cast(row_number() over (order by word) as integer) as word_order
                from (select distinct word from placed where word is not null)
            ),

            grouped as (
                select
                    placed.article_id,
                    vocabulary.word_order,
                    list(placed.position order by placed.position) as positions
                from placed
                inner join vocabulary on vocabulary.word = placed.word
                group by placed.article_id, vocabulary.word_order
            )

        select grouped.article_id, vocabulary.word, grouped.positions, grouped.word_order
        from grouped
        inner join vocabulary on vocabulary.word_order = grouped.word_order
    """


def search_documents_query(articles: str, terms: str) -> str:
    """SQL selecting `article_id, published_date, indexed_words` for every article of
    `articles` (a relation of article_id and published_date), unordered.

    `indexed_words` is BM25's document length: how many words of the article the index keeps
    (0 for an article with none, which still counts among the documents). The date lets a
    search rank its matches, newest first among equal scores, without reading `articles`
    (at a million articles that join cost a search a second). `terms` is a relation of
    search_terms_query keyed like `articles`.
    """
    return f"""
        with lengths as (
            select article_id, cast(sum(mentions) as bigint) as indexed_words
            from {terms}
            group by article_id
        )

        select
            articles.article_id,
            articles.published_date,
            coalesce(lengths.indexed_words, 0) as indexed_words
        from {articles} as articles
        left join lengths on lengths.article_id = articles.article_id
    """
