-- grain: one row per day (date_day) from the first to the last published date of the articles,
-- zero-article days included: join a daily count to it (left join ... using (date_day)) to see
-- the days nothing was published. Empty while no article has a date.
create or replace view calendar as
with daily as (
    select * from articles_daily
),

bounds as (
    select min(published_date) as first_day, max(published_date) as last_day
    from daily
),

days as (
    select cast(unnest(range(first_day, last_day + interval 1 day, interval 1 day)) as date)
        as date_day
    from bounds
    where first_day is not null
),

articles_by_day as (
    select published_date as date_day, cast(sum(articles) as bigint) as articles
    from daily
    group by published_date
),

calendar as (
    select
        days.date_day,
        cast(isodow(days.date_day) as bigint) as day_of_week,
        dayname(days.date_day) as day_name,
        cast(date_trunc('week', days.date_day) as date) as week_start,
        cast(isoyear(days.date_day) as bigint) as iso_year,
        cast(weekofyear(days.date_day) as bigint) as iso_week,
        cast(date_trunc('month', days.date_day) as date) as month_start,
        cast(month(days.date_day) as bigint) as month,
        cast(date_trunc('quarter', days.date_day) as date) as quarter_start,
        cast(quarter(days.date_day) as bigint) as quarter,
        cast(year(days.date_day) as bigint) as year,
        coalesce(articles_by_day.articles, 0) as articles
    from days
    left join articles_by_day using (date_day)
)

select * from calendar;
