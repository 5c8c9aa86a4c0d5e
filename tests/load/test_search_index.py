"""The full-text search index (newsetl.load.search_index): its postings, and BM25 equal to
fts's own."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from newsetl.load.derived import partition_derived_tables
from newsetl.load.search_index import create_stop_words, stop_words
from newsetl.settings import SEARCH_DOCUMENTS_TABLE, SEARCH_POSITIONS_TABLE, SEARCH_TERMS_TABLE
from newsetl.store.paths import resolve_paths
from newsetl.store.sql import load_fts
from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import connect
from tests.conftest import (
    ARTICLES_FILE_DATE,
    articles_file,
    built_warehouse,
    raw_text,
)

pytestmark = pytest.mark.slow

# Queries with what can go wrong: a stem shared by several words, a stop word, an accent, a
# word in no article, punctuation and case, one word that is its own stem, digits and dots.
QUERIES = (
    "trade",
    "economic growth",
    "the pandas of Chengdu",
    "Café’s exports!",
    "zzzqqq",
    "TRADING, traded; trades",
    "5G U.S. 2021 covid-19",
)


def test_postings_are_porter_stems_without_stop_words_digits_and_dots_kept(
    tmp_path: Path,
) -> None:
    source = articles_file(
        tmp_path / "part-0.parquet",
        ("a1", "Pandas at the café", "Two pandas, one PANDA. The panda-base opened in 2021."),
        ("a2", "Of and the U.S.", "42 — 7: US, not us"),
        ("a3", "The", "And."),
    )
    tables = partition_derived_tables(source)
    assert tables[SEARCH_TERMS_TABLE].to_pylist() == [
        {"article_id": "a1", "term": "2021", "mentions": 1, "title_mentions": 0},
        {"article_id": "a2", "term": "42", "mentions": 1, "title_mentions": 0},
        {"article_id": "a2", "term": "7", "mentions": 1, "title_mentions": 0},
        {"article_id": "a1", "term": "base", "mentions": 1, "title_mentions": 0},
        {"article_id": "a1", "term": "cafe", "mentions": 1, "title_mentions": 1},
        {"article_id": "a1", "term": "open", "mentions": 1, "title_mentions": 0},
        {"article_id": "a1", "term": "panda", "mentions": 4, "title_mentions": 1},
        {"article_id": "a2", "term": "u.", "mentions": 2, "title_mentions": 1},
    ]
    # 'at', 'the', 'two', 'one', 'in' are stop words; a3 has no indexed word but is a document
    assert tables[SEARCH_DOCUMENTS_TABLE].to_pylist() == [
        {"article_id": "a1", "published_date": ARTICLES_FILE_DATE, "indexed_words": 8},
        {"article_id": "a2", "published_date": ARTICLES_FILE_DATE, "indexed_words": 4},
        {"article_id": "a3", "published_date": ARTICLES_FILE_DATE, "indexed_words": 0},
    ]


def test_positions_count_every_word_stop_words_too_title_then_body_one_apart(
    tmp_path: Path,
) -> None:
    source = articles_file(
        tmp_path / "part-0.parquet",
        ("a1", "Belt and Road", "The belt, and the road — Belt-and-Road!"),
        ("a2", "US", "Tell us. 中国 U.S."),
    )
    tables = partition_derived_tables(source)
    # sorted by word, then article; a1's title holds positions 1-3, 4 is left empty, the
    # body starts at 5; marks and a script the index does not read take no position
    assert tables[SEARCH_POSITIONS_TABLE].to_pylist() == [
        {"article_id": "a1", "word": "and", "positions": [2, 7, 11]},
        {"article_id": "a1", "word": "belt", "positions": [1, 6, 10]},
        {"article_id": "a1", "word": "road", "positions": [3, 9, 12]},
        {"article_id": "a2", "word": "tell", "positions": [3]},
        {"article_id": "a1", "word": "the", "positions": [5, 8]},
        {"article_id": "a2", "word": "u.s", "positions": [1, 5]},
        {"article_id": "a2", "word": "us", "positions": [4]},
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
    assert len(built) == len(set(built)) == 570 and {"the", "and", "of"} <= set(built)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated articles over many months and the seed, loaded and built."""
    text = raw_text(
        title="Pandas of Chengdu",
        body="The café’s pandas traded places in the U.S. after COVID-19 (2021). Trade and "
        "trading on 5G: exports of the café grew.",
        published="2021-03-15",
    )
    root = tmp_path_factory.mktemp("search")
    return built_warehouse(root, 300, 5, {"900_00000000000000a1.txt": text}).warehouse_dir


def _fts_scores(warehouse: Path, query: str) -> dict[str, float]:
    """BM25 of every matching article by the fts extension's own index over the same words.

    fts reads the articles as search_tokens does (its tokenizer can only split at a pattern,
    which cannot keep `u.s` whole yet split `china.the`): the texts are given to it tokenized,
    one space apart, and it splits them at the spaces, stems and drops stop words itself.
    """
    with load_fts(duckdb.connect()) as con:
        create_stop_words(con)  # and the search_tokens macro
        glob = (warehouse / "articles" / "*" / "*" / "*.parquet").as_posix()
        con.execute(
            "create table a as select article_id, "
            "array_to_string(search_tokens(title), ' ') as title, "
            "array_to_string(search_tokens(body), ' ') as body "
            f"from read_parquet('{glob}')"
        )
        con.execute(
            "pragma create_fts_index('a', 'article_id', 'title', 'body', stemmer = 'porter', "
            "stopwords = 'english', ignore = '[^a-z0-9.]+', strip_accents = 1, lower = 1)"
        )
        rows = con.execute(
            "select article_id, fts_main_a.match_bm25(article_id, "
            "array_to_string(search_tokens(?), ' ')) as score from a",
            [query],
        ).fetchall()
    return {article_id: score for article_id, score in rows if score is not None}


def _any_word(query: str) -> str:
    """The query in search_articles' syntax for 'any of its words', as match_bm25 reads one:
    each word an alternative (OR), so that `Café’s` is two words, not a phrase."""
    with load_fts(duckdb.connect()) as con:
        create_stop_words(con)
        row = con.execute("select search_tokens(?)", [query]).fetchone()
    assert row is not None
    return " OR ".join(row[0])


@pytest.mark.parametrize("query", QUERIES)
def test_search_scores_equal_the_fts_extensions_bm25(warehouse: Path, query: str) -> None:
    expected = _fts_scores(warehouse, query)
    with connect(warehouse) as con:
        rows = con.execute(
            "select article_id, score "
            "from search_articles(?, max_results := null, title_weight := 1)",
            [_any_word(query)],
        ).fetchall()
    assert {article_id for article_id, _ in rows} == set(expected)
    for article_id, score in rows:
        # search_articles rounds to 4 places for display
        assert score == pytest.approx(round(expected[article_id], 4), abs=1e-9)
    if query != "zzzqqq":
        assert len(expected) >= 1
