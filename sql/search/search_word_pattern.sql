-- grain: a scalar macro, search_word_pattern(word): the regular expression that finds a search
-- word (search_tokens) in a lower-case text, as a phrase check against the text needs it (where
-- the index holds no word positions): the word escaped, and u.s also as `us`, since the index
-- reads `US` in capitals as the country (lower case has lost the difference; the index has
-- already required the word).
create or replace macro search_word_pattern(word) as case
    when word = 'u.s' then '(?:u\.s\.?|us)'
    else regexp_escape(word)
end;
