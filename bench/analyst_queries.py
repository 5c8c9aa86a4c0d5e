"""Time the analysts' typical queries on a warehouse of N generated articles (`make bench-queries`).

The warehouse is written straight from the generator's clean truth (no parse or clean: that is
the ingest benchmark's job), through the library's own staging, partition merge, snapshot and
build, so the files, views and search index are exactly what a real load produces.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from devtools.articles import GeneratedArticle, generate_articles
from newsetl.load.derived import write_derived_tables
from newsetl.load.process import BatchResult, staged_parts_by_partition
from newsetl.load.rows import count_words
from newsetl.settings import (
    ARTICLES_TABLE,
    PHOTOS_TABLE,
    STATE_DIR,
    TABLE_SORT_KEYS,
    row_group_size,
)
from newsetl.store.paths import resolve_paths
from newsetl.store.schema import ARTICLES, STAGED_PHOTOS, TABLE_SCHEMAS
from newsetl.store.snapshot import commit_snapshot, snapshot_dir
from newsetl.store.state import write_loads, write_manifest, write_rejects
from newsetl.store.write import merge_partition, remove_tree, stage_by_partition
from newsetl.text.clean import REPAIR_KINDS
from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import connect

LOAD_ID = "00000000T000000Z-bench"
INGESTED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _rows(article: GeneratedArticle) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    body = "\n\n".join(article.paragraphs)
    row: dict[str, Any] = {
        "article_id": article.article_id,
        "source_file": article.file_name,
        "published_date": article.published_date,
        "title": article.title,
        "section": article.section,
        "subsection": article.subsection,
        "author": article.author,
        "authors": list(article.authors) or None,
        "author_title": article.author_title,
        "author_description": article.author_description,
        "body": body,
        "print_headline": article.print_headline,
        "word_count": count_words(body),
        "paragraph_count": len(article.paragraphs),
        "photo_count": len(article.photos),
        "parse_notes": None,
        "content_sha256": hashlib.sha256(article.raw_text.encode()).hexdigest(),
        "load_id": LOAD_ID,
        "ingested_at": INGESTED_AT,
        **{f"repair_{kind}": 0 for kind in REPAIR_KINDS},
    }
    photos = [
        {
            "article_id": article.article_id,
            "position": index,
            "caption": photo.caption,
            "credit": photo.credit,
            "load_id": LOAD_ID,
            "source_file": article.file_name,
            "published_date": article.published_date,
        }
        for index, photo in enumerate(article.photos)
    ]
    return row, photos


def _batches(
    count: int, seed: int, size: int
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    articles: list[dict[str, Any]] = []
    photos: list[dict[str, Any]] = []
    for article in generate_articles(count, seed=seed):
        row, photo_rows = _rows(article)
        articles.append(row)
        photos.extend(photo_rows)
        if len(articles) == size:
            yield articles, photos
            articles, photos = [], []
    if articles:
        yield articles, photos


def write_tables(warehouse_dir: Path, count: int, seed: int) -> set[tuple[str, str]]:
    """Stage generated articles by partition and merge them into one (uncommitted) snapshot.

    Returns the partition keys written.
    """
    paths = resolve_paths(warehouse_dir, warehouse_dir)
    staging = paths.staging_dir / LOAD_ID
    results: list[BatchResult] = []
    written = 0
    for number, (articles, photos) in enumerate(_batches(count, seed, 20_000)):
        name = f"batch-{number:05d}"
        staged = {
            table: stage_by_partition(rows, staging / table, name)
            for table, rows in (
                (ARTICLES_TABLE, pa.Table.from_pylist(articles, schema=ARTICLES)),
                (PHOTOS_TABLE, pa.Table.from_pylist(photos, schema=STAGED_PHOTOS)),
            )
        }
        results.append(BatchResult(batch_name=name, staged=staged))
        written += len(articles)
        print(f"  staged {written:,} articles", file=sys.stderr, flush=True)
    parts = staged_parts_by_partition(results, staging)
    snapshot = snapshot_dir(warehouse_dir, LOAD_ID)
    keys = set(parts.get(ARTICLES_TABLE, {}))
    for table in (ARTICLES_TABLE, PHOTOS_TABLE):
        for key in sorted(keys):
            merge_partition(
                None,
                snapshot / table,
                parts.get(table, {}).get(key, []),
                key,
                TABLE_SCHEMAS[table],
                winners=None,
                replaced_ids=None,
                sort_keys=TABLE_SORT_KEYS[table],
                row_group_size=row_group_size(table),
            )
    write_rejects(snapshot / STATE_DIR, {})
    write_loads(snapshot / STATE_DIR, [])
    write_manifest(snapshot / STATE_DIR, {})
    remove_tree(paths.staging_dir)
    return keys


def write_warehouse(warehouse_dir: Path, count: int, seed: int) -> dict[str, float]:
    """The articles, then their derived tables (term counts, search index) as a load computes
    them, committed as one snapshot; returns the seconds each step took."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    keys = write_tables(warehouse_dir, count, seed)
    seconds["articles"] = time.perf_counter() - started
    snapshot = snapshot_dir(warehouse_dir, LOAD_ID)
    started = time.perf_counter()
    write_derived_tables(None, snapshot, keys, full_refresh=True)
    seconds["derived"] = time.perf_counter() - started
    commit_snapshot(warehouse_dir, snapshot)
    return seconds


QUERIES: dict[str, str] = {
    "articles by section and month": "select published_year, published_month, section, "
    "count(*) from articles group by all",
    "articles per month (mart)": "select * from articles_monthly",
    "one author's articles": "select title, published_date from articles "
    "where list_contains(authors, (select author from authors order by articles desc limit 1))",
    "authors mart": "select * from authors order by articles desc, author limit 20",
    "one month (articles_between)": "select count(*) from articles_between("
    "date '2020-03-01', date '2020-03-31')",
    "search_articles": "select article_id, score, title "
    "from search_articles('trade tariffs') limit 10",
    "search_articles with snippets": "select article_id, score, title, snippet "
    "from search_articles('trade tariffs') limit 10",
    # what 'trade tariffs' matched before all words were required (the generator never writes
    # 'tariffs'): ~40% of the articles
    "search_articles, trade OR tariffs": "select article_id, score, title, snippet "
    "from search_articles('trade OR tariffs') limit 10",
    "search_articles, a phrase": "select article_id, score, title, snippet "
    "from search_articles('\"belt and road\"') limit 10",
    "search_articles, OR and -word": "select article_id, score, title, snippet "
    "from search_articles('yuan OR renminbi exchange -cultural') limit 10",
    "search_articles, a common word": "select article_id, score, title, snippet "
    "from search_articles('china') limit 10",
    "search_count, a phrase": "select search_count('\"belt and road\"')",
    "term_trend (a word)": "select * from term_trend('economy')",
    "term_trend (a phrase)": "select * from term_trend('belt and road')",
    "top terms of one month": "select * from top_terms_monthly "
    "where month_start = date '2020-03-01'",
    "one month's article_terms": "select term, sum(mentions) from article_terms "
    "where published_year = 2020 and published_month = 3 group by all order by 2 desc limit 25",
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Build the warehouse, then time each query (best of 3) and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("warehouse_dir", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="time the queries on the warehouse already in warehouse_dir (news.duckdb built "
        "again from sql/ as it is now, a few seconds) instead of writing it again",
    )
    args = parser.parse_args(argv)
    paths = resolve_paths(args.warehouse_dir, args.warehouse_dir)
    if args.queries_only:
        build_seconds = _timed(lambda: build_database(paths))
        peaks = {"build": _peak_mib()}
        lines = [
            f"Queries on the warehouse already written in {args.warehouse_dir}; news.duckdb "
            f"built again in {build_seconds:.1f} s.",
            "",
        ]
    else:
        print(f"generating and writing {args.count:,} articles ...", file=sys.stderr)
        seconds = write_warehouse(args.warehouse_dir, args.count, args.seed)
        peaks = {"write": _peak_mib()}
        print("building news.duckdb ...", file=sys.stderr)
        build_seconds = _timed(lambda: build_database(paths))
        peaks["build"] = _peak_mib()
        lines = [
            f"Warehouse of {args.count:,} generated articles: articles written in "
            f"{seconds['articles']:.0f} s, term counts and search index computed in "
            f"{seconds['derived']:.1f} s, news.duckdb built (views, comments, tests) in "
            f"{build_seconds:.1f} s, {paths.database.stat().st_size / 2**20:.0f} MiB.",
            "",
        ]
    lines += [
        "| query | best of 3 (s) |",
        "|---|---:|",
    ]
    with connect(args.warehouse_dir) as con:
        for name, sql in QUERIES.items():
            print(f"timing {name} ...", file=sys.stderr)
            best = min(_timed(lambda sql=sql: con.sql(sql).fetchall()) for _ in range(3))
            lines.append(f"| {name} | {best:.3f} |")
    peaks["queries"] = _peak_mib()
    # ru_maxrss only grows: each figure is the peak up to the end of that step.
    steps = {"write": "writing", "build": "the build", "queries": "the queries"}
    after = ", ".join(f"{peaks[step]:.0f} MiB after {steps[step]}" for step in peaks)
    lines += ["", f"Peak RSS of this process: {after}."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
