-- grain: a scalar macro, search_phrases(query): the phrases of a search query (search_query's
-- syntax), in their order in the query, each as the regular expression search_matches checks a
-- lower-case text with: a piece of the query with several words (search_tokens: `"belt and
-- road"`, `COVID-19`), its words in that order (search_phrase_pattern). A constant for a
-- constant query, so that search_matches compiles each pattern once per search rather than
-- once per article.
create or replace macro search_phrases(query) as list_filter(
    list_transform(
        -- the pieces search_query reads
        regexp_extract_all(cast(query as varchar), '-?["“”][^"“”]*["“”]?|[^\s"“”]+'),
        lambda piece: case
            when len(search_tokens(piece)) > 1
                -- the same pattern search_matches builds from an alternative's words
                then search_phrase_pattern(search_tokens(piece))
        end
    ),
    lambda pattern: pattern is not null
);
