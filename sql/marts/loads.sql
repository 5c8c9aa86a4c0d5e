-- grain: one row per load (load_id): what each run of the pipeline did.
create or replace view loads as
with source as (
    select * from stg_loads
)

select
    *,
    -- seconds as a number, not an INTERVAL: polars, and so .pl(), cannot read an INTERVAL
    epoch(finished_at - started_at) as duration_seconds
from source;
