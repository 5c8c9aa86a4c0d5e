-- grain: a scalar macro, search_title_weight(title_weight): search_articles' title_weight as a
-- DOUBLE, once it is a number from 1 to 1,000,000 (1: a title mention counts as a body one);
-- anything else raises an error saying what to give: null scored every match NULL, below 1
-- ranked a title mention below a body one, 1e308 overflowed a score into NaN, which then ranked
-- first, and text failed with a Binder error in the arithmetic (so the value is only ever read
-- through search_number).
create or replace macro search_title_weight(title_weight) as case
    when search_number(title_weight) between 1 and 1000000 then search_number(title_weight)
    else error(
        'search_articles: title_weight := ' || coalesce(cast(title_weight as varchar), 'null')
        || ': give a number, 1 or more, up to 1000000 (how many times a title mention counts '
        || 'against one in the body: 3 unless given, 1 to count them alike)'
    )
end;
