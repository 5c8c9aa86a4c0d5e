-- grain: one row per photo (article_id, position): caption and credit taken out of the body.
create or replace view article_photos as
with source as (
    select * from stg_article_photos
)

select * from source;
