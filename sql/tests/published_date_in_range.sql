-- every published date is plausible: not before {{ earliest_published_date() }} nor more than
-- {{ published_days_ahead() }} day after the start (UTC) of the load that read it. The parser
-- makes any other date NULL with a `date:implausible` note, so no raw file can put one here.
-- on failure: a bug in newsetl's date parsing (newsetl/text/parse.py): report it with these rows.
select article_id, source_file, published_date, ingested_at
from articles
where published_date < {{ earliest_published_date() }}
   or published_date
    > cast(timezone('UTC', ingested_at) as date) + {{ published_days_ahead() }}
