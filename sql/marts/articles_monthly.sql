-- grain: one row per calendar month, section and subsection (month_start, section, subsection)
-- with at least one article; undated articles are left out.
-- Rolled up from articles_daily, so the three periods always agree.
create or replace view articles_monthly as
with daily as (
    select * from articles_daily
),

by_month as (
    select
        cast(date_trunc('month', published_date) as date) as month_start,
        section,
        subsection,
        cast(sum(articles) as bigint) as articles,
        cast(sum(words) as bigint) as words,
        cast(sum(photos) as bigint) as photos
    from daily
    group by all
),

monthly as (
    select
        month_start,
        cast(year(month_start) as integer) as published_year,
        cast(month(month_start) as integer) as published_month,
        section,
        subsection,
        articles,
        words,
        round(words / articles, 1) as avg_word_count,
        photos
    from by_month
)

select * from monthly;
