-- grain: one row per calendar month (month_start) from the first to the last dated article: how
-- many articles mention the term or phrase (whole words, any case, in title or body), and their
-- share of the month's articles. Months without a mention show 0.
create or replace macro term_trend(term) as table
with articles as (
    select * from stg_articles
    where published_date is not null
),

by_month as (
    select
        cast(date_trunc('month', published_date) as date) as month_start,
        count(*) as month_articles,
        count(*) filter (
            where regexp_matches(
                title || ' ' || body,
                -- each word escaped, any run of spaces between them
                '(?i)\b'
                || array_to_string(
                    list_transform(string_split_regex(trim(term), '\s+'), lambda w: regexp_escape(w)),
                    '\s+'
                )
                || '\b'
            )
        ) as articles
    from articles
    group by all
),

months as (
    select cast(unnest(generate_series(min(month_start), max(month_start), interval 1 month)) as date)
        as month_start
    from by_month
)

select
    months.month_start,
    trim(term) as term,
    coalesce(by_month.articles, 0) as articles,
    coalesce(by_month.month_articles, 0) as month_articles,
    coalesce(round(by_month.articles / nullif(by_month.month_articles, 0), 4), 0) as article_share
from months
left join by_month using (month_start)
order by months.month_start;
