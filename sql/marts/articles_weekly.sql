-- grain: one row per ISO week (starting Monday), section and subsection
-- (week_start, section, subsection) with at least one article; undated articles are left out.
create or replace view articles_weekly as
with articles as (
    select * from stg_articles
    where published_date is not null
),

weekly as (
    select
        cast(date_trunc('week', published_date) as date) as week_start,
        section,
        subsection,
        count(*) as articles,
        sum(word_count) as words,
        round(avg(word_count), 1) as avg_word_count,
        sum(photo_count) as photos
    from articles
    group by all
)

select * from weekly;
