-- grain: one row per data quality issue and the article or raw file it concerns (check_name,
-- source_file): undated_article, empty_body, shared_id (one row per file carrying an id that
-- other files carry too: the one shown in articles, and the hidden ones, each a copy of it or
-- different content), rejected_file. data_quality counts them; list one case with
-- `select * from data_quality_issues where check_name = 'undated_article'`.
create or replace view data_quality_issues as
with articles as (
    select article_id, source_file, published_date, word_count, parse_notes from stg_articles
),

files as (
    select * from stg_manifest
    where status <> 'deleted'
),

shared as (
    select article_id, count(*) as id_files
    from files
    where article_id is not null
    group by article_id
    having count(*) > 1
),

shown as (
    -- the file each shared id's article comes from, and whether each other file holds the same
    -- bytes (a copy) or different content (another article, or another version of it)
    select
        files.article_id,
        files.source_file,
        files.status,
        files.detail,
        shared.id_files,
        articles.source_file as shown_file,
        files.source_file = articles.source_file as is_shown,
        files.sha256 = winner.sha256 as same_bytes,
        count(*) filter (
            where files.source_file <> articles.source_file and files.sha256 <> winner.sha256
        ) over (partition by files.article_id) as different_files
    from files
    inner join shared using (article_id)
    left join articles on articles.article_id = files.article_id
    left join files as winner on winner.source_file = articles.source_file
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
        article_id,
        source_file,
        case
            when is_shown then 'shown: the newest of the ' || id_files || ' files with this id '
                || '(by mtime, then path); ' || case different_files
                    when 0 then 'the others are copies of it (the same bytes)'
                    when 1 then '1 other holds different content, which no view shows'
                    else different_files || ' others hold different content, which no view '
                        || 'shows'
                end
            when status = 'duplicate' and same_bytes then 'hidden: a copy of ' || shown_file
                || ' (the same bytes): nothing is lost'
            when status = 'duplicate' and shown_file is not null then 'hidden: different '
                || 'content from ' || shown_file || ', which is shown as the newest (another '
                || 'article, or another version of it): read it in the raw file'
            else status || coalesce(': ' || detail, '')
        end
    from shown

    union all

    select 'rejected_file', null, source_file, reason || coalesce(': ' || detail, '')
    from rejected
)

select * from issues;
