-- grain: one row per alternative of a search query (alternative: its place in the query), as
-- search_articles and search_count read it: web-search syntax. Words are all required
-- (`trade tariffs`); "..." is a phrase, its words in that order (`"belt and road"`; a word
-- with hyphens or other marks inside, `Belt-and-Road`, `COVID-19`, is read as a phrase too);
-- OR between two words or phrases accepts either (`yuan OR renminbi`; `|` works too; lower-case
-- `or` is a stop word); a leading minus excludes a word or a phrase (`trade -war`, `-"trade
-- war"`). Case and accents never matter. clause numbers what must match (alternatives of one
-- clause are joined by OR); excluded marks a clause no result may match; words are the
-- alternative's words (search_tokens), terms the stems the index is searched for (stop words
-- left out: `the`, `and`, see search_stop_words; a phrase of stop words only, `"of the"`, has
-- none, and needs another word beside it); quoted marks a piece in quotes, whose words are
-- found as written, even one alone (`"tariffs"` is not `tariff`). Raises an error for a query
-- that is not text, is empty, has no word the index holds, or has a word in a script the index
-- does not hold (`中国`).
create or replace macro search_query(query) as table
with typed as (
    select case
        when typeof(query) in ('VARCHAR', '"NULL"') then cast(query as varchar)
        else error(
            'search: the query must be text, not ' || typeof(query)
            || ': put it in quotes: ''' || cast(query as varchar) || ''''
        )
    end as text
),

pieces as (
    -- each piece (search_query_pieces) and whether it is in quotes
    select
        unnest(range(1, len(found) + 1)) as position,
        unnest(found, recursive := true)
    from (select search_query_pieces(coalesce(text, '')) as found from typed)
),

read as (
    select
        position,
        piece in ('OR', '|') as is_or,
        piece not in ('OR', '|') and starts_with(piece, '-') as excluded,
        search_tokens(piece) as words,
        quoted,
        coalesce(lag(piece in ('OR', '|')) over (order by position), false) as after_or
    from pieces
),

unreadable as (
    -- words the index cannot hold (it reads letters a-z and digits only: `中国`, `Россия`), which
    -- would otherwise drop out of the query unseen
    select string_agg(piece, ' ' order by position) as pieces
    from pieces
    where len(search_tokens(piece)) = 0 and regexp_matches(piece, '[\pL\pN]')
),

operands as (
    -- an OR joins a word or phrase to the one before it, unless either is excluded
    select
        *,
        after_or
        and not excluded
        and not coalesce(lag(excluded) over (order by position), true) as joins_previous
    from read
    where not is_or and len(words) > 0
),

clauses as (
    select
        *,
        sum(case when joins_previous then 0 else 1 end) over (order by position) as clause
    from operands
),

terms as (
    select position, list(distinct stem(word, 'porter') order by stem(word, 'porter')) as terms
    from (select position, unnest(words) as word from clauses)
    where word not in (select word from search_stop_words)
    group by position
),

parsed as (
    select
        list(
            {
                'clause': cast(clauses.clause as integer),
                'alternative': cast(clauses.position as integer),
                'excluded': clauses.excluded,
                'words': clauses.words,
                'terms': coalesce(terms.terms, []),
                'quoted': clauses.quoted
            }
            order by clauses.position
        -- a phrase of stop words only (`"of the"`, or one in quotes) stays, with no terms: its
        -- words' positions decide (search_matches); a stop word alone is left out
        ) filter (
            where terms.terms is not null or len(clauses.words) > 1 or clauses.quoted
        ) as alternatives,
        count(clauses.position) as operands,
        count(*) filter (where not clauses.excluded) as wanted,
        count(*) filter (where not clauses.excluded and terms.terms is not null) as searchable,
        any_value(typed.text) as text
    from typed
    left join clauses on true
    left join terms on terms.position = clauses.position
),

checked as (
    select case
        when unreadable.pieces is not null then error(
            'search: the index holds only words of letters a-z and digits (accents aside), so '
            || 'it cannot find ' || unreadable.pieces || ': write them in Latin letters '
            || '(pinyin: zhongguo) or leave them out'
        )
        when searchable > 0 then alternatives
        when coalesce(trim(text), '') = '' then error(
            'search: the query is empty: give one or more words, e.g. '
            || '''trade tariffs'''
        )
        when operands = 0 then error(
            'search: ''' || text || ''' has no letter or digit to look for: give one or more '
            || 'words, e.g. ''trade tariffs'''
        )
        when wanted = 0 then error(
            'search: ''' || text || ''' has no word to find, only words to exclude (-word): '
            || 'add at least one word without a minus'
        )
        else error(
            'search: ''' || text || ''' has only stop words, which the index leaves '
            || 'out (select word from search_stop_words): add a word that is not one'
        )
    end as alternatives
    from parsed
    cross join unreadable
)

select
    -- numbered 1, 2, ... over the clauses left once stop words are gone
    cast(dense_rank() over (order by clause) as integer) as clause,
    alternative,
    excluded,
    words,
    terms,
    quoted
from (select unnest(alternatives, recursive := true) from checked)
order by alternative;
