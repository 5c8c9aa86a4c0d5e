"""Read-only access to news.duckdb: connect(), `newsetl sql`, and readers during a build."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from newsetl.load.ingest import Load
from newsetl.store.paths import Paths, resolve_paths
from newsetl.store.sql import extension_path
from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import cli_command, connect
from tests.conftest import ROOT, SEED, RawWriter

pytestmark = pytest.mark.slow

NEWSETL = Path(sys.executable).parent / "newsetl"
VIEWS_SQL = (
    "select string_agg(view_name, ',' order by view_name) from duckdb_views() where not internal"
)


@pytest.fixture
def built(raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter) -> Paths:
    write_raw(SEED.name, SEED.read_bytes())
    write_raw("001_00000000000000b1.txt", title="Pandas go home", body="Giant pandas fly home.")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    build_database(paths)
    return paths


def test_a_loaded_warehouse_without_its_database_is_told_to_build(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_00000000000000b1.txt")
    Load(resolve_paths(raw_dir, warehouse_dir)).run()
    with pytest.raises(FileNotFoundError, match="build it there with `newsetl build`"):
        connect(warehouse_dir)


def test_fts_extension_ships_in_a_wheel() -> None:
    path = extension_path("fts")
    assert path.is_file() and path.parent.name == f"v{duckdb.__version__}"


def test_connect_is_read_only_and_searches(built: Paths, tmp_path: Path) -> None:
    with connect(built.warehouse_dir) as con:
        rows = con.sql("select article_id from search_articles('pandas')").fetchall()
        assert rows == [("00000000000000b1",)]
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("create table scratch (x integer)")
    # the database file itself opens too (it looked for news.duckdb/news.duckdb)
    with connect(built.database) as con:
        assert con.sql("select count(*) from articles").fetchall() == [(2,)]
    # no warehouse there: a load makes one (a build alone refuses a folder no load wrote)
    with pytest.raises(FileNotFoundError, match="make one there with `newsetl run`"):
        connect(tmp_path / "nowhere")
    # a reader cannot open it for writing: that would block every other reader, and the next
    # build would replace whatever it wrote
    with pytest.raises(TypeError):
        connect(built.warehouse_dir, read_only=False)  # type: ignore[call-arg]


def test_from_another_directory_the_error_names_the_option_and_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSETL_WAREHOUSE_DIR", raising=False)
    with pytest.raises(FileNotFoundError) as default:
        connect()
    message = str(default.value)
    assert "--warehouse-dir DIR or NEWSETL_WAREHOUSE_DIR=DIR" in message
    assert f"the default, warehouse/ in the current directory {tmp_path}" in message
    monkeypatch.setenv("NEWSETL_WAREHOUSE_DIR", str(tmp_path / "elsewhere"))
    with pytest.raises(FileNotFoundError, match=r"\(NEWSETL_WAREHOUSE_DIR\): point at"):
        cli_command()


def test_newsetl_sql_opens_the_cli_read_only_with_search(built: Paths, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(NEWSETL), "sql", "--warehouse-dir", str(built.warehouse_dir), "--", "-csv",
         "-noheader", "-c", "select title from search_articles('pandas')"],
        capture_output=True, text=True, check=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert result.stdout.strip() == "Pandas go home"
    assert cli_command(built.warehouse_dir)[1] == "-readonly"


def test_cli_and_python_readers_see_the_same_views_while_a_build_runs(built: Paths) -> None:
    with connect(built.warehouse_dir) as con:
        expected = con.sql(VIEWS_SQL).fetchone()
    errors: list[BaseException] = []

    def rebuild() -> None:
        try:
            for _ in range(3):
                build_database(built)
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    builder = threading.Thread(target=rebuild)
    builder.start()
    python_views, cli_views, counts = set(), set(), set()
    try:
        while builder.is_alive() or not cli_views:
            with connect(built.warehouse_dir) as con:
                python_views.add(con.sql(VIEWS_SQL).fetchone())
                counts.add(con.sql("select count(*) from articles").fetchone())
            cli = cli_command(built.warehouse_dir, ["-csv", "-noheader", "-c", VIEWS_SQL])
            out = subprocess.run(cli, capture_output=True, text=True, check=True, timeout=60)
            cli_views.add((out.stdout.strip().strip('"'),))
    finally:
        builder.join()
    assert not errors
    assert python_views == cli_views == {expected}
    assert counts == {(2,)}


# The writer of the reader test: full refreshes that alternate between two sizes of raw/ (a
# folder of extra articles moved in and out), each followed by a build, in its own process.
ALTERNATING_WRITER = """
import shutil, sys
from pathlib import Path
from newsetl.warehouse.build import build_database
from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths

raw, parked, warehouse, cycles = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
paths = resolve_paths(raw, warehouse)
for cycle in range(cycles):
    if cycle % 2 == 0:
        shutil.move(parked / "extra", raw / "extra")
    else:
        shutil.move(raw / "extra", parked / "extra")
    Load(paths, full_refresh=True, workers=1).run()
    build_database(paths)
"""
# One answer that reads every table a load rewrites: a mix of two snapshots shows as a tuple
# equal to neither state.
STATE_SQL = (
    "select (select count(*) from articles), (select sum(word_count) from articles), "
    "(select count(*) from article_photos), "
    "(select count(*) from raw_files where status = 'loaded'), "
    "(select sum(mentions) from terms_monthly), (select count(*) from stg_search_documents)"
)


def _answer(con: duckdb.DuckDBPyConnection) -> tuple[object, ...]:
    row = con.sql(STATE_SQL).fetchone()
    assert row is not None
    return tuple(row)


@pytest.mark.timeout(900)  # a writer process's eight loads and builds, on a busy machine
def test_a_connection_answers_from_one_snapshot_while_full_refreshes_alternate(
    tmp_path: Path,
) -> None:
    from devtools.articles import write_corpus

    raw, parked = tmp_path / "raw", tmp_path / "parked"
    write_corpus(raw, 120, seed=21, gold=False)
    write_corpus(parked / "extra", 60, seed=22, gold=False)
    paths = resolve_paths(raw, tmp_path / "warehouse")
    Load(paths).run()
    build_database(paths)
    with connect(paths.warehouse_dir) as con:
        small = _answer(con)
    held = connect(paths.warehouse_dir)  # opened before any refresh, held throughout
    folders = [str(raw), str(parked), str(paths.warehouse_dir)]
    writer = subprocess.Popen(
        [sys.executable, "-c", ALTERNATING_WRITER, *folders, "6"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    held_answers, fresh_answers = [], []
    try:
        while writer.poll() is None:
            held_answers.append(_answer(held))
            with connect(paths.warehouse_dir) as fresh:
                fresh_answers.append(_answer(fresh))
        assert writer.wait() == 0, writer.stderr.read() if writer.stderr else ""
        with connect(paths.warehouse_dir) as con:
            assert _answer(con) == small  # six refreshes: back to the small state
        # the large state, built once more, as a reader connecting now sees it
        shutil.move(parked / "extra", raw / "extra")
        Load(paths, full_refresh=True).run()
        build_database(paths)
        with connect(paths.warehouse_dir) as con:
            large = _answer(con)
        assert large[0] == 180 and small[0] == 120
        # The held connection never left the snapshot of the database it opened, even after
        # seven newer databases were swapped in over it (retention keeps its snapshot).
        assert set(held_answers) == {small} and _answer(held) == small
    finally:
        held.close()
        writer.kill()
        writer.wait()
    # Each new connection saw the one state of the database in place: both came up, no mix.
    assert set(fresh_answers) == {small, large}


def test_once_its_snapshot_is_pruned_a_held_connection_fails_rather_than_answer_wrong(
    built: Paths, write_raw: RawWriter
) -> None:
    held = connect(built.warehouse_dir)
    try:
        assert held.sql("select count(*) from articles").fetchone() == (2,)
        write_raw("002_00000000000000b2.txt", title="A third story")
        # the held connection's snapshot is still the database's: kept, whatever the retention
        Load(built, retention_hours=0).run()
        assert held.sql("select count(*) from articles").fetchone() == (2,)
        build_database(built)  # released now: retention 0, so the next load deletes it
        write_raw("003_00000000000000b3.txt", title="A fourth story")
        Load(built, retention_hours=0).run()
        with pytest.raises(duckdb.IOException, match=r"No files found|Cannot open file"):
            held.sql("select count(*) from articles").fetchone()
    finally:
        held.close()
    with connect(built.warehouse_dir) as con:  # reconnecting: the newest build
        assert con.sql("select count(*) from articles").fetchone() == (3,)


def test_a_connection_pinned_to_a_load_reads_the_warehouse_as_of_it(
    built: Paths, raw_dir: Path, write_raw: RawWriter
) -> None:
    with connect(built.warehouse_dir) as con:
        ((first,),) = con.sql("select load_id from loads").fetchall()
    (raw_dir / "001_00000000000000b1.txt").unlink()
    write_raw("002_00000000000000c2.txt", title="Pandas again", body="Pandas return.")
    second = Load(built).run().load_id
    build_database(built)
    with connect(built.warehouse_dir, snapshot=first) as con:
        # every view and macro reads the first load's snapshot, the ledger and history included
        assert con.sql("select article_id from articles order by 1").fetchall() == [
            ("00000000000000b1",),
            ("5110aec6e8f52836",),
        ]
        assert con.sql("select load_id from loads").fetchall() == [(first,)]
        assert con.sql("select article_id from search_articles('pandas')").fetchall() == [
            ("00000000000000b1",)
        ]
        assert con.sql("select count(*) from article_changes").fetchall() == [(2,)]
    with connect(built.warehouse_dir) as con:
        assert con.sql("select article_id from search_articles('pandas')").fetchall() == [
            ("00000000000000c2",)
        ]
        assert con.sql(
            "select load_id = ?, load_kind, article_id, change from article_changes "
            "where load_id = ? order by article_id",
            params=[second, second],
        ).fetchall() == [
            (True, "incremental", "00000000000000b1", "removed"),
            (True, "incremental", "00000000000000c2", "added"),
        ]
    # Two loads in one second sort by their random suffix, so either may come first.
    kept = ", ".join(sorted([first, second]))
    expected = f"Loads still kept: {kept} \\(current: {second}\\)"
    with pytest.raises(FileNotFoundError, match=expected):
        connect(built.warehouse_dir, snapshot="20200101T000000Z-000000")
    # an empty id is no load (it named the snapshots' folder)
    with pytest.raises(FileNotFoundError, match=f"no snapshot of load '' .* kept: {first}, "):
        connect(built.warehouse_dir, snapshot="")
