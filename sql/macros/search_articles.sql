-- grain: one row per article (article_id) matching the query, best first: the best max_results
-- (100 unless given; max_results := null returns every match, search_count(query) counts them).
-- Web-search syntax (search_query): words are all required (`trade tariffs`), "..." is a
-- phrase (`"belt and road"`; `Belt-and-Road` and `COVID-19` are read as phrases too), OR
-- between words or phrases accepts either (`yuan OR renminbi`), a leading minus excludes
-- (`trade -war`). Words keep digits and dots (`5G`, `G20`, `U.S.`, `2022`); case and accents
-- never matter; English stop words are left out. Ranked by BM25 (search_matches), a title
-- mention counting title_weight times (3 unless given); a snippet of the body around the first
-- match with the matched words marked «like this». An empty query, one of stop words only or
-- one that is not text raises an error that says what to do. Needs the fts extension (see
-- docs/warehouse.md: any DuckDB 1.5.5 client on a machine where `make install` ran loads it).
create or replace macro search_articles(query, max_results := 100, title_weight := 3) as table
with matches as (
    select * from search_matches(query, title_weight := title_weight)
),

best as (
    -- cut before the snippets: a common word matches a third of a million-article archive, and
    -- a snippet for every match cost over a minute when the caller wanted ten
    select matches.article_id, matches.score
    from matches
    inner join articles using (article_id)
    qualify max_results is null
        or row_number() over (
            order by matches.score desc, articles.published_date desc, matches.article_id
        ) <= max_results
),

query_words as (
    -- the words to mark: those the query looks for (not the excluded ones), and their stems
    select distinct word, stem(word, 'porter') as stem
    from (select unnest(words) as word from search_query(query) where not excluded)
    where word not in (select word from search_stop_words)
),

query_stems as (
    select
        list(stem) as stems,
        -- where to look in the body: the stems, and the words themselves (porter turns
        -- 'economy' into 'economi', which the text never contains)
        list_distinct(list(stem) || list(word)) as needles,
        -- first characters of the words: only pieces starting with one are stemmed for marking
        list_distinct(list(left(word, 1))) as initials
    from query_words
),

located as (
    select
        articles.*,
        best.score,
        query_stems.stems,
        query_stems.initials,
        -- lower() first: strip_accents on every matching body cost more than the rest together,
        -- so only a body where no needle shows without it (`Málaga`) is stripped
        coalesce(
            list_min(list_transform(
                query_stems.needles, lambda s: nullif(strpos(lower(articles.body), s), 0)
            )),
            list_min(list_transform(
                query_stems.needles,
                lambda s: nullif(strpos(strip_accents(lower(articles.body)), s), 0)
            ))
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
        -- the words the index matches (same stem as a query word, accents and case aside)
        -- marked «like this»: the snippet is cut into words as search_tokens reads them
        -- (`U.S.` one piece) and runs of everything else, which join back losslessly; the
        -- patterns are constants, as a regex built per row costs milliseconds
        array_to_string(
            list_transform(
                regexp_extract_all(
                    plain_snippet,
                    '\pL(?:\.\pL)+\b\.?|[0-9]+(?:\.[0-9]+)+\b|[\pL\pN]+|[^\pL\pN]+'
                ),
                lambda piece: case
                    when list_contains(initials, lower(strip_accents(left(piece, 1))))
                        and list_has_any(
                            stems,
                            list_transform(search_tokens(piece), lambda w: stem(w, 'porter'))
                        )
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
