-- grain: a scalar macro, search_phrase_pattern(words): the regular expression a phrase (its
-- words, search_tokens) is found with in a lower-case text of title and body joined by the
-- control character chr(1): the words in that order, as whole words, with anything but letters
-- and digits between them, except that joining character, so that no phrase runs from the
-- title's last word into the body's first (an ASCII character: U+E000 made the check 13%
-- slower). search_matches and search_phrases build patterns with it, for an index without word
-- positions.
create or replace macro search_phrase_pattern(words) as '(?:^|[^a-z0-9])'
    || array_to_string(
        list_transform(words, lambda w: search_word_pattern(w)), '[^a-z0-9\x01]+'
    )
    || '(?:[^a-z0-9]|$)';
