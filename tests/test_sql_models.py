"""The analyst models of news.duckdb (sql/): marts, macros, search, comments and pruning."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from newsetl.settings import SQL_DIR
from newsetl.store.paths import Paths, resolve_paths
from newsetl.store.sql import split_statements
from newsetl.warehouse.build import BuildError, build_database
from newsetl.warehouse.connect import connect
from tests.conftest import built_warehouse, raw_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """A small warehouse over many months: 120 generated articles, the seed, two known ones."""
    pandas = raw_text(
        title="Pandas return to Chengdu",
        body="Two giant pandas flew home to Chengdu.\n\nThe panda base welcomed them.",
        published="2021-03-15",
        author="Li Hui and Wang Qi",
    )
    harbor = raw_text(
        title="Harbor traffic rises",
        body="Container traffic rose at the harbor. A single panda statue stands at the gate.",
        published="2021-04-02",
    )
    extra = {"900_00000000000000a1.txt": pandas, "901_00000000000000a2.txt": harbor}
    return built_warehouse(tmp_path_factory.mktemp("analyst"), 120, 11, extra)


@pytest.fixture
def con(warehouse: Paths) -> duckdb.DuckDBPyConnection:
    return connect(warehouse.warehouse_dir)


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.sql(sql).fetchone()
    assert row is not None
    return row[0]


def test_every_view_macro_and_column_has_a_comment(con: duckdb.DuckDBPyConnection) -> None:
    undocumented = con.sql(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'main' and not internal and comment is null"
    ).fetchall()
    assert undocumented == []
    assert (
        _one(con, "select count(*) from duckdb_views() where not internal and comment is null") == 0
    )
    # the stop-word table too, which search errors point to
    assert _one(con, "select comment from duckdb_tables() where table_name = 'search_stop_words'")
    macros = con.sql(
        "select function_name, comment from duckdb_functions() where schema_name = 'main' "
        "and not internal and function_type in ('macro', 'table_macro')"
    ).fetchall()
    assert {name for name, _ in macros} >= {"articles_between", "search_articles", "term_trend"}
    assert all(comment for _, comment in macros)
    views = {
        row[0]
        for row in con.sql("select view_name from duckdb_views() where not internal").fetchall()
    }
    assert views >= {
        "articles", "article_photos", "loads", "rejected_files", "raw_files", "articles_daily",
        "articles_weekly", "articles_monthly", "authors", "photo_credits_monthly", "article_terms",
        "terms_monthly", "top_terms_monthly", "stg_articles",
    }  # fmt: skip


def test_search_ranks_articles_with_a_snippet(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.sql(
        "select article_id, score, title, snippet from search_articles('Pandas OR Chengdu')"
    ).fetchall()
    assert rows[0][0] == "00000000000000a1"  # both words, in title and body: best
    assert [row[1] for row in rows] == sorted((row[1] for row in rows), reverse=True)
    assert "00000000000000a2" in {row[0] for row in rows}  # `panda`: stemmed; OR: either word
    assert rows[0][3] == (
        "Two giant «pandas» flew home to «Chengdu». The «panda» base welcomed them."
    )
    assert con.sql("select * from search_articles('zzzqqq')").fetchall() == []
    # only the best max_results get a snippet and a row: the same first rows, in the same order
    top = con.sql("select article_id from search_articles('Pandas OR Chengdu', max_results := 1)")
    assert top.fetchall() == [(rows[0][0],)]


def test_search_snippets_mark_the_words_the_index_matched(con: duckdb.DuckDBPyConnection) -> None:
    # `the` is a stop word the index ignores: never marked; `statues` matches `statue` by stem
    snippet = _one(
        con,
        "select snippet from search_articles('the harbor statues') "
        "where article_id = '00000000000000a2'",
    )
    assert snippet == (
        "Container traffic rose at the «harbor». A single panda «statue» stands at the gate."
    )
    # longer bodies: a window of whole words, an ellipsis where text was left out
    found = con.sql("select snippet from search_articles('trade')").fetchall()
    snippets = [row[0] for row in found]
    assert snippets and all(len(s.replace("«", "").replace("»", "")) <= 262 for s in snippets)
    assert any(s.startswith("…") and s.endswith("…") and "«" in s for s in snippets)


def test_articles_between_matches_a_date_filter(con: duckdb.DuckDBPyConnection) -> None:
    by_macro = _one(con, "select count(*) from articles_between('2019-11-15', '2021-02-10')")
    by_filter = _one(
        con,
        "select count(*) from articles "
        "where published_date between date '2019-11-15' and date '2021-02-10'",
    )
    assert by_macro == by_filter
    assert by_macro and int(str(by_macro)) > 0


def _files_read(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    plan = "\n".join(str(row[1]) for row in con.sql(f"explain analyze {sql}").fetchall())
    return sum(int(n) for n in re.findall(r"Total Files Read: (\d+)", plan))


def test_date_filters_on_the_partition_columns_prune_files(con: duckdb.DuckDBPyConnection) -> None:
    partitions = _one(con, "select count(distinct (published_year, published_month)) from articles")
    assert isinstance(partitions, int) and partitions > 20
    everything = _files_read(con, "select count(*) from articles")
    assert everything == partitions
    assert (
        _files_read(con, "select count(*) from articles_between('2021-03-01', '2021-04-30')") == 2
    )
    assert (
        _files_read(
            con, "select count(*) from articles where published_year = 2021 and published_month = 3"
        )
        == 1
    )


def test_term_trend_counts_whole_words_every_month(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.sql(
        "select month_start, articles, month_articles from term_trend('panda')"
    ).fetchall()
    months = [row[0] for row in rows]
    assert months == sorted(months) and len(months) == len(set(months))
    mentions = {str(month)[:7]: n for month, n, _ in rows if n}
    assert mentions == {"2021-03": 1, "2021-04": 1}
    pandas = con.sql("select month_start from term_trend('Pandas') where articles > 0").fetchall()
    assert "2021-03-01" in {str(row[0]) for row in pandas}
    assert "2021-04-01" not in {str(row[0]) for row in pandas}  # whole words: not `panda`
    assert _one(con, "select sum(articles) from term_trend('giant  pandas')") == 1


def test_term_trend_of_a_phrase_matches_any_case_whole_words_title_and_body(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # term_trend checks a phrase's words alone before their word boundaries (a faster filter
    # first): neither may change what is counted
    assert _one(con, "select sum(articles) from term_trend('GIANT Pandas')") == 1
    assert _one(con, "select sum(articles) from term_trend('giant panda')") == 0
    # the title's last word and the body's first are no phrase: it is in one or the other
    assert _one(con, "select sum(articles) from term_trend('Chengdu two')") == 0


def test_terms_leave_out_stop_words(con: duckdb.DuckDBPyConnection) -> None:
    top = {row[0] for row in con.sql("select term from top_terms_monthly").fetchall()}
    assert top and not top & {"the", "and", "said", "with"}
    assert _one(con, "select max(term_rank) from top_terms_monthly") == 25
    row = con.sql(
        "select mentions, articles from terms_monthly "
        "where month_start = date '2021-03-01' and term = 'chengdu'"
    ).fetchone()
    assert row is not None and row[1] >= 1 and row[0] >= 2


def test_term_counts_agree_with_the_article_terms_drill_down(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # terms_monthly reads the term counts the load wrote (newsetl/load/terms.py); article_terms
    # tokenizes the bodies in SQL when queried: the two must count the same words
    recounted = con.sql(
        "select make_date(published_year, published_month, 1) as month_start, term, "
        "sum(mentions) as mentions, count(*) as articles "
        "from article_terms where published_year is not null group by all order by all"
    ).fetchall()
    materialized = con.sql(
        "select month_start, term, mentions, articles from terms_monthly order by all"
    ).fetchall()
    assert len(materialized) > 1000
    assert materialized == recounted


def test_term_trend_of_a_word_reads_term_counts_and_agrees_with_a_scan(
    con: duckdb.DuckDBPyConnection,
) -> None:
    plan = "\n".join(
        str(row[1]) for row in con.sql("explain select * from term_trend('Panda')").fetchall()
    )
    assert "body" not in plan  # one word: the bodies are never read
    for word in ("Panda", "the"):  # `the`: a stop word, left out of terms_monthly only
        by_counts = con.sql(
            f"select month_start, articles from term_trend('{word}') where articles > 0"
        ).fetchall()
        by_scan = con.sql(
            "select make_date(published_year, published_month, 1) as month_start, count(*) "
            "from articles where published_year is not null "
            f"and regexp_matches(title || ' ' || body, '(?i)\\b{word}\\b') group by all order by 1"
        ).fetchall()
        assert by_counts == by_scan and by_scan


# Per-article measures the load writes as int32 (newsetl/store/schema.py), and search_query's
# ordinals: not counts or sums.
ROW_INTEGERS = {
    "published_year", "published_month", "position", "word_count", "paragraph_count",
    "photo_count", "clause", "alternative",
}  # fmt: skip
MACRO_CALLS = {
    "articles_between": "articles_between(date '2021-01-01', date '2021-12-31')",
    "search_articles": "search_articles('panda')",
    "search_matches": "search_matches('panda')",
    "search_query": "search_query('panda')",
    "term_trend": "term_trend('panda')",
}


def test_counts_are_bigint_and_polars_reads_every_view_and_macro(
    con: duckdb.DuckDBPyConnection,
) -> None:
    views = [
        r[0] for r in con.sql("select view_name from duckdb_views() where not internal").fetchall()
    ]
    macros = {
        r[0]
        for r in con.sql(
            "select function_name from duckdb_functions() where schema_name = 'main' "
            "and not internal and function_type = 'table_macro'"
        ).fetchall()
    }
    assert macros == set(MACRO_CALLS), "a new table macro: add a call to MACRO_CALLS"
    relations = [*views, *MACRO_CALLS.values(), "(select search_count('panda') as n)"]
    wrong: list[tuple[str, str, str]] = []
    for relation in relations:
        query = f"select * from {relation}"
        described = con.sql(f"describe {query}").fetchall()
        for name, kind, *_ in described:
            if kind in ("BIGINT", "DOUBLE") or (
                kind == "INTEGER" and (name in ROW_INTEGERS or name.startswith("repair_"))
            ):
                continue
            if kind in ("HUGEINT", "INTEGER", "SMALLINT", "UBIGINT") or kind.startswith("DECIMAL"):
                wrong.append((relation, name, kind))
        # and polars, where a HUGEINT sum arrived as Decimal(38, 0) and an INTERVAL failed
        try:
            schema = con.sql(query).pl().schema
        except (duckdb.Error, pl.exceptions.PolarsError) as exc:
            wrong.append((relation, "*", f"{type(exc).__name__}: {exc}"))
            continue
        wrong += [(relation, n, str(t)) for n, t in schema.items() if str(t).startswith("Decimal")]
    assert wrong == []


def test_period_marts_add_up_to_the_dated_articles(con: duckdb.DuckDBPyConnection) -> None:
    dated = _one(con, "select count(*) from articles where published_date is not null")
    for view in ("articles_daily", "articles_weekly", "articles_monthly"):
        assert _one(con, f"select sum(articles) from {view}") == dated


def test_authors_split_bylines(con: duckdb.DuckDBPyConnection) -> None:
    row = con.sql(
        "select articles, first_published_date, shared_bylines from authors where author = 'Li Hui'"
    ).fetchone()
    assert row is not None and row[0] >= 1 and row[2] >= 1
    assert _one(con, "select count(*) from authors where author like '% and %'") == 0


def test_photo_agencies_cover_every_credit(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        _one(con, "select count(*) from article_photos where credit is not null and agency is null")
        == 0
    )
    assert (
        _one(con, "select count(*) from article_photos where credit = 'VCG' and agency <> 'VCG'")
        == 0
    )
    monthly = _one(con, "select sum(photos) from photo_credits_monthly")
    credited = _one(
        con,
        "select count(*) from article_photos "
        "where credit is not null and published_year is not null",
    )
    assert monthly == credited


def test_photo_kinds_reach_the_marts(con: duckdb.DuckDBPyConnection) -> None:
    kinds = dict(con.sql("select kind, count(*) from article_photos group by all").fetchall())
    assert {"photo", "file photo", "illustration"} <= set(kinds)
    seed = "select kind from article_photos where article_id = '5110aec6e8f52836'"
    assert _one(con, seed) == "photo"
    # photo_credits_monthly counts each kind of the credited, dated photos
    for column, kind in (("file_photos", "file photo"), ("illustrations", "illustration")):
        monthly = _one(con, f"select sum({column}) from photo_credits_monthly")
        dated = _one(
            con,
            f"select count(*) from article_photos where kind = '{kind}' "
            "and credit is not null and published_year is not null",
        )
        assert monthly == dated and dated


def test_photo_partitions_from_before_the_kind_column_read_as_null(tmp_path: Path) -> None:
    # A warehouse loaded before article_photos.kind existed: its untouched partitions keep the
    # old columns. The views read them by name, with a NULL kind, beside the new ones.
    paths = built_warehouse(tmp_path, 40, 5, {})
    files = sorted(paths.table_dir("article_photos").glob("year=*/month=*/part-0.parquet"))
    old = files[0].resolve()
    table = pq.read_table(old)
    old.unlink()  # a hard link shared with the snapshot: write a new file, not through it
    pq.write_table(table.drop_columns(["kind"]), old)
    build_database(paths)
    with connect(paths.warehouse_dir) as con:
        rows = _one(con, "select count(*) from article_photos")
        null_kinds = _one(con, "select count(*) from article_photos where kind is null")
        assert rows == sum(pq.read_metadata(f).num_rows for f in files)
        assert null_kinds == table.num_rows
        assert _one(con, "select count(*) from article_photos where kind = 'photo'")


def test_an_undocumented_column_fails_the_build(warehouse: Paths, tmp_path: Path) -> None:
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "marts" / "extra.sql").write_text(
        "-- grain: one row per article.\ncreate or replace view extra as "
        "select article_id, 1 as mystery from articles;\n"
    )
    paths = resolve_paths(warehouse.raw_dir, tmp_path / "wh")
    with pytest.raises(
        BuildError, match=r"column extra\.mystery \(add it to newsetl/warehouse/catalog.py\)"
    ):
        build_database(paths, sql_dir)


def test_split_statements_respects_quotes_and_comments() -> None:
    script = "select ';' as a; -- a comment; still a comment\nselect \"x;y\" from t;\n\n"
    assert split_statements(script) == ["select ';' as a", 'select "x;y" from t']
