-- grain: one row per photo (article_id, position): caption, credit and kind taken out of the
-- body, and the agency the credit names.
create or replace view article_photos as
with source as (
    select * from stg_article_photos
),

credited as (
    select
        *,
        case
            when credit is null then null
            -- a staff photographer's credit: "Name/GT"
            when regexp_matches(credit, '(^|/)\s*(GT|Global Times)\s*$') then 'Global Times'
            when regexp_matches(credit, '^VCG') then 'VCG'
            when regexp_matches(credit, '^Xinhua') then 'Xinhua'
            when regexp_matches(credit, '^(cnsphoto|China News Service)') then 'China News Service'
            when regexp_matches(credit, '^AFP') then 'AFP'
            when regexp_matches(credit, '^IC([^a-z]|$)') then 'IC'
            when regexp_matches(credit, '^Reuters') then 'Reuters'
            when regexp_matches(credit, '^(AP|Associated Press)([^a-z]|$)') then 'AP'
            when regexp_matches(credit, '^Screenshot') then 'screenshot'
            when regexp_matches(credit, '^Courtesy') then 'courtesy'
            else 'other'
        end as agency
    from source
)

select
    article_id,
    position,
    caption,
    credit,
    kind,
    agency,
    published_year,
    published_month,
    load_id
from credited;
