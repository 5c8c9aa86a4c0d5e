-- grain: one row per raw file (source_file) the warehouse has seen.
create or replace view stg_manifest as
with source as (
    select * from {{ source('manifest') }}
),

renamed as (
    select
        source_file,
        size as size_bytes,
        mtime_ns,
        sha256,
        status,
        article_id,
        published_date,
        load_id,
        first_seen,
        last_loaded
    from source
)

select * from renamed;
