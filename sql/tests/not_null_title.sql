-- every article has a title (files without one are rejected).
select article_id, source_file
from articles
where title is null or trim(title) = ''
