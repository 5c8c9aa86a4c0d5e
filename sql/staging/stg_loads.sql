-- grain: one row per load (load_id) recorded in the ledger.
create or replace view stg_loads as
with source as (
    select * from {{ source('loads') }}
),

renamed as (
    select
        load_id,
        kind,
        started_at,
        finished_at,
        status,
        files_seen,
        files_loaded,
        files_unchanged,
        files_duplicate,
        files_rejected,
        articles_written,
        photos_written,
        partitions_written
    from source
)

select * from renamed;
