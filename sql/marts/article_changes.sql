-- grain: one row per article and load that changed it (article_id, load_id): added (new id),
-- updated (another content hash) or removed (gone: its raw file deleted, or no longer loading),
-- with the hash before and after and the title. A load that rewrote an article with the same
-- hash has no row. Recorded by every load since the change history began: a load from before
-- it has NULL articles_added in loads, and no row here.
create or replace view article_changes as
with changes as (
    select * from stg_article_changes
),

loads as (
    select load_id, kind, started_at from stg_loads
)

select
    changes.load_id,
    loads.started_at as loaded_at,
    loads.kind as load_kind,
    changes.article_id,
    changes.change,
    changes.sha256_before,
    changes.sha256_after,
    changes.title,
    changes.published_date,
    changes.source_file
from changes
left join loads using (load_id);
