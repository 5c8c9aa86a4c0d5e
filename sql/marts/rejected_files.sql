-- grain: one row per raw file (source_file) that is rejected now; it is retried when it changes.
create or replace view rejected_files as
with source as (
    select * from stg_rejected_files
)

select * from source;
