-- no body or title keeps what the cleaner removes: invisible characters, control characters other
-- than the newline, undecoded HTML entities, UTF-8 mojibake, or carriage returns. It reads every
-- body, so a build runs it on the partitions changed since the last build that passed it.
-- severity: warn
-- on failure: one raw file can trip this (a title of invisible characters, damage the cleaner
-- does not know), so the build goes on and warns at each build until it is fixed. `newsetl
-- explain ARTICLE_ID` shows the raw and cleaned text; correct the named raw file (the next run
-- reads it again), or report the text to the cleaner's owners.
select
    article_id,
    source_file,
    published_year,
    published_month,
    regexp_extract(title || body, '[\x{00ad}\x{200b}-\x{200d}\x{2060}\x{feff}\x{0000}-\x{0009}\x{000b}-\x{001f}\x{007f}-\x{009f}]|&(nbsp|amp|quot|lt|gt|#[0-9]+|#x[0-9a-fA-F]+);|â€|Ã[\x{0080}-\x{00bf}]') as found
from articles
where {{ partitions_to_test() }}
    and regexp_matches(
        title || body,
        '[\x{00ad}\x{200b}-\x{200d}\x{2060}\x{feff}\x{0000}-\x{0009}\x{000b}-\x{001f}\x{007f}-\x{009f}]|&(nbsp|amp|quot|lt|gt|#[0-9]+|#x[0-9a-fA-F]+);|â€|Ã[\x{0080}-\x{00bf}]'
    )
