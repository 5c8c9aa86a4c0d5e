-- grain: one row per article (article_id): the documents of the full-text index, their BM25
-- length and their date. Renames and casts only, over the Parquet partitions under
-- warehouse/search_documents/, which each load writes with search_terms
-- (newsetl/load/search_index.py).
create or replace view stg_search_documents as
with source as (
    select * from {{ source('search_documents') }}
    -- files written before published_date existed (DERIVED_VERSION 3) read it as NULL, so the
    -- build works before the next load has computed them again (newsetl/load/derived.py)
    union all by name
    select null::date as published_date
    where false
),

renamed as (
    select
        cast(year as integer) as published_year,
        cast(month as integer) as published_month,
        cast(article_id as varchar) as article_id,
        cast(published_date as date) as published_date,
        cast(indexed_words as bigint) as indexed_words
    from source
)

select * from renamed;
