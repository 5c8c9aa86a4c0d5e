-- grain: one row per article and term (article_id, term): how often a word (lower case, accents
-- stripped, three letters or more, not a stop word) occurs in the title and body.
-- Computed when queried: filter on published_year/published_month to read fewer files.
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
        unnest(regexp_split_to_array(lower(strip_accents(title || ' ' || body)), '[^a-z]+')) as term
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
    where length(term) >= 3 and term not in (select word from stop_words)
    group by all
)

select * from counted;
