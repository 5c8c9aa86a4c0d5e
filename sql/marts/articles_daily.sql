-- grain: one row per publication day, section and subsection (published_date, section, subsection)
-- with at least one article; undated articles are left out. section/subsection are NULL when the
-- article has none.
create or replace view articles_daily as
with articles as (
    select * from stg_articles
    where published_date is not null
),

daily as (
    select
        published_date,
        section,
        subsection,
        count(*) as articles,
        cast(sum(word_count) as bigint) as words,
        round(avg(word_count), 1) as avg_word_count,
        cast(sum(photo_count) as bigint) as photos
    from articles
    group by published_date, section, subsection
)

select * from daily;
