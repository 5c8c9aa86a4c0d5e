-- grain: a scalar macro, trend_word_pattern(word): the regular expression term_trend finds one
-- word of its term with in a title or body, read in any case: the word escaped, except that
-- `US` and `U.S.` both find the country, `US` in capitals or `U.S.` (as search_tokens reads
-- them), never the pronoun `us`.
create or replace macro trend_word_pattern(word) as case
    when word = 'US' or upper(word) in ('U.S.', 'U.S') then '(?:(?-i:US)|U\.S\.?)'
    else regexp_escape(word)
end;
