-- an article's photo_count equals its rows in article_photos.
with photos as (
    select article_id, count(*) as photos
    from article_photos
    group by article_id
)

select a.article_id, a.source_file, a.photo_count, coalesce(p.photos, 0) as photos
from articles as a
left join photos as p using (article_id)
where a.photo_count <> coalesce(p.photos, 0)
