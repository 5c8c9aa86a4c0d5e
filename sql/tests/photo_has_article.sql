-- every photo belongs to an article in the same partition.
select p.article_id, p.position
from article_photos as p
left join articles as a on a.article_id = p.article_id
where a.article_id is null
