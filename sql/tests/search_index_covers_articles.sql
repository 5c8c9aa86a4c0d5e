-- the full-text index holds exactly the articles of the articles view.
select coalesce(a.article_id, d.name) as article_id, a.article_id is null as only_in_index
from articles as a
full outer join fts_main_article_search.docs as d on d.name = a.article_id
where a.article_id is null or d.name is null
