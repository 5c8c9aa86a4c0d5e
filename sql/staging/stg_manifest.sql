-- grain: one row per raw file (source_file) the warehouse has seen (warehouse/_state/manifest.parquet).
create or replace view stg_manifest as
with source as (
    select * from {{ source('manifest') }}
),

renamed as (
    select
        cast(source_file as varchar) as source_file,
        cast(size as bigint) as size_bytes,
        cast(mtime_ns as bigint) as mtime_ns,
        cast(sha256 as varchar) as sha256,
        cast(status as varchar) as status,
        cast(detail as varchar) as detail,
        cast(article_id as varchar) as article_id,
        cast(published_date as date) as published_date,
        cast(load_id as varchar) as load_id,
        cast(first_seen as timestamptz) as first_seen,
        cast(last_loaded as timestamptz) as last_loaded
    from source
)

select * from renamed;
