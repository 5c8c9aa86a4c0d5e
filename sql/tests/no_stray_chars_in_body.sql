-- no body or title keeps what the cleaner removes: invisible characters, control characters other
-- than the newline, undecoded HTML entities, UTF-8 mojibake, or carriage returns. It reads every
-- body, so a build runs it on the partitions changed since the last build that passed it.
select article_id, source_file, regexp_extract(title || body, '[\x{00ad}\x{200b}-\x{200d}\x{2060}\x{feff}\x{0000}-\x{0009}\x{000b}-\x{001f}\x{007f}-\x{009f}]|&(nbsp|amp|quot|lt|gt|#[0-9]+|#x[0-9a-fA-F]+);|â€|Ã[\x{0080}-\x{00bf}]') as found
from articles
where {{ partitions_to_test() }}
    and regexp_matches(
        title || body,
        '[\x{00ad}\x{200b}-\x{200d}\x{2060}\x{feff}\x{0000}-\x{0009}\x{000b}-\x{001f}\x{007f}-\x{009f}]|&(nbsp|amp|quot|lt|gt|#[0-9]+|#x[0-9a-fA-F]+);|â€|Ã[\x{0080}-\x{00bf}]'
    )
