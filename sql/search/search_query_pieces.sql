-- grain: a scalar macro, search_query_pieces(query): the pieces of a search query in order, each
-- with whether it is in quotes: a quoted phrase (straight or curly quotes, the closing one
-- optional) or a run of anything but spaces and quotes, a minus in front excluding either. The
-- one reading of the syntax that search_query (a row per alternative) and search_phrase_tokens
-- (a constant list, for the Parquet scan and the compiled patterns) both start from.
create or replace macro search_query_pieces(query) as list_transform(
    regexp_extract_all(query, '-?["“”][^"“”]*["“”]?|[^\s"“”]+'),
    lambda piece: {'piece': piece, 'quoted': regexp_matches(piece, '^-?["“”]')}
);
