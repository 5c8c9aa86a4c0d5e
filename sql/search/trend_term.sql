-- grain: a scalar macro, trend_term(term): the word or phrase term_trend counts, as text: the
-- term trimmed, and a term in quotes (straight or curly, as a search query quotes a phrase;
-- either one may be missing) read as the phrase inside, so `"belt and road"` counts belt and
-- road.
create or replace macro trend_term(term) as trim(
    regexp_replace(trim(cast(term as varchar)), '^["“”]?([^"“”]*)["“”]?$', '\1')
);
