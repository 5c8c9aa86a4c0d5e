-- grain: one row per article (article_id), the latest version loaded from raw/.
-- Renames and casts only: the Parquet partitions under warehouse/articles/.
create or replace view stg_articles as
with source as (
    select * from {{ source('articles') }}
),

renamed as (
    select
        article_id,
        source_file,
        published_date,
        year as published_year,
        month as published_month,
        title,
        section,
        subsection,
        author,
        authors,
        author_title,
        author_description,
        body,
        print_headline,
        word_count,
        paragraph_count,
        photo_count,
        repair_lines_joined,
        repair_paragraphs_split,
        repair_quotes_moved,
        repair_stray_chars_removed,
        repair_mojibake_fixed,
        repair_captions_extracted,
        repair_headline_echo_removed,
        repair_trailers_removed,
        parse_notes,
        content_sha256,
        load_id,
        ingested_at
    from source
)

select * from renamed;
