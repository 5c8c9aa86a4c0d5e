"""Monthly term counts (the term_counts table) of one articles partition, from its word counts."""

from __future__ import annotations


def term_counts_query(words: str) -> str:
    """SQL selecting `term, mentions, articles` from per-article word counts, sorted by term.

    `words` is a relation of (article_id, word, mentions) (newsetl.load.derived.words_query). A term
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
