-- grain: one row per raw file (source_file) that is rejected now (a folder that cannot be listed:
-- its path ending in /); it is retried when it changes, or by every run when it was unreadable.
create or replace view rejected_files as
with source as (
    select * from stg_rejected_files
)

select * from source;
