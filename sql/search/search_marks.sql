-- grain: a scalar macro, search_marks(piece, initials, stems): whether a piece of text (one word
-- as search_pieces cuts it) is one the search matched: a word with the porter stem of a query
-- word, case and accents aside. `stems` are the query words' stems, `initials` their first
-- letters. search_articles uses this one rule both to centre a snippet and to mark «like this»
-- in it, so a snippet always shows a mark where the body has a matched word.

-- A piece starting with another letter is read as '' rather than tested with `and`: DuckDB
-- evaluates both sides of an `and` over a list, and reading every piece of a body into words
-- made the snippets of a common word four times slower.
create or replace macro search_marks(piece, initials, stems) as list_has_any(
    stems,
    list_transform(
        search_tokens(if(list_contains(initials, lower(strip_accents(left(piece, 1)))), piece, '')),
        lambda w: stem(w, 'porter')
    )
);
