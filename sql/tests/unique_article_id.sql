-- articles has exactly one row per article_id (a row per copy, with the raw file it came from).
with counted as (
    select article_id, source_file, count(*) over (partition by article_id) as n
    from articles
)

select article_id, source_file, n
from counted
where n > 1
