-- grain: one row per calendar month and rank (month_start, term_rank): the 25 terms with the most
-- mentions that month (ties broken by articles, then alphabetically).
create or replace view top_terms_monthly as
with terms as (
    select * from terms_monthly
),

ranked as (
    select
        month_start,
        row_number() over (
            partition by month_start order by mentions desc, articles desc, term
        ) as term_rank,
        term,
        mentions,
        articles,
        article_share
    from terms
)

select * from ranked
where term_rank <= 25;
