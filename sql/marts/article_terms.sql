-- grain: one row per article and term (article_id, term): how often a word (lower case, accents
-- stripped, three letters or more, not a stop word) occurs in the title and body.
-- The drill-down behind terms_monthly, tokenized from the bodies when queried: filter on
-- published_year and published_month (or article_id within them) to read only those months.
create or replace view article_terms as
with articles as (
    select * from stg_articles
),

tokens as (
    select
        article_id,
        published_date,
        published_year,
        published_month,
        -- the tokenizer of newsetl/load/terms.py, which writes term_counts: keep the two identical
        unnest(regexp_extract_all(lower(strip_accents(title || ' ' || body)), '[a-z]{3,}')) as term
    from articles
),

counted as (
    select
        article_id,
        published_date,
        published_year,
        published_month,
        term,
        count(*) as mentions
    from tokens
    where term not in (select word from stop_words)
    group by all
)

select * from counted;
