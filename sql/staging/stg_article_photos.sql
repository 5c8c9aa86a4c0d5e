-- grain: one row per photo (article_id, position) taken out of an article's body.
create or replace view stg_article_photos as
with source as (
    select * from {{ source('article_photos') }}
),

renamed as (
    select
        article_id,
        position,
        caption,
        credit,
        year as published_year,
        month as published_month,
        load_id
    from source
)

select * from renamed;
