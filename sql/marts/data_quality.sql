-- grain: one row per data quality check (check_name), zero counts included: how many articles or
-- raw files it finds, what it means, and the query that lists them (data_quality_issues), in
-- order of article and file.
create or replace view data_quality as
with issues as (
    select * from data_quality_issues
),

checks as (
    select * from (values
        (1, 'undated_article', 'articles without a published date: kept, in the undated '
            || 'partition, but left out of every time view (articles_daily, calendar, ...)'),
        (2, 'empty_body', 'articles whose body has no words after cleaning'),
        (3, 'shared_id', 'raw files that carry the same article_id, often with different '
            || 'content: not copies as a rule, but other articles (or versions) under one id. '
            || 'articles shows one per id, from the newest file (by mtime, then path: a newer '
            || 'file is read as a newer version of the article), and no view shows the others; '
            || 'detail says which file is shown and whether each hidden one is a copy of it or '
            || 'different content (read that in the raw file)'),
        (4, 'rejected_file', 'raw files that could not become an article (reason in detail); '
            || 'retried when they change')
    ) as checks (check_order, check_name, description)
),

counts as (
    select check_name, count(*) as affected
    from issues
    group by check_name
)

select
    checks.check_name,
    checks.description,
    cast(coalesce(counts.affected, 0) as bigint) as affected,
    -- ordered so that the files sharing an id come together
    'select * from data_quality_issues where check_name = '''
        || checks.check_name || ''' order by article_id, source_file' as list_query
from checks
left join counts using (check_name)
order by checks.check_order;
