-- grain: one row per raw file (source_file) that is currently rejected
-- (warehouse/_state/rejected_files.parquet).
create or replace view stg_rejected_files as
with source as (
    select * from {{ source('rejected_files') }}
),

renamed as (
    select
        cast(source_file as varchar) as source_file,
        cast(sha256 as varchar) as sha256,
        cast(reason as varchar) as reason,
        cast(detail as varchar) as detail,
        cast(load_id as varchar) as load_id,
        cast(first_seen as timestamptz) as first_seen
    from source
)

select * from renamed;
