-- grain: one row per author name (author), from each article's list of authors; a byline with
-- several names counts for each of them. Articles without an author are left out. kind tells a
-- person from an agency (Xinhua, AFP) or a desk (Global Times, GT staff reporters): filter on
-- kind = 'person' for top authors.
create or replace view authors as
with articles as (
    select * from stg_articles
),

bylines as (
    select
        unnest(authors) as author,
        article_id,
        published_date,
        section,
        word_count,
        len(authors) as byline_size
    from articles
    where len(authors) > 0
),

authors as (
    select
        author,
        count(distinct article_id) as articles,
        min(published_date) as first_published_date,
        max(published_date) as last_published_date,
        list_sort(list_distinct(list(section))) as sections,
        round(avg(word_count), 1) as avg_word_count,
        count(distinct article_id) filter (where byline_size > 1) as shared_bylines
    from bylines
    where author is not null and trim(author) <> ''
    group by author
)

select
    *,
    case
        when lower(author) in {{ agency_bylines() }} then 'agency'
        when lower(author) in {{ desk_bylines() }} then 'desk'
        else 'person'
    end as kind
from authors;
