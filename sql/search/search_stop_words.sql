-- grain: one row per stop word (word): the fts extension's English list (570 words: the, and,
-- of, us, ...; the list holds `would` twice), which the search index leaves out of the articles
-- and of a query alike: a query of stop words only is an error that points here. The view
-- stop_words adds the words the term marts leave out too.

-- A load runs this same file when it indexes the articles (newsetl/load/search_index.py): the
-- extension keeps the list inside an index, so one is made over an empty table, read and
-- dropped.
create or replace table search_stop_words (word varchar);

create or replace table stop_word_probe (id integer, text varchar);

pragma create_fts_index('stop_word_probe', 'id', 'text', stopwords = 'english');

insert into search_stop_words
select distinct sw from fts_main_stop_word_probe.stopwords order by sw;

pragma drop_fts_index('stop_word_probe');

drop table stop_word_probe;
