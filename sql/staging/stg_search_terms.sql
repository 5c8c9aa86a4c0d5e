-- grain: one row per article and indexed term (article_id, term): the postings of the full-text
-- index. Renames and casts only, over the Parquet partitions under warehouse/search_terms/, which
-- each load writes from the articles of the same partition (newsetl/load/search_index.py); each file
-- is sorted by term, so a query for a few terms reads only the row groups that hold them.
create or replace view stg_search_terms as
with source as (
    select * from {{ source('search_terms') }}
    -- files written before title_mentions existed (DERIVED_VERSION 1) read it as NULL, so the
    -- build works before the next load has computed them again (newsetl/load/derived.py)
    union all by name
    select null::bigint as title_mentions
    where false
),

renamed as (
    select
        cast(year as integer) as published_year,
        cast(month as integer) as published_month,
        cast(article_id as varchar) as article_id,
        -- qualified, as in stg_term_counts: a macro's argument may be called term
        cast(source.term as varchar) as term,
        cast(mentions as bigint) as mentions,
        coalesce(cast(title_mentions as bigint), 0) as title_mentions
    from source
)

select * from renamed;
