-- grain: a scalar macro, search_count(query): how many articles match a search query (the
-- rows search_articles(query, max_results := null) returns), e.g.
-- select search_count('"belt and road" -forum').
create or replace macro search_count(query) as (
    select count(*) from search_matches(query)
);
