-- grain: one row per article (article_id): the cleaned text and its header fields.
-- Date filters read fewer files when they also name published_year/published_month (or use the
-- macro articles_between).
create or replace view articles as
with source as (
    select * from stg_articles
)

select * from source;
