-- an article sits in the partition of its published date; undated ones in the NULL partition.
select article_id, source_file, published_date, published_year, published_month
from articles
where published_year is distinct from year(published_date)
   or published_month is distinct from month(published_date)
