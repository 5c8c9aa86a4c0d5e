-- grain: one row per article (article_id) matching a search query (search_query's syntax:
-- words all required, "phrases", OR, -excluded), unordered, with its BM25 score: the fts
-- extension's formula (k = 1.2, b = 0.75) over the query's terms, where a mention in the title
-- counts title_weight times (3 unless given; title_weight := 1 scores exactly as fts's
-- match_bm25 over the same words). search_articles ranks these and adds snippets;
-- search_count counts them.
create or replace macro search_matches(query, title_weight := 3) as table
with alternatives as (
    select * from search_query(query)
),

alternative_terms as (
    select
        clause,
        alternative,
        excluded,
        -- a phrase is checked against the text: its words in order, with anything but letters
        -- and digits between them (one regex search per text: tokenizing every candidate's
        -- text took ten times as long); one word is settled by the index
        case
            when len(words) > 1
                then '(?:^|[^a-z0-9])'
                || array_to_string(list_transform(words, lambda w: regexp_escape(w)), '[^a-z0-9]+')
                || '(?:[^a-z0-9]|$)'
        end as phrase,
        len(terms) as term_count,
        unnest(terms) as term
    from alternatives
),

wanted_clauses as (
    select count(distinct clause) as clauses from alternatives where not excluded
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
        and term in (select term from alternative_terms)
),

document_frequency as (
    select term, count(*) as documents
    from postings
    group by term
),

holding as (
    -- article x alternative whose every term the article holds
    select
        postings.article_id,
        alternative_terms.alternative,
        any_value(alternative_terms.clause) as clause,
        any_value(alternative_terms.excluded) as excluded,
        any_value(alternative_terms.phrase) as phrase
    from postings
    inner join alternative_terms on alternative_terms.term = postings.term
    group by postings.article_id, alternative_terms.alternative
    having count(*) = any_value(alternative_terms.term_count)
),

possible as (
    -- articles that match once their phrases are checked: every wanted clause held by the
    -- index, no excluded word; reading the text of the others would be wasted
    select article_id
    from holding
    group by article_id
    having count(distinct clause) filter (where not excluded)
        = (select clauses from wanted_clauses)
        and count(*) filter (where excluded and phrase is null) = 0
),

phrase_texts as (
    -- the text of the possible articles that may hold a phrase (all its words), lower case
    select articles.article_id, lower(articles.title || ' ' || articles.body) as text
    from articles
    where articles.article_id in (select article_id from possible)
        and articles.article_id in (select article_id from holding where phrase is not null)
),

matched as (
    select holding.article_id, holding.clause, holding.excluded
    from holding
    left join phrase_texts on phrase_texts.article_id = holding.article_id
    -- a phrase of an article not possible has no text here: no match (qualifying then drops
    -- the article for its other clauses)
    where holding.phrase is null
        or regexp_matches(phrase_texts.text, holding.phrase)
        -- accents stripped only where the phrase is not found without: `Málaga` for malaga
        or regexp_matches(strip_accents(phrase_texts.text), holding.phrase)
),

qualifying as (
    select article_id
    from matched
    group by article_id
    having count(distinct clause) filter (where not excluded)
        = (select clauses from wanted_clauses)
        and count(*) filter (where excluded) = 0
),

scored as (
    -- BM25 with fts's defaults and its formula term by term (tests/test_search_index.py), the
    -- term frequency counting each title mention title_weight times; excluded terms score
    -- nothing
    select
        postings.article_id,
        sum(
            log(((corpus.documents - document_frequency.documents + 0.5)
                / (document_frequency.documents + 0.5)) + 1)
            * ((frequency * (1.2 + 1))
                / (frequency + (1.2 * ((1 - 0.75)
                    + (0.75 * (stg_search_documents.indexed_words / corpus.mean_length))))))
        ) as score
    from (
        select
            article_id,
            term,
            mentions + (title_weight - 1) * title_mentions as frequency
        from postings
        where term in (select term from alternative_terms where not excluded)
            and article_id in (select article_id from qualifying)
    ) as postings
    inner join document_frequency on document_frequency.term = postings.term
    inner join stg_search_documents on stg_search_documents.article_id = postings.article_id
    cross join corpus
    group by postings.article_id
)

select article_id, score
from scored;
