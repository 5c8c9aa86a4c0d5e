-- grain: one row per calendar month (month_start) from the first to the last dated article: how
-- many articles mention the term or phrase, and their share of the month's articles. Months
-- without a mention show 0. The term is one word or phrase, quotes around it optional
-- (`"belt and road"` counts belt and road, trend_term); search syntax (OR, a leading minus,
-- several phrases) raises an error pointing to search_count and search_articles, which read
-- it. A single word of three letters or more is counted as the term views count words (any
-- case, accents stripped) from the term counts each load writes, which is fast; a phrase or a
-- shorter word is matched as whole words (any case) in every title and body.
create or replace macro term_trend(term) as table
with month_totals as (
    select
        make_date(published_year, published_month, 1) as month_start,
        count(*) as month_articles
    from stg_articles
    where published_year is not null
    group by all
),

word_counts as (
    -- renamed by a star: a column named `term` in scope would clash with the macro's argument
    select * rename (term as counted_term)
    from stg_term_counts
    where published_year is not null
),

-- one word: its row in each month's term counts; the condition on the macro's argument is a
-- constant, so DuckDB drops whichever of the two branches does not apply before reading anything
word_by_month as (
    select
        make_date(published_year, published_month, 1) as month_start,
        articles
    from word_counts
    where regexp_full_match(lower(strip_accents(trend_term(term))), '[a-z]{3,}')
        and counted_term = lower(strip_accents(trend_term(term)))
),

phrase_by_month as (
    select
        make_date(published_year, published_month, 1) as month_start,
        count(*) as articles
    from stg_articles
    where not regexp_full_match(lower(strip_accents(trend_term(term))), '[a-z]{3,}')
        and published_year is not null
        -- first the words alone, then with the whole-word boundaries: a text the second
        -- matches always holds a match of the first, and the first is five times as fast (the
        -- second alone cost 13 of term_trend's 16 s of operator time at 1M articles); not for
        -- a term of two characters (`US`), which most bodies hold inside longer words
        -- (chr(1) between title and body: a phrase is in one or the other, never across them,
        -- as in search)
        and (
            length(trend_term(term)) <= 2
            or regexp_matches(title || chr(1) || body, trend_term_pattern(term))
        )
        and regexp_matches(
            title || chr(1) || body,
            '(?:^|[^\pL\pN])' || trend_term_pattern(term) || '(?:$|[^\pL\pN])'
        )
    group by all
),

mentions as (
    select * from word_by_month
    union all
    select * from phrase_by_month
),

months as (
    select cast(unnest(generate_series(min(month_start), max(month_start), interval 1 month)) as date)
        as month_start
    from month_totals
)

select
    months.month_start,
    -- the argument checked here, where every row reads it (with no dated article there is no
    -- row, and nothing to count)
    case
        when typeof(term) not in ('VARCHAR', '"NULL"') then error(
            'term_trend: the term must be text, not ' || typeof(term) || ': put it in quotes: '''
            || cast(term as varchar) || ''''
        )
        when trend_term_syntax(term) then error(
            'term_trend counts one word or phrase, and ''' || cast(term as varchar) || ''' is '
            || 'search syntax (OR, |, a leading minus or several quoted pieces): give one word '
            || 'or phrase, e.g. ''belt and road'', or count with search_count(query) and list '
            || 'with search_articles(query), which read search syntax'
        )
        when coalesce(trend_term(term), '') = '' then error(
            'term_trend: the term is empty: give a word or a phrase, e.g. ''economy'' or '
            || '''belt and road'''
        )
        when not regexp_matches(lower(strip_accents(trend_term(term))), '[a-z0-9]')
            then error(
            'term_trend: ''' || cast(term as varchar) || ''' has no letter or digit to count: '
            || 'give a word or a phrase, e.g. ''economy'' or ''belt and road'''
        )
        else trend_term(term)
    end as term,
    coalesce(mentions.articles, 0) as articles,
    coalesce(month_totals.month_articles, 0) as month_articles,
    coalesce(round(mentions.articles / nullif(month_totals.month_articles, 0), 4), 0)
        as article_share
from months
left join month_totals using (month_start)
left join mentions using (month_start)
order by months.month_start;
