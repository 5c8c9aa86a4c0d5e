-- grain: one row per article (article_id) matching a search query (search_query's syntax:
-- words all required, "phrases", OR, -excluded), unordered, with its date and BM25 score: the fts
-- extension's formula (k = 1.2, b = 0.75) over the query's terms, where a mention in the title
-- counts title_weight times (3 unless given; title_weight := 1 scores exactly as fts's
-- match_bm25 over the same words). search_articles ranks these and adds snippets;
-- search_count counts them.
create or replace macro search_matches(query, title_weight := 3) as table
with alternatives as (
    select
        *,
        -- a phrase (several words, or one in quotes: found as written, not by its stem) is
        -- there where its words stand at consecutive positions
        -- (search_positions); one word is settled by the index. Where the index holds no
        -- positions (a warehouse last loaded before DERIVED_VERSION 5) a phrase is checked
        -- against the text with this pattern: its words in order, with anything but letters
        -- and digits between them. search_phrases builds the same patterns from the query.
        case when len(words) > 1 or quoted then search_phrase_pattern(words) end as phrase
    from search_query(query)
),

wanted as (
    -- the query in one row: its alternatives, the clauses a match must hold, the terms scored
    select
        list({
            'clause': clause,
            'excluded': excluded,
            'terms': terms,
            'phrase': phrase,
            -- where the phrase is in search_phrases(query) and in phrase_words; phrase_texts
            -- checks the first four
            'slot': list_position(search_phrases(query), phrase)
        }) as alternatives,
        count(distinct clause) filter (where not excluded) as clauses,
        list_sort(list_distinct(list(clause) filter (where not excluded))) as wanted_clauses,
        -- each phrase's words, by slot (not in the alternatives: every candidate carries a copy
        -- of those it holds)
        any_value(search_phrase_tokens(query)) as phrase_words,
        list_distinct(flatten(list(terms) filter (where not excluded))) as scored_terms,
        list_distinct(flatten(list(terms))) as query_terms
    from alternatives
),

corpus as (
    select count(*) as documents, sum(indexed_words) / count(*) as mean_length
    from stg_search_documents
),

postings as (
    select article_id, term, mentions, title_mentions
    from stg_search_terms
    -- first the stems of every word of the query, a constant list DuckDB checks inside the
    -- Parquet scan (without it, 'china yuan' let ~10M rows of 100k articles out of the scan,
    -- every term between the two); then exactly the terms searched for
    where list_contains(
        list_transform(search_tokens(cast(query as varchar)), lambda w: stem(w, 'porter')), term
    )
        and list_contains((select query_terms from wanted), term)
),

document_frequency as (
    select term, count(*) as documents
    from postings
    group by term
),

held as (
    -- one pass over the postings, grouped once: per article, the query's terms it holds and
    -- its BM25 over the terms searched for (not the excluded ones), term by term as fts
    -- computes it (tests/test_search_index.py), each title mention counting title_weight times
    select
        postings.article_id,
        -- the tie-break of search_articles' ranking, without reading articles
        any_value(stg_search_documents.published_date) as published_date,
        list(postings.term) as terms,
        sum(
            case when list_contains(wanted.scored_terms, postings.term) then
                log(((corpus.documents - document_frequency.documents + 0.5)
                    / (document_frequency.documents + 0.5)) + 1)
                * ((frequency * (1.2 + 1))
                    / (frequency + (1.2 * ((1 - 0.75)
                        + (0.75 * (stg_search_documents.indexed_words / corpus.mean_length))))))
            else 0 end
        ) as score
    from (
        -- search_title_weight: a title_weight out of range raises its error (1e308 made NaN
        -- scores), also when search_matches is called itself
        select *, mentions + (search_title_weight(title_weight) - 1) * title_mentions as frequency
        from postings
    ) as postings
    inner join document_frequency on document_frequency.term = postings.term
    inner join stg_search_documents on stg_search_documents.article_id = postings.article_id
    cross join corpus
    cross join wanted
    group by postings.article_id
),

possible as (
    -- articles that match once their phrases are checked: every wanted clause has an
    -- alternative whose terms they all hold, and no excluded word is there
    select
        held.article_id,
        held.score,
        held.published_date,
        list_filter(wanted.alternatives, lambda a: list_has_all(held.terms, a.terms)) as holding
    from held
    cross join wanted
),

candidates as (
    select *
    from possible
    cross join (select clauses from wanted) as wanted
    where len(list_distinct([a.clause for a in holding if not a.excluded])) = wanted.clauses
        and len([a for a in holding if a.excluded and a.phrase is null]) = 0
),

positions_ready as (
    -- whether the index holds word positions: every load since DERIVED_VERSION 5 writes them
    -- for every partition it computes, and computes every partition an older version wrote
    select count(*) > 0 as ready from (select 1 from stg_search_positions limit 1)
),

phrase_positions as (
    -- where the words of the query's phrases stand in each article that has one: the scan
    -- keeps those words only (a constant list DuckDB checks inside the Parquet scan, whose
    -- files are sorted by word). Grouped before the join to the candidates: joined first,
    -- DuckDB pushed the join's min/max filter into the scan, which then took 1.2 s where this
    -- takes 0.3 s at 1M articles (reading the text took as long).
    select article_id, list(word) as words, list(positions) as positions
    from stg_search_positions
    where list_contains(list_distinct(flatten(search_phrase_tokens(query))), word)
    group by article_id
),

phrase_texts as (
    -- only where the index holds no positions: the candidates a phrase may be in (they hold
    -- all its words): whether each of the query's first four phrases is in the text (lower
    -- case; accents stripped only where it is not found without, `Málaga` for malaga: a case,
    -- as an `or` would strip every text), where the candidate holds that phrase's words. The
    -- patterns are constants, compiled once: a pattern read from a row is compiled for every
    -- text, which cost 6.8 of a phrase search's 30.4 s of operator time at 1M articles.
    select
        article_id,
        text,
        [
            case
                when list_contains(phrases, search_phrases(query)[1]) is not true then null
                when regexp_matches(text, search_phrases(query)[1]) then true
                else regexp_matches(strip_accents(text), search_phrases(query)[1])
            end,
            case
                when list_contains(phrases, search_phrases(query)[2]) is not true then null
                when regexp_matches(text, search_phrases(query)[2]) then true
                else regexp_matches(strip_accents(text), search_phrases(query)[2])
            end,
            case
                when list_contains(phrases, search_phrases(query)[3]) is not true then null
                when regexp_matches(text, search_phrases(query)[3]) then true
                else regexp_matches(strip_accents(text), search_phrases(query)[3])
            end,
            case
                when list_contains(phrases, search_phrases(query)[4]) is not true then null
                when regexp_matches(text, search_phrases(query)[4]) then true
                else regexp_matches(strip_accents(text), search_phrases(query)[4])
            end
        ] as found
    from (
        select
            candidates.article_id,
            -- chr(1) between title and body: a phrase does not run from one into the other
            lower(articles.title || chr(1) || articles.body) as text,
            [a.phrase for a in candidates.holding if a.phrase is not null] as phrases
        from candidates
        inner join articles on articles.article_id = candidates.article_id
        -- a constant (the query is one): false unless the query has a phrase, and then DuckDB
        -- reads no article at all; the join alone read every title and body (at 1M articles 16
        -- of a two-word search's 22 s of operator time), even when no candidate needed them
        where len(search_phrases(query)) > 0
            and len([a for a in candidates.holding if a.phrase is not null]) > 0
            and not (select ready from positions_ready)
    )
),

checked as (
    -- whether the alternatives really there make a match: an alternative of every wanted
    -- clause and no excluded one (0 in the list). A phrase is there where its first word
    -- stands at some position p and its i-th at p + i - 1. Without positions, a phrase beyond
    -- the query's fourth (no slot in phrase_texts) is matched here, its pattern compiled for
    -- each text. One expression: DuckDB computes a column that a filter reads again for each
    -- condition naming it.
    select
        candidates.article_id,
        candidates.score,
        candidates.published_date,
        list_sort(list_distinct([
            case when a.excluded then 0 else a.clause end
            for a in candidates.holding
            if case
                when a.phrase is null then true
                when positions_ready.ready then len(list_filter(
                    coalesce(
                        phrase_positions.positions[
                            list_position(phrase_positions.words, wanted.phrase_words[a.slot][1])
                        ],
                        []
                    ),
                    lambda p: list_bool_and(list_transform(
                        wanted.phrase_words[a.slot],
                        lambda word, i: list_contains(
                            coalesce(
                                phrase_positions.positions[
                                    list_position(phrase_positions.words, word)
                                ],
                                []
                            ),
                            p + i - 1
                        )
                    ))
                )) > 0
                when a.slot between 1 and 4 then coalesce(phrase_texts.found[a.slot], false)
                when regexp_matches(phrase_texts.text, a.phrase) then true
                else regexp_matches(strip_accents(phrase_texts.text), a.phrase)
            end
        ])) = wanted.wanted_clauses as matched
    from candidates
    cross join (select wanted_clauses, phrase_words from wanted) as wanted
    cross join positions_ready
    left join phrase_positions on phrase_positions.article_id = candidates.article_id
    left join phrase_texts on phrase_texts.article_id = candidates.article_id
)

-- without a phrase (a constant) the candidates are the matches: checked would test them again,
-- a fifth of the time of a search for one common word. A NULL query takes this branch, so
-- that search_query's error for it is raised.
select article_id, score, published_date
from candidates
where coalesce(len(search_phrases(query)), 0) = 0

union all

select article_id, score, published_date
from checked
where len(search_phrases(query)) > 0 and matched;
