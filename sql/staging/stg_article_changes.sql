-- grain: one row per article and load that added, updated or removed it (article_id, load_id),
-- from warehouse/_state/article_changes/<load_id>.parquet (one file per load; none for the loads
-- from before the change history).
create or replace view stg_article_changes as
with source as (
    select * from {{ source('article_changes') }}
),

renamed as (
    select
        cast(article_id as varchar) as article_id,
        cast(load_id as varchar) as load_id,
        cast(change as varchar) as change,
        cast(sha256_before as varchar) as sha256_before,
        cast(sha256_after as varchar) as sha256_after,
        cast(title as varchar) as title,
        cast(published_date as date) as published_date,
        cast(source_file as varchar) as source_file
    from source
)

select * from renamed;
