"""The `newsetl` command line: help, argument errors, and one real run in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import _check_locations, build_parser, main
from newsetl.load.ingest import Load, table_row_counts
from newsetl.settings import PREFECT_START_TIMEOUT_ENV, PREFECT_START_TIMEOUT_SECONDS, Settings
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import build_database
from tests.conftest import ROOT, SEED, RawWriter, loaded_warehouse, raw_text
from tests.faults import as_plain_user

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
    assert ("--allow-shrink" in out) == (command != "build")


def test_backfill_needs_valid_dates(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["backfill", "--since", "2022-13-01", "--until", "2022-12-31"])
    assert caught.value.code == 2
    assert "'2022-13-01' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_backfill_range_must_not_be_reversed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["backfill", "--since", "2022-06-02", "--until", "2022-06-01", "--raw-dir", "x"])
    assert caught.value.code == 2  # a bad argument, as the README says
    assert capsys.readouterr().err.splitlines()[-1] == (
        "newsetl: error: --until 2022-06-01 is before --since 2022-06-02: the range holds no "
        "day; give the first day as --since and the last as --until"
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


def test_a_build_where_no_load_wrote_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never asked
    monkeypatch.delenv("NEWSETL_WAREHOUSE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    # where there is no warehouse/: it made an empty news.duckdb there and said it succeeded
    assert main(["build"]) == 1
    assert capsys.readouterr().err == (
        f"newsetl build: error: warehouse dir {tmp_path / 'warehouse'} (the default, "
        "warehouse/ in the current directory) holds no loaded warehouse, so a build would make "
        "an empty news.duckdb: load the raw files first with `newsetl run` (or `newsetl "
        "ingest`), or point at the warehouse with --warehouse-dir DIR or "
        "NEWSETL_WAREHOUSE_DIR=DIR\n"
    )
    assert list(tmp_path.iterdir()) == []
    # nor again over the empty database such a build left
    empty = tmp_path / "empty"
    build_database(resolve_paths("unused", empty))
    left = sorted(path.name for path in empty.iterdir())
    monkeypatch.setenv("NEWSETL_WAREHOUSE_DIR", str(empty))
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert f"warehouse dir {empty} (NEWSETL_WAREHOUSE_DIR) holds no loaded warehouse" in err
    assert sorted(path.name for path in empty.iterdir()) == left


def test_a_build_where_a_load_committed_is_let_through(tmp_path: Path) -> None:
    paths = loaded_warehouse(tmp_path, {"001_aaaaaaaaaaaaaaaa.txt": raw_text()})
    args = build_parser().parse_args(["build", "--warehouse-dir", str(paths.warehouse_dir)])
    _check_locations(args, Settings())  # raises for a folder without a snapshot


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


@pytest.mark.flow
@pytest.mark.timeout(300)
def test_a_full_refresh_over_an_empty_folder_exits_1_and_keeps_the_warehouse(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="First")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="Second")
    Load(resolve_paths(raw_dir, warehouse_dir)).run()
    empty = tmp_path / "share"  # the mount point of a share that is not mounted
    empty.mkdir()
    env = {**os.environ, "NEWSETL_WAREHOUSE_DIR": str(warehouse_dir)}
    command = [str(NEWSETL), "run", "--full-refresh", "--raw-dir", str(empty)]
    refused = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240)
    assert refused.returncode == 1, refused.stderr[-2000:]
    [last] = [line for line in refused.stderr.splitlines() if line.startswith("newsetl run: ")]
    assert last.startswith("newsetl run: error: ")
    assert f"the raw dir {empty} lists 0 of the 2 files the warehouse knows there" in last
    assert "--allow-shrink" in last
    assert table_row_counts(resolve_paths(raw_dir, warehouse_dir))["articles"] == 2
    allowed = subprocess.run(
        [*command, "--allow-shrink"], capture_output=True, text=True, env=env, timeout=240
    )
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    assert "rows now: articles 0, article_photos 0" in allowed.stdout


@pytest.mark.parametrize("command", ["run", "ingest"])
def test_a_second_writer_is_refused_before_prefect_starts(
    command: str, raw_dir: Path, warehouse_dir: Path, tmp_path: Path
) -> None:
    hold = (
        "import sys, time; from pathlib import Path; from newsetl.store.lock import writer_lock\n"
    )
    hold += "with writer_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n"
    hold += "    time.sleep(60)\n"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(warehouse_dir)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    env = {
        **os.environ,
        "NEWSETL_RAW_DIR": str(raw_dir),
        "NEWSETL_WAREHOUSE_DIR": str(warehouse_dir),
        # Nothing listens there: had the command started Prefect first, it would fail on that.
        "PREFECT_API_URL": "http://127.0.0.1:9/api",
    }
    try:
        refused = subprocess.run(
            [str(NEWSETL), command], capture_output=True, text=True, env=env, timeout=120
        )
    finally:
        holder.kill()
        holder.wait()
    holder_line = (warehouse_dir / ".lock").read_text().strip()
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        f"newsetl {command}: error: the warehouse {warehouse_dir} is being written by "
        f"{holder_line}; wait for that run to finish, then try again\n"
    )


def test_the_cli_gives_prefect_time_to_start_and_says_what_to_do_if_not(
    raw_dir: Path, warehouse_dir: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != PREFECT_START_TIMEOUT_ENV}
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import os, flows.cli; print(os.environ['{PREFECT_START_TIMEOUT_ENV}'])",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert shown.stdout == f"{PREFECT_START_TIMEOUT_SECONDS}\n"
    env |= {
        PREFECT_START_TIMEOUT_ENV: "0",  # a server that never answers in time
        "NEWSETL_RAW_DIR": str(raw_dir),
        "NEWSETL_WAREHOUSE_DIR": str(warehouse_dir),
    }
    timed_out = subprocess.run(
        [str(NEWSETL), "ingest"], capture_output=True, text=True, env=env, timeout=120
    )
    assert timed_out.returncode == 1
    [line] = [line for line in timed_out.stderr.splitlines() if line.startswith("newsetl ")]
    assert line == (
        "newsetl ingest: error: the temporary Prefect server did not answer within 0 s (a busy "
        f"machine?). Give it longer ({PREFECT_START_TIMEOUT_ENV}=300), or run against a "
        "standing server: start one with `make serve` (or `prefect server start`) and set "
        "PREFECT_API_URL=http://127.0.0.1:4200/api for newsetl"
    )


@pytest.mark.flow
@pytest.mark.usefixtures("prefect_harness")
def test_a_failed_build_does_not_hide_the_load_that_committed(
    raw_dir: Path,
    warehouse_dir: Path,
    write_raw: RawWriter,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="First")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", content=b"")
    (warehouse_dir / "news.duckdb").mkdir(parents=True)  # a restore gone wrong: a folder
    (warehouse_dir / "news.duckdb" / "x").write_text("x")
    code = main(["run", "--raw-dir", str(raw_dir), "--warehouse-dir", str(warehouse_dir)])
    out, err = capsys.readouterr()
    assert code == 1
    [committed] = [line for line in out.splitlines() if line.startswith("load ")]
    assert committed.endswith(
        "(incremental) committed: files seen 2: loaded 1, unchanged 0, duplicate 0, "
        "rejected 1; written: 1 articles, 0 photos, 1 partitions"
    )
    [error] = [line for line in err.splitlines() if line.startswith("newsetl run: error: ")]
    assert "IsADirectoryError" in error and str(warehouse_dir / "news.duckdb") in error


def test_a_raw_dir_that_is_a_file_or_cannot_be_listed_fails_before_prefect(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}  # never asked
    a_file = tmp_path / "raw.txt"
    a_file.write_text("x")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o000)
    try:
        results = [
            subprocess.run(
                as_plain_user([str(NEWSETL), "ingest", "--raw-dir", str(raw)]),
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
            )
            for raw in (a_file, locked)
        ]
    finally:
        locked.chmod(0o755)
    assert [(r.returncode, r.stdout) for r in results] == [(1, ""), (1, "")]
    assert [r.stderr for r in results] == [
        f"newsetl ingest: error: raw dir {a_file} is a file, not a folder: pass the folder of "
        "the files\n",
        f"newsetl ingest: error: cannot list raw dir {locked}: PermissionError: Permission "
        "denied: give the account that runs newsetl read access to it, or check its mount, "
        "then run again\n",
    ]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (b"wb[1]", "has [ ] in its path, which DuckDB reads as a pattern"),
        (b"wq?x", "has ? in its path, which DuckDB reads as a pattern or a URL's query"),
        (b"w\xff", "has a byte that is not UTF-8 in its path: rename the folder in UTF-8"),
    ],
)
def test_a_warehouse_path_duckdb_cannot_read_is_refused_before_anything_runs(
    name: bytes, said: str, raw_dir: Path, tmp_path: Path
) -> None:
    warehouse = os.fsencode(tmp_path) + b"/" + name
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}  # never reached
    refused = subprocess.run(
        [
            os.fsencode(NEWSETL),
            b"run",
            b"--raw-dir",
            os.fsencode(raw_dir),
            b"--warehouse-dir",
            warehouse,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    shown = warehouse.decode(errors="backslashreplace")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.startswith(f"newsetl run: error: warehouse dir {shown} {said}")
    assert refused.stderr.count("\n") == 1
    assert not os.path.lexists(warehouse)


@pytest.mark.parametrize("command", ["run", "ingest", "build"])
def test_a_warehouse_that_cannot_be_created_is_refused_before_prefect(
    command: str,
    raw_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never asked
    monkeypatch.setenv("NEWSETL_RAW_DIR", str(raw_dir))
    (tmp_path / "afile").write_text("x")
    wanted = tmp_path / "afile" / "wh"
    assert main([command, "--warehouse-dir", str(wanted)]) == 1
    assert capsys.readouterr().err == (
        f"newsetl {command}: error: warehouse dir {wanted} cannot be created: "
        f"{tmp_path / 'afile'} is a file, not a folder: move it aside or choose another place\n"
    )
