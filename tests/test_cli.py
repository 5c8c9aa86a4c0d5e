"""The `newsetl` command line: help, argument errors, and one real run in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import build_parser, main
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import build_database
from tests.conftest import SEED, RawWriter

NEWSETL = Path(sys.executable).parent / "newsetl"


@pytest.mark.parametrize("command", ["run", "ingest", "build", "backfill"])
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "--warehouse-dir" in out
    assert ("--raw-dir" in out) == (command != "build")
    assert ("--full-refresh" in out) == (command in ("run", "ingest"))


def test_backfill_needs_valid_dates(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["backfill", "--since", "2022-13-01", "--until", "2022-12-31"])
    assert caught.value.code == 2
    assert "'2022-13-01' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_backfill_range_must_not_be_reversed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["backfill", "--since", "2022-06-02", "--until", "2022-06-01", "--raw-dir", str(tmp_path)]
    )
    assert code == 1
    assert capsys.readouterr().err == (
        "newsetl backfill: error: --until 2022-06-01 is before --since 2022-06-02\n"
    )


def test_missing_raw_dir_fails_fast_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSETL_RAW_DIR", str(tmp_path / "nowhere"))
    assert main(["ingest"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"newsetl ingest: error: raw dir {tmp_path / 'nowhere'} does not exist: "
        "pass --raw-dir or set NEWSETL_RAW_DIR\n"
    )


def test_defaults_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(["run"])
    assert (args.raw_dir, args.warehouse_dir, args.full_refresh) == (None, None, False)
    # Run where the default raw/ and warehouse/ do not exist: only the environment names them.
    monkeypatch.chdir(tmp_path)
    warehouse = tmp_path / "from-env"
    build_database(resolve_paths("unused", warehouse))
    monkeypatch.setenv("NEWSETL_WAREHOUSE_DIR", str(warehouse))
    assert main(["docs"]) == 0
    assert "### `articles`" in capsys.readouterr().out
    # The raw location too, checked before any Prefect server starts.
    monkeypatch.setenv("NEWSETL_RAW_DIR", str(tmp_path / "raw-from-env"))
    assert main(["run"]) == 1
    assert f"raw dir {tmp_path / 'raw-from-env'} does not exist" in capsys.readouterr().err


@pytest.mark.flow
@pytest.mark.timeout(240)
def test_newsetl_run_end_to_end(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    write_raw(SEED.name, SEED.read_bytes())
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Second", published="2023-01-02")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", content=b"\x00\x01 junk")
    env = {
        **os.environ,
        "NEWSETL_RAW_DIR": str(raw_dir),
        "NEWSETL_WAREHOUSE_DIR": str(warehouse_dir),
    }
    # From a folder of its own: the environment alone says where raw/ and warehouse/ are.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(NEWSETL), "run"], capture_output=True, text=True, env=env, cwd=elsewhere, timeout=220
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "files seen 3: loaded 2, unchanged 0, duplicate 0, rejected 1" in result.stdout
    assert "rows now: articles 2, article_photos 1" in result.stdout
    assert "steps (s): discover " in result.stdout
    assert "rejected 002_bbbbbbbbbbbbbbbb.txt: binary" in result.stdout
    # The query to try names the database by a path that works from where the command ran.
    assert f"duckdb -readonly {warehouse_dir / 'news.duckdb'} -c" in result.stdout
    with duckdb.connect(str(warehouse_dir / "news.duckdb"), read_only=True) as con:
        assert con.sql("select article_id, published_year from articles order by 1").fetchall() == [
            ("5110aec6e8f52836", 2022),
            ("aaaaaaaaaaaaaaaa", 2023),
        ]
        assert con.sql("select source_file, reason from rejected_files").fetchall() == [
            ("002_bbbbbbbbbbbbbbbb.txt", "binary")
        ]
    assert list(elsewhere.iterdir()) == []  # nothing written where the command ran
