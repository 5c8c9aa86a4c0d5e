-- grain: one row per stop word (word): the English list of the full-text index (570 words) plus
-- words every news story uses; the term marts leave them out.
create or replace view stop_words as
with index_list as (
    select word from search_stop_words
),

news_words as (
    select unnest([
        'according', 'added', 'mr', 'ms', 'percent', 'people', 'told', 'year', 'years', 'time',
        'including', 'global', 'times', 'gt'
    ]) as word
)

select distinct word from (
    select word from index_list
    union all
    select word from news_words
);
