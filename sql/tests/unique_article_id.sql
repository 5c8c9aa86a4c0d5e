-- articles has exactly one row per article_id.
select article_id, count(*) as n
from articles
group by article_id
having count(*) > 1
