-- grain: a scalar macro, search_tokens(text): the words of a text as the search index reads
-- them, in order. Lower case and accents stripped (`Málaga` -> malaga), then each run of
-- letters a-z and digits 0-9 is a word (`5G` -> 5g, `G20` -> g20, `COVID-19` -> covid, 19),
-- except that single letters joined by dots stay one word (`U.S.` -> u.s, `e.g.` -> e.g), and
-- so do digits joined by dots (`2.5` -> 2.5); two words glued by a full stop stay two
-- (`China.The` -> china, the). The word `US` in capitals is the country, read as `U.S.` (u.s);
-- `us` in lower case is the pronoun, a stop word. The load indexes with this same file
-- (newsetl/load/search_index.py), and search_query reads a query with it.
create or replace macro search_tokens(text) as regexp_extract_all(
    lower(strip_accents(regexp_replace(text, '\bUS\b', 'U.S.', 'g'))),
    '[a-z](?:\.[a-z])+\b|[0-9]+(?:\.[0-9]+)+\b|[a-z0-9]+'
);
