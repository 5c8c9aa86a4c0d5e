-- grain: a scalar macro, trend_term_pattern(term): the regular expression term_trend finds its
-- term with in a title or body, read in any case, without the word boundaries: the words of
-- trend_term(term) escaped, any run of spaces between them, except that a word `US` or `U.S.`
-- finds the country, `US` in capitals or `U.S.` (as search_tokens reads them), never the
-- pronoun `us`.
create or replace macro trend_term_pattern(term) as '(?i)' || array_to_string(
    list_transform(
        string_split_regex(trend_term(term), '\s+'),
        lambda w: case
            when w = 'US' or upper(w) in ('U.S.', 'U.S') then '(?:(?-i:US)|U\.S\.?)'
            else regexp_escape(w)
        end
    ),
    '\s+'
);
