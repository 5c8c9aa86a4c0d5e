-- grain: one row per section and subsection (section, subsection) of at least one article, NULL
-- for an article without one. A subsection name can appear under several sections (each pair is
-- a row): subsection_sections says under how many.
create or replace view sections as
with articles as (
    select * from stg_articles
),

pairs as (
    select
        section,
        subsection,
        count(*) as articles,
        count(*) filter (where published_date is null) as undated_articles,
        min(published_date) as first_published_date,
        max(published_date) as last_published_date
    from articles
    group by section, subsection
),

spread as (
    select subsection, count(distinct section) as subsection_sections
    from pairs
    where subsection is not null
    group by subsection
)

select
    pairs.section,
    pairs.subsection,
    cast(pairs.articles as bigint) as articles,
    cast(pairs.undated_articles as bigint) as undated_articles,
    pairs.first_published_date,
    pairs.last_published_date,
    cast(spread.subsection_sections as bigint) as subsection_sections
from pairs
left join spread using (subsection);
