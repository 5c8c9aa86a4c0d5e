-- every photo belongs to an article in the same partition (source_file: the raw file the
-- manifest last loaded the article from).
select p.article_id, f.source_file, p.position
from article_photos as p
left join articles as a on a.article_id = p.article_id
left join raw_files as f on f.article_id = p.article_id and f.status = 'loaded'
where a.article_id is null
