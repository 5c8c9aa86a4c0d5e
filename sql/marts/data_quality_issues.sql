-- grain: one row per data quality issue and the article or raw file it concerns (check_name,
-- source_file): undated_article, empty_body, shared_id (one row per file carrying an id that
-- other files carry too, winner and losers), rejected_file. data_quality counts them; list one
-- case with `select * from data_quality_issues where check_name = 'undated_article'`.
create or replace view data_quality_issues as
with articles as (
    select article_id, source_file, published_date, word_count, parse_notes from stg_articles
),

files as (
    select * from stg_manifest
    where status <> 'deleted'
),

shared as (
    select article_id
    from files
    where article_id is not null
    group by article_id
    having count(*) > 1
),

rejected as (
    select * from stg_rejected_files
),

issues as (
    select
        'undated_article' as check_name,
        article_id,
        source_file,
        coalesce(nullif(array_to_string(parse_notes, '; '), ''), 'no published date in the header')
            as detail
    from articles
    where published_date is null

    union all

    select 'empty_body', article_id, source_file, 'no text after the header (0 words)'
    from articles
    where coalesce(word_count, 0) = 0

    union all

    select
        'shared_id',
        files.article_id,
        files.source_file,
        files.status || coalesce(': ' || files.detail, '')
    from files
    inner join shared using (article_id)

    union all

    select 'rejected_file', null, source_file, reason || coalesce(': ' || detail, '')
    from rejected
)

select * from issues;
