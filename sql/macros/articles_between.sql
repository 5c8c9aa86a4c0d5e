-- grain: one row per article (article_id) published from first_day to last_day, both included
-- (dates or 'YYYY-MM-DD' strings). Reads only the partitions of those months.
create or replace macro articles_between(first_day, last_day) as table
with bounds as (
    select
        cast(first_day as date) as first_day,
        cast(last_day as date) as last_day
),

articles as (
    select * from articles
)

select articles.*
from articles, bounds
-- the year/month conditions repeat the date range on the hive partition columns, so DuckDB
-- prunes whole files before reading any
where articles.published_date between bounds.first_day and bounds.last_day
    and articles.published_year between year(cast(first_day as date)) and year(cast(last_day as date))
    and (
        articles.published_year > year(cast(first_day as date))
        or articles.published_month >= month(cast(first_day as date))
    )
    and (
        articles.published_year < year(cast(last_day as date))
        or articles.published_month <= month(cast(last_day as date))
    );
