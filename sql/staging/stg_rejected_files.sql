-- grain: one row per raw file (source_file) that is currently rejected.
create or replace view stg_rejected_files as
with source as (
    select * from {{ source('rejected_files') }}
),

renamed as (
    select
        source_file,
        sha256,
        reason,
        detail,
        load_id,
        first_seen
    from source
)

select * from renamed;
