-- grain: a scalar macro, search_phrases(query): the phrases of a search query (search_query's
-- syntax), in their order in the query, each as the regular expression search_matches checks a
-- lower-case text with (where the index holds no word positions): its words
-- (search_phrase_tokens) in that order (search_phrase_pattern). A constant for a constant
-- query, so that search_matches compiles each pattern once per search rather than once per
-- article.
create or replace macro search_phrases(query) as list_transform(
    search_phrase_tokens(query), lambda words: search_phrase_pattern(words)
);
