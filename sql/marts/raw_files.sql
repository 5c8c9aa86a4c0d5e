-- grain: one row per raw file (source_file) the warehouse has seen: its state in the manifest
-- (loaded, duplicate, rejected, or deleted: gone from raw/, by the load in load_id).
create or replace view raw_files as
with source as (
    select * from stg_manifest
)

select * from source;
