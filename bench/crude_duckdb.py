"""The peer to beat: the lightest DuckDB script a user would write for raw .txt to Parquet.

`read_text`, the header fields by regex, three `regexp_replace` on the body, and the
partitioned write: nothing more (no word count, no second read of the output). With
`--fts-index`, the fts extension's own search index over that output, a separate step: the
peer of the term counts and search index newsetl's load computes too.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb

from newsetl.store.sql import load_fts

# The body's cleanup is three substitutions: hard spaces become spaces, "Photo: ..." credits go,
# and a sentence end glued to a capital becomes a paragraph break. No quote parity, no captions
# table, no mojibake repair: that is the point of the peer.
QUERY = r"""
copy (
    with raw as (
        select filename, content from read_text($glob)
    ),
    articles as (
        select
            regexp_extract(filename, '([0-9a-f]{16})\.txt$', 1) as article_id,
            try_cast(regexp_extract(content, '(?m)^Published Time:\s*(\S+)', 1) as date)
                as published_date,
            trim(regexp_extract(content, '(?m)^Title:(.*)$', 1)) as title,
            nullif(trim(regexp_extract(content, 'Category 1:([^;\n]*)', 1)), '') as section,
            nullif(trim(regexp_extract(content, 'Category 2:([^\n]*)', 1)), '') as subsection,
            nullif(trim(regexp_extract(content, '(?m)^Author:(.*)$', 1)), '') as author,
            trim(regexp_replace(regexp_replace(regexp_replace(
                regexp_extract(content, '(?s)\nText:[^\n]*\n(.*)$', 1),
                '[\x{00A0}\x{3000}]+', ' ', 'g'),
                'Photo: [A-Z][A-Za-z/ ]{1,40}', '', 'g'),
                '([.!?"])([A-Z])', '\1\n\n\2', 'g')) as body
        from raw
    )
    select *, year(published_date) as year, month(published_date) as month
    from articles
) to '{out}' (format parquet, compression zstd, partition_by (year, month), overwrite_or_ignore)
"""


def run(raw_dir: Path, out_dir: Path) -> int:
    """Write out_dir/year=/month= Parquet from every raw_dir/**/*.txt; returns the rows, as
    the copy counts them (the output is not read again)."""
    with duckdb.connect() as con:
        written = con.execute(
            QUERY.replace("{out}", str(out_dir)), {"glob": f"{raw_dir}/**/*.txt"}
        ).fetchone()
    return int(written[0]) if written else 0


# The search index newsetl keeps, made DuckDB's own way: the fts extension over title and body,
# with the options whose BM25 newsetl's search_articles() reproduces (tests/test_search_index.py).
FTS_INDEX = (
    "pragma create_fts_index('articles', 'article_id', 'title', 'body', stemmer = 'porter', "
    "stopwords = 'english', ignore = '[^a-z]+', strip_accents = 1, lower = 1)"
)


def index(out_dir: Path) -> int:
    """Build the fts extension's index over the crude output's articles (in memory, as the
    peer of newsetl's search_terms and search_documents); returns the documents indexed."""
    with load_fts(duckdb.connect()) as con:
        con.execute(
            "create table articles as select article_id, title, body "
            f"from read_parquet('{out_dir}/**/*.parquet')"
        )
        con.execute(FTS_INDEX)
        docs = con.execute("select count(*) from fts_main_articles.docs").fetchone()
    return int(docs[0]) if docs else 0


USAGE = "usage: crude_duckdb.py RAW_DIR OUT_DIR, or crude_duckdb.py --fts-index OUT_DIR"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(USAGE, file=sys.stderr)
        return 2
    started = time.perf_counter()
    if argv[0] == "--fts-index":
        docs = index(Path(argv[1]))
        print(f"fts index: {docs} documents in {time.perf_counter() - started:.1f} s")
        return 0
    rows = run(Path(argv[0]), Path(argv[1]))
    print(f"crude duckdb: {rows} rows in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
