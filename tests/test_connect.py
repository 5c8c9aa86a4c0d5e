"""Read-only access to news.duckdb: connect(), `newsetl sql`, and readers during a build."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from newsetl.build import build_database
from newsetl.connect import cli_command, connect, extension_path
from newsetl.ingest import Load
from newsetl.settings import Paths, resolve_paths
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
