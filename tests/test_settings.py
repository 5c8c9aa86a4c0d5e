"""Settings: NEWSETL_* variables read once when a command starts, never when newsetl is imported."""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main
from newsetl.settings import (
    DEFAULT_MAX_FILE_BYTES,
    VARIABLES,
    Settings,
    SettingsError,
    environment_help,
    parse_size,
)
from tests.conftest import ROOT, raw_text
from tests.test_architecture import module_files

NEWSETL = Path(sys.executable).parent / "newsetl"
# A value of every variable, and what it becomes.
GOOD = {
    "NEWSETL_RAW_DIR": ("s3://bucket/raw", "raw_dir", "s3://bucket/raw"),
    "NEWSETL_WAREHOUSE_DIR": ("/data/wh", "warehouse_dir", "/data/wh"),
    "NEWSETL_WAREHOUSE_WORK_DIR": ("/data/work", "warehouse_work_dir", "/data/work"),
    "XDG_CACHE_HOME": ("/home/x/.cache", "cache_home", "/home/x/.cache"),
    "NEWSETL_MAX_FILE_BYTES": ("16M", "max_file_bytes", 16 * 2**20),
    "NEWSETL_READ_TIMEOUT_SECONDS": ("2.5", "read_timeout_seconds", 2.5),
    "NEWSETL_WORKERS": ("3", "workers", 3),
    "NEWSETL_TASK_RUNNER": ("dask", "task_runner", "dask"),
    "NEWSETL_DASK_ADDRESS": ("tcp://s:8786", "dask_address", "tcp://s:8786"),
    "NEWSETL_SCHEDULE_TIMEZONE": ("Europe/Berlin", "schedule_timezone", "Europe/Berlin"),
    "NEWSETL_BUILD_MEMORY_LIMIT": ("4GB", "build_memory_limit", "4GB"),
    "NEWSETL_SNAPSHOT_RETENTION_HOURS": ("1.5", "snapshot_retention_hours", 1.5),
    "NEWSETL_ALERT_WEBHOOK": ("http://hooks/x", "alert_webhook", "http://hooks/x"),
    "NEWSETL_ALERT_BLOCK": ("slack-webhook/ops", "alert_block", "slack-webhook/ops"),
    "NEWSETL_LATE_ALERT_SECONDS": ("20", "late_alert_seconds", 20),
}
# A value of each checked variable that newsetl cannot use.
BAD = {
    "NEWSETL_MAX_FILE_BYTES": "16X",
    "NEWSETL_READ_TIMEOUT_SECONDS": "soon",
    "NEWSETL_WORKERS": "0",
    "NEWSETL_TASK_RUNNER": "spark",
    "NEWSETL_SCHEDULE_TIMEZONE": "Mars/Olympus",
    "NEWSETL_BUILD_MEMORY_LIMIT": "90%",
    "NEWSETL_SNAPSHOT_RETENTION_HOURS": "-1",
    "NEWSETL_LATE_ALERT_SECONDS": "5m",
}
MAX_FILE_BYTES_FORM = (
    "a size: bytes (16777216) or a number with K, M or G (KiB, MiB, GiB: 1,024s) or KB, MB, "
    "GB (1,000s), such as 16M"
)
MAX_FILE_BYTES_MESSAGE = (
    f"NEWSETL_MAX_FILE_BYTES='16X' is not {MAX_FILE_BYTES_FORM}: set it to such a value, or "
    "unset it"
)


def test_each_variable_sets_its_field() -> None:
    assert {variable.name for variable in VARIABLES} == set(GOOD)
    assert {variable.field for variable in VARIABLES} == {
        field.name for field in dataclasses.fields(Settings)
    }
    for name, (text, field, value) in GOOD.items():
        settings = Settings.from_env({name: text})
        assert getattr(settings, field) == value, name
        assert dataclasses.replace(settings, **{field: getattr(Settings(), field)}) == Settings()


def test_no_variable_or_an_empty_one_means_the_default() -> None:
    assert Settings.from_env({}) == Settings()
    assert Settings.from_env(dict.fromkeys(GOOD, "")) == Settings()
    assert Settings().max_file_bytes == DEFAULT_MAX_FILE_BYTES
    assert (Settings().raw_dir, Settings().warehouse_dir) == ("raw", "warehouse")


def test_a_bad_value_is_named_with_the_form_it_should_have() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"NEWSETL_MAX_FILE_BYTES": "16X"})
    assert str(raised.value) == MAX_FILE_BYTES_MESSAGE
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(BAD)
    assert str(raised.value) == (
        f"NEWSETL_MAX_FILE_BYTES='16X' is not {MAX_FILE_BYTES_FORM}; "
        "NEWSETL_READ_TIMEOUT_SECONDS='soon' is not a number of seconds above 0, such as 60 or "
        "2.5; NEWSETL_WORKERS='0' is not a whole number above 0, such as 4; "
        "NEWSETL_TASK_RUNNER='spark' is not one of local, dask; "
        "NEWSETL_SCHEDULE_TIMEZONE='Mars/Olympus' is not an IANA time zone name, such as UTC or "
        "Europe/Berlin; NEWSETL_BUILD_MEMORY_LIMIT='90%' is not a DuckDB memory size, such as "
        "4GB or 512MiB; NEWSETL_SNAPSHOT_RETENTION_HOURS='-1' is not a number of hours, 0 or "
        "more, such as 24; NEWSETL_LATE_ALERT_SECONDS='5m' is not a whole number of seconds "
        "above 0, such as 300: set it to such a value, or unset it"
    )


def test_snapshot_retention_refuses_what_is_no_span_of_hours() -> None:
    for bad in ("a day", "-1", "inf", "nan"):
        with pytest.raises(SettingsError, match="is not a number of hours, 0 or more"):
            Settings.from_env({"NEWSETL_SNAPSHOT_RETENTION_HOURS": bad})
    assert (
        Settings.from_env({"NEWSETL_SNAPSHOT_RETENTION_HOURS": "0"}).snapshot_retention_hours == 0
    )


def test_importing_newsetl_and_the_flows_reads_no_environment() -> None:
    # Every module imported with a bad value of every variable: none reads it at import.
    names = [
        name
        for name in module_files(ROOT, ("newsetl", "flows"))
        if not name.endswith(("__main__", "flows.serve"))
    ]
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    result = subprocess.run(
        [sys.executable, "-c", script, *names],
        capture_output=True,
        text=True,
        env={**os.environ, **BAD},
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(names) > 50


def test_only_the_settings_module_reads_the_environment() -> None:
    # AWS_ENDPOINT_URL is AWS's own variable: connect passes it on to DuckDB, which ignores it.
    allowed = {"newsetl.settings", "newsetl.warehouse.connect"}
    readers = set()
    for name, path in module_files(ROOT, ("newsetl",)).items():
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            words = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
            words |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
            if words & {"environ", "getenv", "environb"}:
                readers.add(name)
    assert readers == allowed


def test_a_bad_variable_stops_the_command_with_one_line(tmp_path: Path) -> None:
    # A real process: before, the value was read when newsetl was imported, with a traceback.
    env = {**os.environ, "NEWSETL_MAX_FILE_BYTES": "16X"}
    result = subprocess.run(
        [str(NEWSETL), "ingest", "--raw-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"newsetl ingest: error: {MAX_FILE_BYTES_MESSAGE}\n"


def test_a_bad_variable_stops_make_serve_before_any_server(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSETL_SCHEDULE_TIMEZONE": "Mars/Olympus", "PREFECT_API_URL": ""}
    result = subprocess.run(
        [sys.executable, "-m", "flows.serve", "--port", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "python -m flows.serve: error: NEWSETL_SCHEDULE_TIMEZONE='Mars/Olympus' is not an IANA "
        "time zone name, such as UTC or Europe/Berlin: set it to such a value, or unset it\n"
    )


def test_help_lists_every_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert environment_help() in shown
    for variable in VARIABLES:
        assert f"  {variable.name}  " in environment_help()
        assert variable.help in environment_help()


@pytest.mark.flow
@pytest.mark.timeout(240)
@pytest.mark.usefixtures("prefect_harness")
def test_a_flow_run_reads_the_settings_of_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "001_00000000000000aa.txt").write_text(raw_text(body="A body of some length."))
    monkeypatch.setenv("NEWSETL_MAX_FILE_BYTES", "100")
    monkeypatch.setenv("NEWSETL_WAREHOUSE_DIR", str(tmp_path / "wh"))
    assert main(["ingest", "--raw-dir", str(raw)]) == 0
    shown = capsys.readouterr().out
    assert "rejected 001_00000000000000aa.txt: too_large" in shown
    assert (tmp_path / "wh" / "_state" / "rejected_files.parquet").is_file()


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("16777216", 16 * 2**20),
        ("16M", 16 * 2**20),
        ("16MiB", 16 * 2**20),
        ("16 mb", 16 * 10**6),
        ("512k", 512 * 2**10),
        ("1.5G", 3 * 2**29),
        ("2GB", 2 * 10**9),
    ],
)
def test_a_size_takes_the_common_suffixes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["16X", "", "-1", "0", "M", "16 M B", "1e6"])
def test_a_malformed_size_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=repr(text)[1:-1] or "^$"):
        parse_size(text)


@pytest.mark.parametrize("text", ["0", "-1", "soon", "inf", "nan"])
def test_a_read_timeout_is_a_number_of_seconds_above_0(text: str) -> None:
    with pytest.raises(SettingsError, match="is not a number of seconds above 0"):
        Settings.from_env({"NEWSETL_READ_TIMEOUT_SECONDS": text})
