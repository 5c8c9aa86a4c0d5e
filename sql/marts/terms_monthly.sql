-- grain: one row per calendar month and term (month_start, term) used in at least one dated
-- article that month: mentions, and the number and share of the month's articles using it.
create or replace view terms_monthly as
with terms as (
    select * from article_terms
    where published_year is not null
),

month_totals as (
    select
        published_year,
        published_month,
        count(*) as month_articles
    from stg_articles
    where published_year is not null
    group by all
),

monthly as (
    select
        make_date(terms.published_year, terms.published_month, 1) as month_start,
        terms.published_year,
        terms.published_month,
        terms.term,
        sum(terms.mentions) as mentions,
        count(*) as articles,
        round(count(*) / any_value(month_totals.month_articles), 4) as article_share
    from terms
    inner join month_totals using (published_year, published_month)
    group by all
)

select * from monthly;
