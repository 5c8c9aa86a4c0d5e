-- grain: one row per raw file (source_file): its state in the manifest (loaded, duplicate, rejected).
create or replace view raw_files as
with source as (
    select * from stg_manifest
)

select * from source;
