-- grain: one row per article and word it holds (article_id, word; stop words too): where the
-- word stands in the article. Renames and casts only, over the Parquet partitions under
-- warehouse/search_positions/, which each load writes with search_terms
-- (newsetl/load/search_index.py); each file is sorted by word, so a phrase reads only the row
-- groups of its words. A warehouse whose last load came before DERIVED_VERSION 5 has none:
-- search_matches then checks phrases against the text.
create or replace view stg_search_positions as
with source as (
    select * from {{ source('search_positions') }}
),

renamed as (
    select
        cast(year as integer) as published_year,
        cast(month as integer) as published_month,
        cast(article_id as varchar) as article_id,
        cast(source.word as varchar) as word,
        cast(positions as integer[]) as positions
    from source
)

select * from renamed;
