-- grain: one row per article (article_id) matching the query, best first: the best max_results
-- (100 unless given; max_results := null returns every match, search_count(query) counts them).
-- Web-search syntax (search_query): words are all required (`trade tariffs`), "..." is a
-- phrase (`"belt and road"`; `Belt-and-Road` and `COVID-19` are read as phrases too), OR
-- between words or phrases accepts either (`yuan OR renminbi`), a leading minus excludes
-- (`trade -war`), a word in quotes is found as written (`"tariffs"`, not `tariff`). Words keep
-- digits and dots (`5G`, `G20`, `U.S.`, `2022`); case and accents never matter; English stop
-- words are left out, except in quotes. Ranked by BM25 (search_matches), a title
-- mention counting title_weight times (3 unless given; from 1 to 1,000,000); a snippet of the
-- body around the first matched word with the matched words marked «like this» (a match in
-- the title only shows the body's start). An empty query, one of stop words only or one that
-- is not text raises an error that says what to do, as does a max_results that is not a whole
-- number of 1 or more (or null) and a title_weight out of range. Needs the fts extension (see
-- docs/warehouse.md: any DuckDB 1.5.5 client on a machine where `make install` ran loads it).
create or replace macro search_articles(query, max_results := 100, title_weight := 3) as table
with matches as (
    -- (search_matches checks title_weight: limits below checks it again where nothing matches)
    select * from search_matches(query, title_weight := title_weight)
),

limits as (
    -- the arguments checked here, where the query reads them even when nothing matches (read
    -- through search_number: text, `'abc'`, gets the error below rather than a Binder error)
    select case
        -- search_title_weight raises for a bad title_weight and never returns null
        when search_title_weight(title_weight) is null then null
        when max_results is null then null
        when search_number(max_results) is null
            or not isfinite(search_number(max_results))
            or search_number(max_results) != floor(search_number(max_results))
            then error(
                'search_articles: max_results := ' || cast(max_results as varchar)
                || ': give a whole number, 1 or more, or null for every match'
            )
        when search_number(max_results) >= 1 then try_cast(max_results as bigint)
        else error(
            'search_articles: max_results := ' || cast(max_results as varchar) || ' returns '
            || 'nothing: give 1 or more, or null for every match'
        )
    end as max_rows
),

best as (
    -- cut before the snippets: a common word matches a third of a million-article archive, and
    -- a snippet for every match cost over a minute when the caller wanted ten
    -- (the date comes with the matches: a join to articles for it cost a second at 1M articles)
    select
        article_id,
        published_date,
        score,
        row_number() over (order by score desc, published_date desc, article_id) as rank
    from matches
    -- max_rows: a column named after an argument reads the argument
    qualify (select max_rows from limits) is null or rank <= (select max_rows from limits)
),

fetched as (
    -- the best articles' rows, read 50 at a time: a join of at most 50 rows
    -- (dynamic_or_filter_threshold) hands the scan of articles the list of their dates and
    -- ids, and the scan then decodes only the row groups whose dates hold one of them (each
    -- month's articles are sorted by date, in row groups of ~5 days: ROW_GROUP_SIZES). At 1M
    -- articles the 100 best read ~20% of the bodies, where one join of 100 decoded all of them
    -- (0.7 s). Beyond the 100th, and for an undated article among the best (or an index from
    -- before DERIVED_VERSION 4, without dates), the join is by id and reads every body; a join
    -- with no rows reads none.
    select articles.*, best.score
    from (select * from best where rank <= 50) as best
    inner join articles using (published_date, article_id)
    union all
    select articles.*, best.score
    from (select * from best where rank between 51 and 100) as best
    inner join articles using (published_date, article_id)
    union all
    select articles.*, best.score
    from (select * from best where rank > 100 or published_date is null) as best
    inner join articles using (article_id)
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
        -- the stems and the words themselves (porter turns 'economy' into 'economi', which the
        -- text never contains): the first one in the body is a cheap hint where to look
        list_distinct(list(stem) || list(word)) as needles,
        -- first characters of the words: only pieces starting with one are stemmed
        list_distinct(list(left(word, 1))) as initials
    from query_words
),

joined as materialized (
    -- materialized: DuckDB 1.5.5 ran the lambdas below about twice as slow over rows straight
    -- from the join (1.1 s against 0.6 s of CPU for 100 snippets of `art` at 15k articles,
    -- measured with the macro created in the same session). DuckDB 1.5.5 drops MATERIALIZED
    -- from a macro it stores, so news.duckdb's search_articles runs this part inline.
    select
        fetched.*,
        query_stems.stems,
        query_stems.initials,
        -- a hint where to look: the first substring hit of a needle (lower() first:
        -- strip_accents on every body cost more than the rest together, so only a body where
        -- none shows is stripped). The first marked word is usually the word there, or one
        -- before it whose stem is not a substring (`hoping` for hope)
        coalesce(
            list_min(list_transform(
                query_stems.needles, lambda s: nullif(strpos(lower(fetched.body), s), 0)
            )),
            list_min(list_transform(
                query_stems.needles,
                lambda s: nullif(strpos(strip_accents(lower(fetched.body)), s), 0)
            ))
        ) as hint
    from fetched
    cross join query_stems
),

cut as (
    select
        *,
        -- the body up to just past the hint, its last word dropped as it may be cut short:
        -- cutting a whole body into words costs 0.3 ms, more than the rest of a snippet
        regexp_replace(left(body, hint + 100), '[\pL\pN.]+$', '') as head
    from joined
),

in_head as (
    select
        *,
        -- the text cut into words as the snippet is below, each piece's length, negative for
        -- a piece that search_marks marks: the hint may be a substring (`Kazakhstan` for
        -- kazakh, `PetroChina` for china) or a word of another stem, which would centre the
        -- snippet where nothing is marked
        list_transform(
            search_pieces(head),
            lambda piece: if(search_marks(piece, initials, stems), -length(piece), length(piece))
        ) as head_spans
    from cut
),

in_body as (
    select
        *,
        -- the whole body only when the head has no marked word (an `if`: DuckDB cuts every
        -- row's text inside a `case` that needs a few)
        list_transform(
            search_pieces(
                if(list_bool_or(list_transform(head_spans, lambda n: n < 0)), null, body)
            ),
            lambda piece: if(search_marks(piece, initials, stems), -length(piece), length(piece))
        ) as body_spans
    from in_head
),

located as (
    select
        *,
        -- the character where the first marked word starts: the pieces join back into the text
        -- losslessly, so it is one past the length of the pieces before it
        coalesce(body_spans, head_spans) as spans,
        list_position(list_transform(spans, lambda n: n < 0), true) as match_piece,
        coalesce(list_sum(spans[1:match_piece - 1]), 0)::bigint + 1 as match_at
    from in_body
),

windowed as (
    select
        *,
        -- 260 characters from 80 before the first marked word (from the start when it is near)
        greatest(coalesce(match_at, 1) - 80, 1) as window_start
    from located
),

snipped as (
    select
        *,
        -- about 240 characters around the first marked word on one line, a word cut at either
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
        -- the words the index matches (search_marks: same stem as a query word, accents and
        -- case aside) marked «like this», the snippet cut into words as the body was above
        array_to_string(
            list_transform(
                search_pieces(plain_snippet),
                lambda piece: case
                    when search_marks(piece, initials, stems) then '«' || piece || '»'
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
