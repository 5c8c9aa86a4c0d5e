-- grain: one row per article (article_id) matching the query, best first: BM25 score over title
-- and body (porter-stemmed, English stop words ignored; any query word may match) and a snippet of
-- the body around the first match. Needs the fts extension loaded (newsetl sql and
-- newsetl.connect.connect() do it).
create or replace macro search_articles(query) as table
with scored as (
    select
        name as article_id,
        fts_main_article_search.match_bm25(name, query) as score
    from fts_main_article_search.docs
),

matches as (
    select * from scored
    where score is not null
),

query_stems as (
    select list(distinct stem(token, 'porter')) as stems
    from (
        select unnest(regexp_split_to_array(lower(strip_accents(query)), '[^a-z]+')) as token
    )
    where length(token) >= 2
),

located as (
    select
        articles.*,
        matches.score,
        list_min(
            list_transform(
                query_stems.stems,
                lambda s: nullif(strpos(lower(strip_accents(articles.body)), s), 0)
            )
        ) as match_at
    from matches
    inner join articles using (article_id)
    cross join query_stems
)

select
    article_id,
    round(score, 4) as score,
    published_date,
    section,
    subsection,
    title,
    author,
    -- about 240 characters around the first query word, cut at word boundaries, on one line
    regexp_replace(
        case
            when coalesce(match_at, 1) <= 80 then regexp_replace(left(body, 260), '\s+\S*$', '')
            else '…' || regexp_replace(
                regexp_replace(substr(body, match_at - 80, 260), '^\S*\s+', ''), '\s+\S*$', ''
            )
        end || '…',
        '\s+', ' ', 'g'
    ) as snippet,
    word_count
from located
order by score desc, published_date desc, article_id;
