-- grain: one row per article (article_id) matching the query, best first, the best max_results
-- of them (100 unless given, e.g. search_articles('trade', max_results := 1000)): BM25 score over
-- title and body (porter-stemmed, English stop words ignored; any query word may match) and a
-- snippet of the body around the first match, with the matching words marked «like this». Needs
-- the fts extension loaded (newsetl sql and newsetl.connect.connect() do it).
create or replace macro search_articles(query, max_results := 100) as table
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

best as (
    -- cut before the snippets: a common word matches a third of a million-article archive, and
    -- a snippet for every match cost over a minute when the caller wanted ten
    select matches.article_id, matches.score
    from matches
    inner join articles using (article_id)
    qualify row_number() over (
        order by matches.score desc, articles.published_date desc, matches.article_id
    ) <= max_results
),

query_words as (
    -- the query as the index reads it: lower case, accents stripped, split at anything but a-z,
    -- stop words left out
    select distinct token as word, stem(token, 'porter') as stem
    from (
        select unnest(regexp_split_to_array(lower(strip_accents(query)), '[^a-z]+')) as token
    )
    where length(token) >= 2
        and token not in (select sw from fts_main_article_search.stopwords)
),

query_stems as (
    select
        list(stem) as stems,
        -- where to look in the body: the stems, and the words themselves (porter turns
        -- 'economy' into 'economi', which the text never contains)
        list_distinct(list(stem) || list(word)) as needles,
        -- first letters of the stems: only words starting with one are stemmed for marking
        list_distinct(list(left(stem, 1))) as initials
    from query_words
),

located as (
    select
        articles.*,
        best.score,
        query_stems.stems,
        query_stems.initials,
        -- lower() only: strip_accents on every matching body cost more than the rest together
        list_min(
            list_transform(query_stems.needles, lambda s: nullif(strpos(lower(articles.body), s), 0))
        ) as match_at
    from best
    inner join articles using (article_id)
    cross join query_stems
),

windowed as (
    select
        *,
        -- 260 characters from 80 before the first query word (from the start when it is near)
        greatest(coalesce(match_at, 1) - 80, 1) as window_start
    from located
),

snipped as (
    select
        *,
        -- about 240 characters around the first query word on one line, a word cut at either
        -- end of the window dropped and an ellipsis where text was left out
        regexp_replace(
            case when window_start > 1 then '…' else '' end
            || regexp_replace(
                regexp_replace(
                    substr(body, window_start, 260),
                    case when window_start > 1 then '^\S*\s+' else '^' end,
                    ''
                ),
                case when window_start + 259 < length(body) then '\s+\S*$' else '$' end,
                ''
            )
            || case when window_start + 259 < length(body) then '…' else '' end,
            '\s+', ' ', 'g'
        ) as plain_snippet
    from windowed
),

marked as (
    select
        *,
        -- the words the index matches (same porter stem as a query word) marked «like this»:
        -- the snippet is cut into runs of letters and of everything else, which join back
        -- losslessly; the patterns are constants, as a regex built per row costs milliseconds
        array_to_string(
            list_transform(
                regexp_extract_all(plain_snippet, '\pL+|\PL+'),
                lambda piece: case
                    when list_contains(initials, lower(left(piece, 1)))
                        and list_contains(stems, stem(lower(piece), 'porter'))
                        then '«' || piece || '»'
                    else piece
                end
            ),
            ''
        ) as snippet
    from snipped
)

select
    article_id,
    round(score, 4) as score,
    published_date,
    section,
    subsection,
    title,
    author,
    snippet,
    word_count
from marked
order by score desc, published_date desc, article_id;
