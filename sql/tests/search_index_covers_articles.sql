-- the full-text index holds exactly the articles of the articles view, in the same partition.
select
    coalesce(a.article_id, d.article_id) as article_id,
    coalesce(a.source_file, f.source_file) as source_file,
    a.article_id is null as only_in_index
from articles as a
full outer join stg_search_documents as d
    on d.article_id = a.article_id
    and d.published_year is not distinct from a.published_year
    and d.published_month is not distinct from a.published_month
left join raw_files as f on f.article_id = d.article_id and f.status = 'loaded'
where a.article_id is null or d.article_id is null
