-- grain: a scalar macro, search_phrase_tokens(query): the phrases of a search query
-- (search_query's syntax), in their order in the query, each as its list of words
-- (search_tokens): a piece of the query with several words (`"belt and road"`, `COVID-19`), or
-- one word in quotes. A constant for a constant query: search_matches reads the positions of
-- exactly these words, and search_phrases makes each phrase's pattern from them.
create or replace macro search_phrase_tokens(query) as list_filter(
    list_transform(
        search_query_pieces(cast(query as varchar)),
        lambda found: case
            when len(search_tokens(found.piece)) > 1
                or (len(search_tokens(found.piece)) = 1 and found.quoted)
                then search_tokens(found.piece)
        end
    ),
    lambda words: words is not null
);
