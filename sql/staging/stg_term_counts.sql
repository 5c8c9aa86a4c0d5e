-- grain: one row per partition month and term (published_year, published_month, term), stop words
-- included. Renames and casts only, over the Parquet partitions under warehouse/term_counts/,
-- which each load writes from the articles of the same partition (newsetl/load/terms.py); the undated
-- articles' partition has NULL published_year/published_month.
create or replace view stg_term_counts as
with source as (
    select * from {{ source('term_counts') }}
),

renamed as (
    select
        cast(year as integer) as published_year,
        cast(month as integer) as published_month,
        -- qualified: term_trend(term) reads this view, and there an unqualified `term` would
        -- clash with the macro's argument
        cast(source.term as varchar) as term,
        cast(mentions as bigint) as mentions,
        cast(articles as bigint) as articles
    from source
)

select * from renamed;
