-- grain: a scalar macro, trend_term_syntax(term): whether a term uses search syntax
-- (search_query) that term_trend does not read: OR or `|` between words, a leading minus, or
-- quotes anywhere but around the whole term (several phrases, a phrase and a word). A term in
-- quotes is one phrase, whatever it holds; a minus inside a word (`COVID-19`) is part of it.
create or replace macro trend_term_syntax(term) as
    not regexp_full_match(trim(cast(term as varchar)), '["“”][^"“”]*["“”]?|[^"“”]*["“”]')
    and regexp_matches(trim(cast(term as varchar)), '(?:^|\s)(?:OR(?:\s|$)|-\S)|\||["“”]');
