-- grain: one row per calendar month and agency (month_start, agency) with at least one credited
-- photo; photos of undated articles and photos without a credit are left out.
create or replace view photo_credits_monthly as
with photos as (
    select * from article_photos
    where credit is not null and published_year is not null
),

monthly as (
    select
        make_date(published_year, published_month, 1) as month_start,
        agency,
        count(*) as photos,
        count(*) filter (where kind = 'file photo') as file_photos,
        count(*) filter (where kind = 'illustration') as illustrations,
        count(*) filter (where kind = 'screenshot') as screenshots,
        count(*) filter (where kind = 'graphic') as graphics,
        count(distinct article_id) as articles,
        count(distinct credit) as distinct_credits
    from photos
    group by all
)

select * from monthly;
