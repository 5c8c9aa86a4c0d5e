"""Building news.duckdb from sql/ (newsetl.warehouse.build): views, SQL tests, atomic swap."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsetl.load.ingest import Load
from newsetl.report import build_text
from newsetl.settings import SQL_DIR
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import BuildError, build_database, model_files
from tests.conftest import SEED, RawWriter, loaded_warehouse, raw_text
from tests.faults import python_as_plain_user

pytestmark = pytest.mark.slow

DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


def _count(database: Path, sql: str) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.sql(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_models_run_staging_then_marts() -> None:
    names = [path.relative_to(SQL_DIR).as_posix() for path in model_files()]
    assert names.index("staging/stg_search_terms.sql") < names.index("search/search_stop_words.sql")
    assert names.index("search/search_stop_words.sql") < names.index("marts/articles.sql")
    assert names.index("marts/stop_words.sql") < names.index("macros/search_articles.sql")
    assert all(name.startswith(("staging/", "search/", "marts/", "macros/")) for name in names)


def test_models_of_a_layer_run_after_the_models_they_name() -> None:
    names = [path.relative_to(SQL_DIR).as_posix() for path in model_files()]
    # article_terms sorts before stop_words by name, but reads it
    assert names.index("marts/stop_words.sql") < names.index("marts/article_terms.sql")
    assert names.index("marts/article_terms.sql") < names.index("marts/terms_monthly.sql")


def test_build_on_an_empty_warehouse_gives_empty_typed_views(warehouse_dir: Path) -> None:
    summary = build_database(resolve_paths("unused", warehouse_dir))
    assert summary.database == warehouse_dir / "news.duckdb"
    assert "marts/articles" in summary.models
    assert _count(summary.database, "select count(*) from articles") == 0
    with duckdb.connect(str(summary.database), read_only=True) as con:
        types = dict(
            con.sql(
                "select column_name, data_type from duckdb_columns() where table_name = 'articles'"
            ).fetchall()
        )
    assert types["published_date"] == "DATE"
    assert types["authors"] == "VARCHAR[]"
    assert types["published_year"] == "INTEGER"


def test_a_client_that_does_not_ask_for_read_only_is_refused(warehouse_dir: Path) -> None:
    database = build_database(resolve_paths("unused", warehouse_dir)).database
    assert database.stat().st_mode & 0o777 == 0o444
    probe = (
        "import sys, duckdb\n"
        "try:\n"
        "    duckdb.connect(sys.argv[1])\n"
        "except duckdb.IOException as exc:\n"
        "    print('refused:', exc)\n"
        "print(duckdb.connect(sys.argv[1], read_only=True).sql('select count(*) from articles')"
        ".fetchall())\n"
    )
    done = python_as_plain_user(probe, str(database))
    assert done.returncode == 0, done.stderr
    assert "refused:" in done.stdout and "Permission denied" in done.stdout
    assert done.stdout.strip().endswith("[(0,)]")  # read-only still reads


def test_term_views_of_an_empty_warehouse_are_empty_and_typed(warehouse_dir: Path) -> None:
    summary = build_database(resolve_paths("unused", warehouse_dir))
    with duckdb.connect(str(summary.database), read_only=True) as con:
        types = con.sql(
            "select column_name, data_type from duckdb_columns() "
            "where table_name = 'stg_term_counts' order by column_index"
        ).fetchall()
        assert con.sql("select count(*) from terms_monthly").fetchone() == (0,)
    assert types == [
        ("published_year", "INTEGER"),
        ("published_month", "INTEGER"),
        ("term", "VARCHAR"),
        ("mentions", "BIGINT"),
        ("articles", "BIGINT"),
    ]


def test_views_work_from_any_directory_and_in_the_duckdb_cli(
    raw_dir: Path,
    warehouse_dir: Path,
    write_raw: RawWriter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_raw(SEED.name, SEED.read_bytes())
    write_raw("001_aaaaaaaaaaaaaaaa.txt", published="")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    summary = build_database(paths)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert _count(summary.database, "select count(*) from articles") == 2
    assert (
        _count(summary.database, "select count(*) from articles where published_year = 2022") == 1
    )
    assert _count(summary.database, "select count(*) from loads") == 1
    result = subprocess.run(
        [
            str(DUCKDB_CLI),
            "-readonly",
            "-csv",
            "-noheader",
            str(summary.database),
            "-c",
            "select count(*) from articles where published_date is null",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
    )
    assert result.stdout.strip() == "1"


def test_a_failing_sql_test_stops_the_build_and_keeps_the_old_database(
    warehouse_dir: Path, tmp_path: Path
) -> None:
    paths = resolve_paths("unused", warehouse_dir)
    build_database(paths)
    before = paths.database.read_bytes()
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "tests" / "always_fails.sql").write_text("select 42 as answer, 'why' as reason")
    with pytest.raises(BuildError, match=r"always_fails: 1 failing rows, e.g.\n    \(42, 'why'\)"):
        build_database(paths, sql_dir)
    assert paths.database.read_bytes() == before
    assert sorted(p.name for p in warehouse_dir.iterdir()) == [
        ".build.lock",
        ".news.duckdb.fingerprint",
        ".news.duckdb.snapshots",
        ".news.duckdb.tested.json",
        "init.sql",
        "news.duckdb",
    ]


def test_a_broken_model_names_the_file(warehouse_dir: Path, tmp_path: Path) -> None:
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "marts" / "zz_broken.sql").write_text("create view broken as select * from nowhere")
    with pytest.raises(BuildError, match=r"model marts/zz_broken.sql failed"):
        build_database(resolve_paths("unused", warehouse_dir), sql_dir)


def test_build_swaps_in_while_a_reader_holds_the_old_file(warehouse_dir: Path) -> None:
    paths = resolve_paths("unused", warehouse_dir)
    build_database(paths)
    reader = duckdb.connect(str(paths.database), read_only=True)
    try:
        old_inode = os.stat(paths.database).st_ino
        build_database(paths)
        assert os.stat(paths.database).st_ino != old_inode
        assert reader.sql("select count(*) from articles").fetchone() == (0,)
    finally:
        reader.close()


def test_half_built_files_of_dead_builds_are_removed(warehouse_dir: Path) -> None:
    warehouse_dir.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    leftovers = [
        warehouse_dir / f".news.duckdb.{dead}.tmp",
        warehouse_dir / f".news.duckdb.{dead}.tmp.wal",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    alive = warehouse_dir / f".news.duckdb.{os.getppid()}.tmp"
    alive.write_bytes(b"another build still running")
    build_database(resolve_paths("unused", warehouse_dir))
    assert not any(path.exists() for path in leftovers)
    assert alive.exists()


def test_only_if_changed_skips_a_build_of_the_same_snapshot_and_models(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    first = build_database(paths, only_if_changed=True)
    assert not first.skipped
    built_at = paths.database.stat().st_mtime_ns
    again = build_database(paths, only_if_changed=True)
    assert again.skipped and again.models == []
    assert paths.database.stat().st_mtime_ns == built_at
    # New data (a new snapshot) or other models mean a real build.
    write_raw("002_bbbbbbbbbbbbbbbb.txt")
    Load(paths).run()
    assert not build_database(paths, only_if_changed=True).skipped
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "marts" / "zz_extra.sql").write_text(
        "-- grain: one row, for the test\ncreate or replace view zz_extra as select 1 as article_id"
    )
    assert not build_database(paths, sql_dir, only_if_changed=True).skipped


def test_no_single_raw_file_blocks_the_build(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    # The cases of issue 20: dates no archive holds, and a title of invisible characters.
    for number, day in enumerate(("2099-01-01", "1969-07-20", "0001-01-01", "9999-12-31")):
        write_raw(f"00{number}_000000000000000{number}.txt", published=day)
    write_raw("005_0000000000000005.txt", title="\u200b", published="2022-06-01")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    summary = build_database(paths)
    assert "published_date_in_range" in summary.tests
    assert "no_stray_chars_in_body" not in summary.tests
    [warning] = summary.warnings
    assert warning.startswith("no_stray_chars_in_body: 1 failing rows, e.g.")
    assert "source files: 005_0000000000000005.txt\n" in warning
    assert "what to do: one raw file can trip this" in warning
    assert "11 SQL tests passed, 1 warned" in build_text(summary)
    with duckdb.connect(str(paths.database), read_only=True) as con:
        dates = con.sql(
            "select published_date, parse_notes from articles "
            "where article_id < '0000000000000005' order by article_id"
        ).fetchall()
    assert dates == [
        (None, ["date:implausible '2099-01-01'"]),
        (None, ["date:implausible '1969-07-20'"]),
        (None, ["date:implausible '0001-01-01'"]),
        (None, ["date:implausible '9999-12-31'"]),
    ]
    # The warning comes back with each build until the file is fixed (its partition is not
    # recorded as passed), then goes.
    assert build_database(paths).warnings == [warning]
    write_raw(
        "005_0000000000000005.txt", title="Fixed", published="2022-06-01", mtime_ns=2 * 10**18
    )
    Load(paths).run()
    assert build_database(paths).warnings == []


def test_a_failing_sql_test_names_the_raw_files_and_what_to_do(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    for number in range(12):
        write_raw(f"{number:03d}_{number:016x}.txt", title=f"Story {number}")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "tests" / "zz_no_story.sql").write_text(
        "-- no title starts with Story.\n"
        "select article_id, source_file from articles where title like 'Story%'"
    )
    with pytest.raises(BuildError) as failed:
        build_database(paths, sql_dir)
    message = str(failed.value)
    assert message.startswith("SQL tests failed (the news.duckdb in place is kept):\n")
    files = ", ".join(f"{number:03d}_{number:016x}.txt" for number in range(10))
    assert f"    source files: {files} and 2 more\n" in message
    assert "    what to do: these rows break a rule every load keeps" in message
    assert "move those of the named raw files still in raw/ out of it and run" in message
    assert "rows whose files left raw/ already, or name none, leave only with the full" in message


def test_a_derived_table_lacking_some_months_is_refused_until_a_load_computes_them(
    tmp_path: Path,
) -> None:
    """A snapshot whose search_positions lacks a month the articles have (no load leaves one:
    a hand-made copy, a deleted folder) fails the build with what to do; the next load, with
    nothing new, computes the month again and the build passes."""
    files = {
        f"00{n}_{n:016x}.txt": raw_text(title=f"Belt and road {n}", published=f"2022-0{n}-10")
        for n in (1, 2)
    }
    paths = loaded_warehouse(tmp_path, files)
    month = (paths.warehouse_dir / "current").resolve() / "search_positions" / "year=2022"
    shutil.rmtree(month / "month=02")
    with pytest.raises(BuildError) as refused:
        build_database(paths)
    assert "search_positions lacks year=2022/month=02 (1 of the articles' partitions)" in str(
        refused.value
    )
    assert "run `newsetl run`" in str(refused.value)
    Load(paths).run()
    build_database(paths)
    current = (paths.warehouse_dir / "current").resolve()
    assert (current / "search_positions/year=2022/month=02/part-0.parquet").is_file()
