-- grain: one row per article (article_id): the cleaned text and its header fields.
create or replace view articles as
with source as (
    select * from stg_articles
)

select * from source;
