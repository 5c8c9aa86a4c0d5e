-- grain: one row per calendar month and term (month_start, term) used in at least one dated
-- article that month, stop words left out: mentions, and the number and share of the month's
-- articles using it. Read from the term counts each load writes (stg_term_counts), not from the
-- bodies; a filter on published_year and published_month reads only that month's file.
create or replace view terms_monthly as
with terms as (
    select * from stg_term_counts
    where published_year is not null
        and term not in (select word from stop_words)
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
        terms.mentions,
        terms.articles,
        round(terms.articles / month_totals.month_articles, 4) as article_share
    from terms
    inner join month_totals using (published_year, published_month)
)

select * from monthly;
