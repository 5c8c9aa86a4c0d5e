"""Derived tables (newsetl.load.derived): computed for the partitions a load touches, else
linked."""

from __future__ import annotations

import logging
import random
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsetl.load.derived import (
    changed_partition_queries,
    connect_for_derived_tables,
    is_current,
    outdated_partitions,
    partition_derived_tables,
    words_query,
    write_derived_tables,
)
from newsetl.load.ingest import Load
from newsetl.settings import DERIVED_TABLES
from newsetl.store.paths import resolve_paths
from newsetl.store.schema import TABLE_SCHEMAS
from newsetl.store.snapshot import current_snapshot
from newsetl.store.write import write_parquet_atomic
from tests.conftest import RawWriter, articles_file

pytestmark = pytest.mark.slow

UNDATED = "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__"
PART = "part-0.parquet"


def _term_rows(path: Path) -> list[tuple[str, int, int]]:
    return [(r["term"], r["mentions"], r["articles"]) for r in pq.read_table(path).to_pylist()]


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.glob("*/year=*/month=*/*.parquet"))


def test_words_keep_digits_and_dots_and_are_counted_per_article_and_title() -> None:
    with connect_for_derived_tables() as con:
        con.execute(
            "create table a as select 'x1' as article_id, 'Café news on 5G' as title, "
            "'News: the U.S. café’s 2nd news-letter.China.' as body"
        )
        rows = con.sql(f"select * from ({words_query('a')}) order by word").fetchall()
    assert rows == [
        ("x1", "2nd", 1, 0),
        ("x1", "5g", 1, 1),
        ("x1", "cafe", 2, 1),
        ("x1", "china", 1, 0),
        ("x1", "letter", 1, 0),
        ("x1", "news", 3, 1),
        ("x1", "on", 1, 1),
        ("x1", "s", 1, 0),
        ("x1", "the", 1, 0),
        ("x1", "u.s", 1, 0),
    ]


def test_touched_and_missing_partitions_are_computed_the_rest_linked(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    june, july, gone = "year=2022/month=06", "year=2022/month=07", "year=2021/month=01"
    for snapshot in (old, new):
        articles_file(snapshot / "articles" / june / PART, ("a", "June", "rain"))
    articles_file(new / "articles" / july / PART, ("b", "July", "sun sun"))
    articles_file(new / "articles" / UNDATED / PART, ("c", "Undated", "fog"))
    # the old snapshot has derived tables for June (unchanged) and for a month gone from articles
    write_derived_tables(None, old, set(), full_refresh=True)
    articles_file(old / "articles" / gone / PART, ("d", "Gone", "snow"))
    write_derived_tables(None, old, {("2021", "01")})
    computed = write_derived_tables(old, new, {("2022", "07")})
    assert computed == 2  # July (touched) and the undated partition (no old derived tables)
    assert _files(new) == sorted(
        f"{table}/{month}/{PART}"
        for table in ("articles", *DERIVED_TABLES)
        for month in (june, july, UNDATED)
    )
    for table in DERIVED_TABLES:
        old_june = old / table / june / PART
        assert (new / table / june / PART).stat().st_ino == old_june.stat().st_ino
    assert _term_rows(new / "term_counts" / july / PART) == [("july", 1, 1), ("sun", 2, 1)]
    assert _term_rows(new / "term_counts" / UNDATED / PART) == [("fog", 1, 1), ("undated", 1, 1)]
    assert pq.read_table(new / "search_terms" / july / PART).to_pylist() == [
        {"article_id": "b", "term": "juli", "mentions": 1, "title_mentions": 1},
        {"article_id": "b", "term": "sun", "mentions": 2, "title_mentions": 0},
    ]
    # a full refresh computes every partition again
    again = tmp_path / "again"
    shutil.copytree(new / "articles", again / "articles")
    assert write_derived_tables(new, again, set(), full_refresh=True) == 3


def _old_partition(root: Path, *articles: tuple[str, ...]) -> dict[str, Path]:
    """An old snapshot's partition: its articles file and derived files, by table."""
    source = articles_file(root / "articles" / PART, *articles)
    files = {"articles": source}
    for table, rows in partition_derived_tables(source).items():
        files[table] = root / table / PART
        write_parquet_atomic(rows, files[table])
    return files


def test_a_changed_partition_gets_from_its_changes_what_a_whole_recompute_gives(
    tmp_path: Path,
) -> None:
    kept = [
        ("a", "Harbor news", "The ferry sails at dawn.", "load-1"),
        ("d", "Kept", "Quiet harbor, quiet ferry.", "load-2"),
        ("e", "Kept too", "Nothing at all happens.", "load-2"),
        ("g", "Kept three", "Harbor cats.", "load-2"),
    ]
    # b is replaced by a new version, c moved to another month, f is new
    old = _old_partition(
        tmp_path / "old",
        *sorted(
            [
                *kept,
                ("b", "Panda news", "Pandas eat bamboo; pandas sleep.", "load-1"),
                ("c", "Moved away", "Zebras only here.", "load-1"),
            ]
        ),
    )
    new = articles_file(
        tmp_path / "new" / PART,
        *sorted(
            [
                *kept,
                ("b", "Panda news", "Bamboo shortage: pandas hungry.", "load-3"),
                ("f", "New 5G ferry", "Ferry news at dawn, 2nd edition! U.S. 5G.", "load-3"),
            ]
        ),
    )
    with connect_for_derived_tables() as con:
        assert changed_partition_queries(con, old, new, "load-3") is not None
        changed = partition_derived_tables(new, con, old_files=old, load_id="load-3")
        whole = partition_derived_tables(new, con)
    for table in DERIVED_TABLES:
        assert changed[table].equals(whole[table]), table
    terms = {row[0] for row in _term_rows(old["term_counts"])}
    # a word only the moved article had is gone, not left with zero mentions
    assert "zebras" in terms and "zebras" not in {
        r["term"] for r in changed["term_counts"].to_pylist()
    }


def test_a_partition_the_load_mostly_replaced_is_recomputed_whole(tmp_path: Path) -> None:
    old = _old_partition(
        tmp_path / "old", ("a", "One", "first", "load-1"), ("b", "Two", "second", "load-1")
    )
    new = articles_file(
        tmp_path / "new" / PART, ("a", "One", "first", "load-1"), ("b", "Two", "changed", "load-2")
    )
    with connect_for_derived_tables() as con:
        # one row kept, one dropped and one added: the changes cost more than the month
        assert changed_partition_queries(con, old, new, "load-2") is None
        tables = partition_derived_tables(new, con, old_files=old, load_id="load-2")
        assert con.sql("select count(*) from duckdb_tables() where temporary").fetchone() == (0,)
        assert tables == partition_derived_tables(new, con)


def _derived_files(warehouse: Path, table: str) -> dict[str, int]:
    """Every file of one derived table visible through warehouse/<table>, with its inode."""
    return {
        p.relative_to(warehouse / table).as_posix(): p.stat().st_ino
        for p in sorted((warehouse / table).glob("year=*/month=*/*.parquet"))
    }


def test_each_load_keeps_the_derived_tables_in_step_with_articles(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Panda news", published="2022-06-01")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-07-01")
    write_raw("003_cccccccccccccccc.txt", title="Undated news", published="")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    june, july = f"year=2022/month=06/{PART}", f"year=2022/month=07/{PART}"
    first = {table: _derived_files(warehouse_dir, table) for table in DERIVED_TABLES}
    for table in DERIVED_TABLES:
        assert (warehouse_dir / table).readlink() == Path(f"current/{table}")
        assert sorted(first[table]) == [june, july, f"{UNDATED}/{PART}"]
    assert _term_rows(warehouse_dir / "term_counts" / june) == [
        ("first", 1, 1),
        ("news", 1, 1),
        ("panda", 1, 1),
        ("paragraph", 1, 1),
    ]
    # the July article moves to June: July's files go, June's are computed again, the
    # undated partition's files are shared with the previous snapshot
    write_raw(
        "002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-06-02", mtime_ns=2 * 10**18
    )
    Load(paths).run()
    for table in DERIVED_TABLES:
        second = _derived_files(warehouse_dir, table)
        assert sorted(second) == [june, f"{UNDATED}/{PART}"]
        assert second[f"{UNDATED}/{PART}"] == first[table][f"{UNDATED}/{PART}"]
        assert second[june] != first[table][june]
    assert ("news", 2, 2) in _term_rows(warehouse_dir / "term_counts" / june)
    # June was computed from its changes: the same tables as computed whole
    whole = partition_derived_tables(warehouse_dir / "articles" / june)
    for table in DERIVED_TABLES:
        written = pq.read_table(warehouse_dir / table / june).cast(TABLE_SCHEMAS[table])
        assert written.equals(whole[table]), table
    documents = pq.read_table(warehouse_dir / "search_documents" / june).to_pylist()
    assert [d["article_id"] for d in documents] == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]


def test_a_warehouse_from_before_a_derived_table_gets_it_from_its_next_load_even_with_nothing_new(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Panda news", published="2022-06-01")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-07-01")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    before = current_snapshot(warehouse_dir)
    assert before is not None
    # what a load from before the search index existed left: no such tables at all
    for table in ("search_terms", "search_documents"):
        shutil.rmtree(before / table)
        (warehouse_dir / table).unlink()
    summary = Load(paths).run()
    assert summary.files_loaded == 0 and summary.committed
    after = current_snapshot(warehouse_dir)
    assert after is not None and after != before
    for table in DERIVED_TABLES:
        assert sorted(_derived_files(warehouse_dir, table)) == [
            f"year=2022/month=06/{PART}",
            f"year=2022/month=07/{PART}",
        ]
    # the articles are the same files; the next run with nothing new writes nothing
    assert _derived_files(warehouse_dir, "articles") == {
        p.relative_to(before / "articles").as_posix(): p.stat().st_ino
        for p in sorted((before / "articles").glob("year=*/month=*/*.parquet"))
    }
    assert not Load(paths).run().committed


def test_derived_files_of_another_version_are_computed_again_by_the_next_load(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Panda news on 5G", published="2022-06-01")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-07-01")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    before = current_snapshot(warehouse_dir)
    assert before is not None and outdated_partitions(before) == []
    june = Path("year=2022/month=06") / PART
    stamped = pq.read_table(before / "search_terms" / june)
    assert {"term": "5g"} in [{"term": r["term"]} for r in stamped.to_pylist()]
    # what a load from before DERIVED_VERSION left in June: its files, with no version stamp
    for table in DERIVED_TABLES:
        path = before / table / june
        write_parquet_atomic(pq.read_table(path).replace_schema_metadata(None), path)
        assert not is_current(path)
    assert outdated_partitions(before) == [june]
    summary = Load(paths).run()
    assert summary.files_loaded == 0 and summary.committed
    after = current_snapshot(warehouse_dir)
    assert after is not None and after != before and outdated_partitions(after) == []
    july = Path("year=2022/month=07") / PART
    for table in DERIVED_TABLES:
        assert is_current(after / table / june)
        # July was current: linked, not computed again
        assert (after / table / july).stat().st_ino == (before / table / july).stat().st_ino
    assert pq.read_table(after / "search_terms" / june).equals(stamped)
    assert not Load(paths).run().committed


def test_the_derived_tables_query_shows_no_progress_bar(tmp_path: Path) -> None:
    # DuckDB draws its bar on stdout for a query over 2 s: in a flow's log, or a parent's pipe
    source = articles_file(tmp_path / PART, ("a", "Title", "body words"))
    with connect_for_derived_tables() as con, con.cursor() as cursor:
        partition_derived_tables(source, cursor)
        assert cursor.sql("select current_setting('enable_progress_bar')").fetchone() == (False,)


def test_with_a_spill_dir_duckdb_keeps_to_the_derived_memory_limit(tmp_path: Path) -> None:
    from newsetl.settings import DERIVED_MEMORY_LIMIT

    setting = "select current_setting('memory_limit'), current_setting('temp_directory')"
    with connect_for_derived_tables(spill_dir=tmp_path / "spill") as con:
        limit, spill = con.sql(setting).fetchone() or ("", "")
    with connect_for_derived_tables() as con:
        default_limit, _ = con.sql(setting).fetchone() or ("", "")
    assert spill == str(tmp_path / "spill")
    number, unit = limit.split()  # e.g. "286.1 MiB"
    assert unit == "MiB" and default_limit != limit
    assert float(number) * 2**20 == pytest.approx(int(DERIVED_MEMORY_LIMIT[:-2]) * 10**6, rel=0.01)


def test_a_partition_over_the_memory_limit_is_computed_again_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Not every DuckDB operator spills: a month far bigger than the limit was made for (here
    # 1,000 articles of 300 words against 10 MB) must still load, under DuckDB's own limit.
    import newsetl.load.derived as derived

    rng = random.Random(7)
    vocabulary = ["".join(rng.choices("abcdefghij", k=rng.randint(3, 9))) for _ in range(20_000)]
    snapshot = tmp_path / "snapshot"
    source = articles_file(
        snapshot / "articles" / "year=2020" / "month=01" / PART,
        *((f"{n:016x}", "Title", " ".join(rng.choices(vocabulary, k=300))) for n in range(1000)),
    )
    expected = partition_derived_tables(source)
    monkeypatch.setattr(derived, "DERIVED_MEMORY_LIMIT", "10MB")
    with caplog.at_level(logging.WARNING, logger="newsetl.load.derived"):
        computed = write_derived_tables(
            None, snapshot, set(), full_refresh=True, workers=1, spill_dir=tmp_path / "spill"
        )
    assert computed == 1
    assert caplog.messages == [f"year=2020/month=01/{PART}: over 10MB, computed again without it"]
    for table in DERIVED_TABLES:
        written = pq.read_table(snapshot / table / "year=2020" / "month=01" / PART)
        assert written.cast(TABLE_SCHEMAS[table]).equals(expected[table]), table
    # The failed first attempt left no hidden temporary file behind.
    assert (
        sorted(p.name for p in snapshot.rglob("*") if p.is_file() and p.name.startswith(".")) == []
    )
