-- sections accounts for every article once: its pairs' counts add up to the articles, dated and
-- undated.
-- on failure: a bug in sql/marts/sections.sql (no raw file can cause it): report it with these rows.
with totals as (
    select
        (select count(*) from stg_articles) as articles,
        (select coalesce(sum(articles), 0) from sections) as section_articles,
        (select count(*) from stg_articles where published_date is null) as undated,
        (select coalesce(sum(undated_articles), 0) from sections) as section_undated
)

select *
from totals
where articles <> section_articles or undated <> section_undated
