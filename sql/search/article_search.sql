-- grain: one row per article (article_id): the full-text index over title and body.
-- BM25 statistics of porter-stemmed words, English stop words left out, live in the schema
-- fts_main_article_search (tables docs, dict, terms, stats, stopwords); search_articles() reads them.
-- The text is copied in only to build the index and dropped again: articles reads it from Parquet.
create or replace table article_search as
select article_id, title, body
from stg_articles;

pragma create_fts_index(
    'article_search', 'article_id', 'title', 'body',
    stemmer = 'porter', stopwords = 'english', ignore = '[^a-z]+',
    strip_accents = 1, lower = 1, overwrite = 1
);

drop table article_search;
