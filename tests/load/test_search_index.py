"""The full-text search index (newsetl.load.search_index): its postings, and BM25 equal to
fts's own."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from newsetl.load.derived import partition_derived_tables
from newsetl.load.search_index import stop_words
from newsetl.settings import SEARCH_DOCUMENTS_TABLE, SEARCH_TERMS_TABLE
from newsetl.store.paths import resolve_paths
from newsetl.store.sql import load_fts
from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import connect
from tests.conftest import articles_file, built_warehouse, raw_text

# Queries with what can go wrong: a stem shared by several words, a stop word, an accent, a
# word in no article, punctuation and case, one word that is its own stem.
QUERIES = (
    "trade",
    "economic growth",
    "the pandas of Chengdu",
    "Café’s exports!",
    "zzzqqq",
    "TRADING, traded; trades",
    "and",
)


def test_postings_are_porter_stems_without_stop_words(tmp_path: Path) -> None:
    source = articles_file(
        tmp_path / "part-0.parquet",
        ("a1", "Pandas at the café", "Two pandas, one PANDA. The panda-base opened in 2021."),
        ("a2", "Of and the", "42 — 7"),
    )
    tables = partition_derived_tables(source)
    assert tables[SEARCH_TERMS_TABLE].to_pylist() == [
        {"article_id": "a1", "term": "base", "mentions": 1},
        {"article_id": "a1", "term": "cafe", "mentions": 1},
        {"article_id": "a1", "term": "open", "mentions": 1},
        {"article_id": "a1", "term": "panda", "mentions": 4},
    ]
    # 'at', 'the', 'two', 'one', 'in' are stop words; a2 has no indexed word but is a document
    assert tables[SEARCH_DOCUMENTS_TABLE].to_pylist() == [
        {"article_id": "a1", "indexed_words": 7},
        {"article_id": "a2", "indexed_words": 0},
    ]


def test_the_load_and_the_build_use_the_same_stop_words(tmp_path: Path) -> None:
    paths = resolve_paths("unused", tmp_path / "warehouse")
    build_database(paths)
    with connect(paths.warehouse_dir) as con:
        built = [
            word
            for (word,) in con.sql("select word from search_stop_words order by word").fetchall()
        ]
    assert built == stop_words()
    assert len(built) == 571 and {"the", "and", "of"} <= set(built)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated articles over many months and the seed, loaded and built."""
    text = raw_text(
        title="Pandas of Chengdu",
        body="The café’s pandas traded places. Trade and trading: exports of the café grew.",
        published="2021-03-15",
    )
    root = tmp_path_factory.mktemp("search")
    return built_warehouse(root, 300, 5, {"900_00000000000000a1.txt": text}).warehouse_dir


def _fts_scores(warehouse: Path, query: str) -> dict[str, float]:
    """BM25 of every matching article by the fts extension's own index over the same articles."""
    with load_fts(duckdb.connect()) as con:
        glob = (warehouse / "articles" / "*" / "*" / "*.parquet").as_posix()
        con.execute(f"create table a as select article_id, title, body from read_parquet('{glob}')")
        con.execute(
            "pragma create_fts_index('a', 'article_id', 'title', 'body', stemmer = 'porter', "
            "stopwords = 'english', ignore = '[^a-z]+', strip_accents = 1, lower = 1)"
        )
        rows = con.execute(
            "select article_id, fts_main_a.match_bm25(article_id, ?) as score from a",
            [query],
        ).fetchall()
    return {article_id: score for article_id, score in rows if score is not None}


@pytest.mark.parametrize("query", QUERIES)
def test_search_scores_equal_the_fts_extensions_bm25(warehouse: Path, query: str) -> None:
    expected = _fts_scores(warehouse, query)
    with connect(warehouse) as con:
        rows = con.execute(
            "select article_id, score from search_articles(?, max_results := 100000)", [query]
        ).fetchall()
    assert {article_id for article_id, _ in rows} == set(expected)
    for article_id, score in rows:
        # search_articles rounds to 4 places for display
        assert score == pytest.approx(round(expected[article_id], 4), abs=1e-9)
    if query not in ("zzzqqq", "and"):
        assert len(expected) >= 1
