"""Read-only access to news.duckdb: connect(), `newsetl sql`, and readers during a build."""

from __future__ import annotations

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
from tests.conftest import SEED, RawWriter

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


def test_fts_extension_ships_in_a_wheel() -> None:
    path = extension_path("fts")
    assert path.is_file() and path.parent.name == f"v{duckdb.__version__}"


def test_connect_is_read_only_and_searches(built: Paths, tmp_path: Path) -> None:
    with connect(built.warehouse_dir) as con:
        rows = con.sql("select article_id from search_articles('pandas')").fetchall()
        assert rows == [("00000000000000b1",)]
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("create table scratch (x integer)")
    with pytest.raises(FileNotFoundError, match="newsetl build"):
        connect(tmp_path / "nowhere")


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
