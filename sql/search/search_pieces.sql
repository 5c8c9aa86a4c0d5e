-- grain: a scalar macro, search_pieces(text): a text cut into words as search_tokens reads them
-- (`U.S.` one piece) and runs of everything else, which join back into the text losslessly.
-- search_articles cuts a body with it to find the first matched word, and its snippet to mark
-- the matched words.

-- The pattern is a constant: a regex built per row costs milliseconds.
create or replace macro search_pieces(text) as regexp_extract_all(
    text, '\pL(?:\.\pL)+\b\.?|[0-9]+(?:\.[0-9]+)+\b|[\pL\pN]+|[^\pL\pN]+'
);
