-- grain: one row per article (article_id): the documents of the full-text index and their BM25
-- length. Renames and casts only, over the Parquet partitions under warehouse/search_documents/,
-- which each load writes with search_terms (newsetl/load/search_index.py).
create or replace view stg_search_documents as
with source as (
    select * from {{ source('search_documents') }}
),

renamed as (
    select
        cast(year as integer) as published_year,
        cast(month as integer) as published_month,
        cast(article_id as varchar) as article_id,
        cast(indexed_words as bigint) as indexed_words
    from source
)

select * from renamed;
