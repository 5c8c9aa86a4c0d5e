"""Monthly term counts (newsetl.terms): one partition's counts, and their upkeep by each load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsetl.ingest import Load
from newsetl.schema import TERM_COUNTS
from newsetl.settings import resolve_paths
from newsetl.snapshot import current_snapshot
from newsetl.terms import partition_term_counts, write_term_counts
from newsetl.write import write_parquet_atomic
from tests.conftest import RawWriter

UNDATED = "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__"


def _articles_file(path: Path, *articles: tuple[str, str, str]) -> Path:
    """An articles partition file with the columns term counting reads."""
    ids, titles, bodies = zip(*articles, strict=True)
    table = pa.table({"article_id": list(ids), "title": list(titles), "body": list(bodies)})
    write_parquet_atomic(table, path)
    return path


def _rows_of(table: pa.Table) -> list[tuple[str, int, int]]:
    return [(r["term"], r["mentions"], r["articles"]) for r in table.to_pylist()]


def _rows(path: Path) -> list[tuple[str, int, int]]:
    return _rows_of(pq.read_table(path))


def test_partition_counts_mentions_and_articles_per_term(tmp_path: Path) -> None:
    source = _articles_file(
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
    source = _articles_file(tmp_path / "part-0.parquet", ("a1", "Go", "1, 2 and 3."))
    assert _rows_of(partition_term_counts(source)) == [("and", 1, 1)]
    empty = _articles_file(tmp_path / "empty.parquet", ("a2", "Go", "42"))
    table = partition_term_counts(empty)
    assert table.num_rows == 0 and table.schema == TERM_COUNTS


def test_touched_and_missing_partitions_are_computed_the_rest_linked(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    june, july, gone = "year=2022/month=06", "year=2022/month=07", "year=2021/month=01"
    for snapshot in (old, new):
        _articles_file(snapshot / "articles" / june / "part-0.parquet", ("a", "June", "rain"))
    _articles_file(new / "articles" / july / "part-0.parquet", ("b", "July", "sun sun"))
    _articles_file(new / "articles" / UNDATED / "part-0.parquet", ("c", "Undated", "fog"))
    # the old snapshot has counts for June (unchanged) and for a month gone from articles
    write_term_counts(None, old, set(), full_refresh=True)
    _articles_file(old / "articles" / gone / "part-0.parquet", ("d", "Gone", "snow"))
    write_term_counts(None, old, {("2021", "01")})
    computed = write_term_counts(old, new, {("2022", "07")})
    assert computed == 2  # July (touched) and the undated partition (no old counts)
    written = sorted(p.relative_to(new).as_posix() for p in new.glob("term_counts/**/*.parquet"))
    assert written == [
        f"term_counts/{june}/part-0.parquet",
        f"term_counts/{july}/part-0.parquet",
        f"term_counts/{UNDATED}/part-0.parquet",
    ]
    old_june = old / "term_counts" / june / "part-0.parquet"
    assert (new / "term_counts" / june / "part-0.parquet").stat().st_ino == old_june.stat().st_ino
    assert _rows(new / "term_counts" / july / "part-0.parquet") == [("july", 1, 1), ("sun", 2, 1)]
    assert _rows(new / "term_counts" / UNDATED / "part-0.parquet") == [
        ("fog", 1, 1),
        ("undated", 1, 1),
    ]
    # a full refresh computes every partition again
    again = tmp_path / "again"
    shutil.copytree(new / "articles", again / "articles")
    assert write_term_counts(new, again, set(), full_refresh=True) == 3


def test_same_articles_give_byte_identical_files(tmp_path: Path) -> None:
    source = _articles_file(tmp_path / "a.parquet", ("a", "Zebra apple", "mango apple zebra"))
    for name in ("one", "two"):
        write_parquet_atomic(partition_term_counts(source), tmp_path / name / "part-0.parquet")
    one, two = (tmp_path / name / "part-0.parquet" for name in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()


def _term_files(warehouse: Path) -> dict[str, int]:
    """Every term_counts file visible through warehouse/term_counts, with its inode."""
    return {
        p.relative_to(warehouse / "term_counts").as_posix(): p.stat().st_ino
        for p in sorted((warehouse / "term_counts").glob("year=*/month=*/*.parquet"))
    }


def test_each_load_keeps_term_counts_in_step_with_articles(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Panda news", published="2022-06-01")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-07-01")
    write_raw("003_cccccccccccccccc.txt", title="Undated news", published="")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    assert (warehouse_dir / "term_counts").readlink() == Path("current/term_counts")
    first = _term_files(warehouse_dir)
    june, july = "year=2022/month=06/part-0.parquet", "year=2022/month=07/part-0.parquet"
    assert sorted(first) == [june, july, f"{UNDATED}/part-0.parquet"]
    assert _rows(warehouse_dir / "term_counts" / june) == [
        ("first", 1, 1),
        ("news", 1, 1),
        ("panda", 1, 1),
        ("paragraph", 1, 1),
    ]
    # the July article moves to June: July's counts go, June's are computed again, the
    # undated partition's file is shared with the previous snapshot
    write_raw(
        "002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-06-02", mtime_ns=2 * 10**18
    )
    Load(paths).run()
    second = _term_files(warehouse_dir)
    assert sorted(second) == [june, f"{UNDATED}/part-0.parquet"]
    assert second[f"{UNDATED}/part-0.parquet"] == first[f"{UNDATED}/part-0.parquet"]
    assert second[june] != first[june]
    assert ("news", 2, 2) in _rows(warehouse_dir / "term_counts" / june)


def test_a_warehouse_from_before_term_counts_gets_them_on_its_next_load(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Panda news", published="2022-06-01")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    snapshot = current_snapshot(warehouse_dir)
    assert snapshot is not None
    for path in sorted((snapshot / "term_counts").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (snapshot / "term_counts").rmdir()
    (warehouse_dir / "term_counts").unlink()
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-07-01")
    Load(paths).run()
    assert sorted(_term_files(warehouse_dir)) == [
        "year=2022/month=06/part-0.parquet",  # untouched, but missing: computed
        "year=2022/month=07/part-0.parquet",
    ]
