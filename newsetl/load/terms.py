"""Monthly term counts (the term_counts table) of one articles partition, from its word counts."""

from __future__ import annotations


def count_words_query(search_words: str) -> str:
    """SQL selecting `article_id, word, mentions` for term_counts_query from the search index's
    words (article_id, word, mentions; sql/search/search_tokens.sql).

    A search word keeps digits and dots (`covid19`, `u.s`); the term counts' words are runs of
    a-z alone: exactly the runs of a-z inside the search words, since every letter of a text
    belongs to one search word and search words are split wherever a run of a-z ends. Two
    search words of one article may hold the same run (`covid`, `covid19`): summed.
    """
    return f"""
        select article_id, word, cast(sum(mentions) as bigint) as mentions
        from (
            select article_id, unnest(regexp_extract_all(word, '[a-z]+')) as word, mentions
            from {search_words}
        )
        group by all
    """


def term_counts_query(words: str) -> str:
    """SQL selecting `term, mentions, articles` from per-article word counts, sorted by term.

    `words` is a relation of (article_id, word, mentions) (count_words_query), one row per
    article and word. A term
    is a word of three letters or more, the tokenizer of sql/marts/article_terms.sql, kept
    identical (tests/test_sql_models.py compares the two): a run of a-z of three letters or
    more is exactly such a word. Stop words stay in: the SQL views drop them at query time
    (stop_words), so term_trend('the') works and there is one stop-word list, in sql/.
    """
    return f"""
        select
            word as term,
            cast(sum(mentions) as bigint) as mentions,
            cast(count(*) as bigint) as articles
        from {words}
        where length(word) >= 3
        group by word
        order by term
    """
