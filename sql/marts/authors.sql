-- grain: one row per author name (author), from each article's list of authors; a byline with
-- several names counts for each of them, and a name labelled `Source: Xinhua` counts as
-- `Xinhua`. Articles without an author are left out. kind tells a person from an agency (Xinhua,
-- AFP, The Associated Press, Bloomberg; also a joint byline naming one, `Global Times - Xinhua`)
-- or a desk (Global Times, GT staff reporter(s), Editorial): filter on kind = 'person' for top
-- authors.
create or replace view authors as
with articles as (
    select * from stg_articles
),

listed as (
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

bylines as (
    -- a 'Source:' label dropped: `Source: Xinhua` is Xinhua's copy, counted with `Xinhua`
    -- (the pattern only where the name starts so: on every name it cost the view over half)
    select * replace (
        case
            when author ilike 'source%' then regexp_replace(trim(author), '^source\s*:\s*', '', 'i')
            else author
        end as author
    )
    from listed
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
),

named as (
    select
        *,
        -- the outlets a byline names: the parts of a joint byline, `Global Times - Xinhua`,
        -- read one by one (`Wang Xiao-ming` stays whole)
        list_transform(
            string_split_regex(lower(trim(author)), '\s+[-–—]\s+'), lambda part: trim(part)
        ) as parts
    from authors
)

select
    * exclude (parts),
    case
        -- any agency in it: the article is (partly) the agency's copy
        when list_bool_or(list_transform(parts, lambda part: part in {{ agency_bylines() }}))
            then 'agency'
        when list_bool_and(list_transform(parts, lambda part: part in {{ desk_bylines() }}))
            then 'desk'
        else 'person'
    end as kind
from named;
