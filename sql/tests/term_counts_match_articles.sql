-- term_counts agrees with articles: no counts for a month without articles, no term in more
-- articles than its month has, and no month with a three-letter word in a title left without
-- counts (the signs of a load that wrote one table and not the other, or of stale counts).
-- on failure: no raw file can cause this: rewrite the derived tables with `newsetl run
-- --full-refresh`; if the test fails again, report it with these rows.
with month_articles as (
    select published_year, published_month, count(*) as articles
    from stg_articles
    group by all
),

month_terms as (
    select published_year, published_month, max(articles) as most_articles
    from stg_term_counts
    group by all
),

compared as (
    select
        coalesce(a.published_year, t.published_year) as published_year,
        coalesce(a.published_month, t.published_month) as published_month,
        a.articles,
        t.most_articles
    from month_articles as a
    full outer join month_terms as t
        on a.published_year is not distinct from t.published_year
        and a.published_month is not distinct from t.published_month
)

select
    published_year,
    published_month,
    articles,
    most_articles,
    case
        when articles is null then 'term counts for a month without articles'
        when most_articles > articles then 'a term in more articles than the month has'
        else 'articles with words but no term counts'
    end as problem
from compared
where articles is null
    or most_articles > articles
    or (
        most_articles is null
        and exists (
            select 1 from stg_articles as s
            where s.published_year is not distinct from compared.published_year
                and s.published_month is not distinct from compared.published_month
                and regexp_matches(lower(strip_accents(s.title)), '[a-z]{3}')
        )
    )
