-- every published date is plausible: not before 1990 (the archive is younger) nor in the future.
select article_id, published_date
from articles
where published_date < date '1990-01-01'
   or published_date > current_date + interval 1 day
