"""Search from any DuckDB 1.5.5 client, offline: `make install`'s fts step
(newsetl.warehouse.install_fts), then the plain duckdb CLI and a plain duckdb.connect()
searching news.duckdb with no init file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsetl.load.ingest import Load
from newsetl.store.paths import Paths, resolve_paths
from newsetl.warehouse.build import build_database
from tests.conftest import RawWriter

BIN = Path(sys.executable).parent
SEARCH = "select title from search_articles('5G pandas')"
# no download to fall back on: what an offline machine without the install step would see
NO_DOWNLOAD = "set autoinstall_known_extensions = false; "


@pytest.fixture
def built(raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter) -> Paths:
    write_raw("001_00000000000000b1.txt", title="Pandas on 5G", body="Giant pandas stream home.")
    write_raw("002_00000000000000b2.txt", title="Pandas go home", body="Giant pandas fly home.")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    build_database(paths)
    return paths


def _run(argv: list[str], home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_the_install_step_lets_the_plain_cli_and_python_search_from_anywhere(
    built: Paths, tmp_path: Path
) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    database = str(built.database)
    cli = [str(BIN / "duckdb"), "-readonly", "-csv", "-noheader", database, "-c"]
    # before it, with no download to fall back on, search cannot find fts
    before = _run([*cli, NO_DOWNLOAD + SEARCH], home, elsewhere)
    assert before.returncode != 0 and "INSTALL fts" in before.stderr + before.stdout

    installed = _run([str(BIN / "python"), "-m", "newsetl.warehouse.install_fts"], home, elsewhere)
    assert installed.returncode == 0, installed.stderr
    platform = duckdb.sql("pragma platform").fetchone()
    assert platform is not None
    extension = (
        home / ".duckdb" / "extensions" / f"v{duckdb.__version__}" / platform[0]
        / "fts.duckdb_extension"
    )  # fmt: skip
    assert extension.is_file() and str(extension) in installed.stdout

    # the plain CLI, another directory, no init file (HOME has no .duckdbrc), no download
    after = _run([*cli, NO_DOWNLOAD + SEARCH], home, elsewhere)
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == "Pandas on 5G"
    # a plain Python duckdb.connect, not newsetl.warehouse.connect
    script = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "con.execute('set autoinstall_known_extensions = false')\n"
        f"print(con.sql({SEARCH!r}).fetchall())\n"
    )
    python = _run([str(BIN / "python"), "-c", script, database], home, elsewhere)
    assert python.returncode == 0, python.stderr
    assert python.stdout.strip() == "[('Pandas on 5G',)]"


def test_init_sql_names_no_path_and_loads_fts_from_anywhere(built: Paths, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    init = built.warehouse_dir / "init.sql"
    statements = [line for line in init.read_text().splitlines() if not line.startswith("--")]
    assert statements == ["load fts;"]
    assert (
        _run(
            [str(BIN / "python"), "-m", "newsetl.warehouse.install_fts"], home, tmp_path
        ).returncode
        == 0
    )
    # the warehouse moved: init.sql still loads fts (the views read the old place, so only the
    # extension is checked here)
    moved = tmp_path / "moved"
    built.warehouse_dir.rename(moved)
    result = _run(
        [str(BIN / "duckdb"), "-init", str(moved / "init.sql"), "-csv", "-noheader", "-c",
         "select stem('pandas', 'porter')"],
        home, tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "panda"
