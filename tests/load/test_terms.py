"""Monthly term counts (newsetl.load.terms): what one partition's counts hold."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsetl.load.derived import partition_derived_tables
from newsetl.settings import TERMS_TABLE
from newsetl.store.schema import TERM_COUNTS
from newsetl.store.write import write_parquet_atomic
from tests.conftest import articles_file


def partition_term_counts(source: Path) -> pa.Table:
    return partition_derived_tables(source)[TERMS_TABLE]


def _rows_of(table: pa.Table) -> list[tuple[str, int, int]]:
    return [(r["term"], r["mentions"], r["articles"]) for r in table.to_pylist()]


def _rows(path: Path) -> list[tuple[str, int, int]]:
    return _rows_of(pq.read_table(path))


def test_partition_counts_mentions_and_articles_per_term(tmp_path: Path) -> None:
    source = articles_file(
        tmp_path / "part-0.parquet",
        ("a1", "Pandas at the café", "Two pandas, one PANDA. The panda-base opened in 2021."),
        ("a2", "Harbor news", "The harbor's café is open."),
    )
    table = partition_term_counts(source)
    assert table.schema == TERM_COUNTS
    # lower case, accents stripped, split at anything but a-z, three letters or more; stop
    # words ('the', 'two', 'one') stay in: the views drop them
    assert _rows_of(table) == [
        ("base", 1, 1),
        ("cafe", 2, 2),
        ("harbor", 2, 1),
        ("news", 1, 1),
        ("one", 1, 1),
        ("open", 1, 1),
        ("opened", 1, 1),
        ("panda", 2, 1),
        ("pandas", 2, 1),
        ("the", 3, 2),
        ("two", 1, 1),
    ]


def test_an_article_without_words_gives_an_empty_partition(tmp_path: Path) -> None:
    source = articles_file(tmp_path / "part-0.parquet", ("a1", "Go", "1, 2 and 3."))
    assert _rows_of(partition_term_counts(source)) == [("and", 1, 1)]
    empty = articles_file(tmp_path / "empty.parquet", ("a2", "Go", "42"))
    table = partition_term_counts(empty)
    assert table.num_rows == 0 and table.schema == TERM_COUNTS


def test_same_articles_give_byte_identical_files(tmp_path: Path) -> None:
    source = articles_file(tmp_path / "a.parquet", ("a", "Zebra apple", "mango apple zebra"))
    for name in ("one", "two"):
        write_parquet_atomic(partition_term_counts(source), tmp_path / name / "part-0.parquet")
    one, two = (tmp_path / name / "part-0.parquet" for name in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
