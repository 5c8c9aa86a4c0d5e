-- grain: one row per article (article_id) matching the query, best first, the best max_results
-- of them (100 unless given, e.g. search_articles('trade', max_results := 1000)): BM25 score over
-- title and body (porter-stemmed, English stop words ignored; any query word may match) and a
-- snippet of the body around the first match, with the matching words marked «like this». Needs
-- the fts extension loaded (newsetl sql and newsetl.warehouse.connect.connect() do it).
create or replace macro search_articles(query, max_results := 100) as table
with query_terms as (
    -- the query as fts's match_bm25 reads it: lower case, accents stripped, split at anything
    -- but a-z, porter-stemmed (a stop word's stem is simply not in the index)
    select distinct stem(unnest(string_split_regex(
        regexp_replace(lower(strip_accents(query)), '[^a-z]+', ' ', 'g'), '\s+'
    )), 'porter') as term
),

corpus as (
    select count(*) as documents, sum(indexed_words) / count(*) as mean_length
    from stg_search_documents
),

postings as (
    select stg_search_terms.article_id, stg_search_terms.term, stg_search_terms.mentions
    from stg_search_terms
    where stg_search_terms.term in (select term from query_terms)
),

document_frequency as (
    select term, count(*) as documents
    from postings
    group by term
),

matches as (
    -- BM25 with fts's defaults (k = 1.2, b = 0.75) and its formula term by term, so scores
    -- equal match_bm25's over the same articles (tests/test_search_index.py)
    select
        postings.article_id,
        sum(
            log(((corpus.documents - document_frequency.documents + 0.5)
                / (document_frequency.documents + 0.5)) + 1)
            * ((postings.mentions * (1.2 + 1))
                / (postings.mentions + (1.2 * ((1 - 0.75)
                    + (0.75 * (stg_search_documents.indexed_words / corpus.mean_length))))))
        ) as score
    from postings
    inner join document_frequency on document_frequency.term = postings.term
    inner join stg_search_documents on stg_search_documents.article_id = postings.article_id
    cross join corpus
    group by postings.article_id
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
        and token not in (select word from search_stop_words)
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
