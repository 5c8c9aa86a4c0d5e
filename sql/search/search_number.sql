-- grain: a scalar macro, search_number(value): a macro argument meant as a number, as a DOUBLE
-- when its type is one (an integer, DECIMAL, DOUBLE or FLOAT), else NULL. The value is read
-- only through try_cast, which binds for any type: text (`'abc'`) then reaches the caller's own
-- error (search_title_weight, search_articles' max_results) instead of a Binder error.
create or replace macro search_number(value) as case
    when regexp_full_match(
        typeof(value), '(?:U?(?:TINY|SMALL|BIG|HUGE)?INT(?:EGER)?|DECIMAL\(.*\)|DOUBLE|FLOAT)'
    )
        then try_cast(value as double)
end;
