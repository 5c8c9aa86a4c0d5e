-- grain: one row per photo (article_id, position) taken out of an article's body.
-- Renames and casts only, over the Parquet partitions under warehouse/article_photos/.
create or replace view stg_article_photos as
with source as (
    select * from {{ source('article_photos') }}
),

renamed as (
    select
        cast(article_id as varchar) as article_id,
        cast(position as integer) as position,
        cast(caption as varchar) as caption,
        cast(credit as varchar) as credit,
        cast(kind as varchar) as kind,
        cast(year as integer) as published_year,
        cast(month as integer) as published_month,
        cast(load_id as varchar) as load_id
    from source
)

select * from renamed;
