-- grain: one row per load (load_id): what each run of the pipeline did.
create or replace view loads as
with source as (
    select * from stg_loads
)

select
    *,
    finished_at - started_at as duration
from source;
