-- grain: one row per load (load_id) recorded in the ledger (warehouse/_state/loads.parquet).
create or replace view stg_loads as
with source as (
    select * from {{ source('loads') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(kind as varchar) as kind,
        cast(started_at as timestamptz) as started_at,
        cast(finished_at as timestamptz) as finished_at,
        cast(status as varchar) as status,
        cast(files_seen as bigint) as files_seen,
        cast(files_loaded as bigint) as files_loaded,
        cast(files_unchanged as bigint) as files_unchanged,
        cast(files_duplicate as bigint) as files_duplicate,
        cast(files_rejected as bigint) as files_rejected,
        cast(articles_written as bigint) as articles_written,
        cast(photos_written as bigint) as photos_written,
        cast(partitions_written as bigint) as partitions_written,
        cast(coalesce(files_deleted, 0) as bigint) as files_deleted,
        cast(coalesce(articles_removed, 0) as bigint) as articles_removed,
        -- NULL for a load from before the change history (article_changes)
        cast(articles_added as bigint) as articles_added,
        cast(articles_updated as bigint) as articles_updated
    from source
)

select * from renamed;
