-- calendar has one row per day, no gap, from the first to the last published date, and its
-- article counts are the dated articles' (a day missing or counted twice breaks joins on it).
-- on failure: a bug in sql/marts/calendar.sql (no raw file can cause it): report it with these rows.
with days as (
    select
        date_day,
        articles,
        date_day - lag(date_day) over (order by date_day) as step
    from calendar
),

dated as (
    select published_date as date_day, count(*) as articles
    from stg_articles
    where published_date is not null
    group by published_date
)

select
    coalesce(days.date_day, dated.date_day) as date_day,
    days.articles as calendar_articles,
    dated.articles as dated_articles,
    days.step
from days
full outer join dated using (date_day)
where days.date_day is null
   or days.articles <> coalesce(dated.articles, 0)
   or days.step <> 1
