-- grain: one row per ISO week (starting Monday), section and subsection
-- (week_start, section, subsection) with at least one article; undated articles are left out.
-- Rolled up from articles_daily, so the three periods always agree.
create or replace view articles_weekly as
with daily as (
    select * from articles_daily
),

by_week as (
    select
        cast(date_trunc('week', published_date) as date) as week_start,
        section,
        subsection,
        cast(sum(articles) as bigint) as articles,
        cast(sum(words) as bigint) as words,
        cast(sum(photos) as bigint) as photos
    from daily
    group by all
),

weekly as (
    select
        week_start,
        section,
        subsection,
        articles,
        words,
        round(words / articles, 1) as avg_word_count,
        photos
    from by_week
)

select * from weekly;
