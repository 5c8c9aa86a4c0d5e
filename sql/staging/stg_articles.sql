-- grain: one row per article (article_id), the latest version loaded from raw/.
-- Renames and casts only, over the Parquet partitions under warehouse/articles/ (the hive path gives
-- published_year and published_month: filter on them to read fewer files).
create or replace view stg_articles as
with source as (
    select * from {{ source('articles') }}
),

renamed as (
    select
        cast(article_id as varchar) as article_id,
        cast(source_file as varchar) as source_file,
        cast(published_date as date) as published_date,
        cast(year as integer) as published_year,
        cast(month as integer) as published_month,
        cast(title as varchar) as title,
        cast(section as varchar) as section,
        cast(subsection as varchar) as subsection,
        cast(author as varchar) as author,
        cast(authors as varchar[]) as authors,
        cast(author_title as varchar) as author_title,
        cast(author_description as varchar) as author_description,
        cast(body as varchar) as body,
        cast(print_headline as varchar) as print_headline,
        cast(word_count as integer) as word_count,
        cast(paragraph_count as integer) as paragraph_count,
        cast(photo_count as integer) as photo_count,
        cast(repair_lines_joined as integer) as repair_lines_joined,
        cast(repair_paragraphs_split as integer) as repair_paragraphs_split,
        cast(repair_quotes_moved as integer) as repair_quotes_moved,
        cast(repair_stray_chars_removed as integer) as repair_stray_chars_removed,
        cast(repair_mojibake_fixed as integer) as repair_mojibake_fixed,
        cast(repair_captions_extracted as integer) as repair_captions_extracted,
        cast(repair_headline_echo_removed as integer) as repair_headline_echo_removed,
        cast(repair_trailers_removed as integer) as repair_trailers_removed,
        cast(parse_notes as varchar[]) as parse_notes,
        cast(content_sha256 as varchar) as content_sha256,
        cast(load_id as varchar) as load_id,
        cast(ingested_at as timestamptz) as ingested_at
    from source
)

select * from renamed;
