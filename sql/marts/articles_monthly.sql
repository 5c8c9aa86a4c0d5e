-- grain: one row per calendar month, section and subsection (month_start, section, subsection)
-- with at least one article; undated articles are left out.
create or replace view articles_monthly as
with articles as (
    select * from stg_articles
    where published_date is not null
),

monthly as (
    select
        cast(date_trunc('month', published_date) as date) as month_start,
        published_year,
        published_month,
        section,
        subsection,
        count(*) as articles,
        sum(word_count) as words,
        round(avg(word_count), 1) as avg_word_count,
        sum(photo_count) as photos
    from articles
    group by all
)

select * from monthly;
