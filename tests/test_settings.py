"""Settings read from the environment (newsetl.settings): clear errors, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsetl.ingest import Load
from newsetl.settings import (
    SettingError,
    max_file_bytes_from_env,
    parse_size,
    read_timeout_from_env,
    resolve_paths,
)

NEWSETL = Path(sys.executable).parent / "newsetl"


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
def test_a_malformed_size_says_what_it_expects(text: str) -> None:
    with pytest.raises(SettingError) as caught:
        parse_size(text, "NEWSETL_MAX_FILE_BYTES")
    assert str(caught.value) == (
        f"NEWSETL_MAX_FILE_BYTES={text!r} is not a size: give bytes (16777216) or a number with "
        "a suffix, K, M or G (KiB, MiB, GiB: 1,024s) or KB, MB, GB (1,000s), e.g. 16M"
    )


def test_a_load_takes_its_limits_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NEWSETL_MAX_FILE_BYTES", raising=False)
    monkeypatch.delenv("NEWSETL_READ_TIMEOUT_SECONDS", raising=False)
    assert (max_file_bytes_from_env(), read_timeout_from_env()) == (16 * 2**20, 60.0)
    monkeypatch.setenv("NEWSETL_MAX_FILE_BYTES", "2M")
    monkeypatch.setenv("NEWSETL_READ_TIMEOUT_SECONDS", "2.5")
    load = Load(resolve_paths(tmp_path, tmp_path / "wh"))
    assert (load.max_file_bytes, load.read_timeout) == (2 * 2**20, 2.5)
    monkeypatch.setenv("NEWSETL_READ_TIMEOUT_SECONDS", "soon")
    with pytest.raises(SettingError, match="'soon' is not a number of seconds above 0"):
        read_timeout_from_env()


def test_the_cli_refuses_a_malformed_size_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "NEWSETL_RAW_DIR": str(tmp_path),
        "NEWSETL_MAX_FILE_BYTES": "16X",
        "PREFECT_API_URL": "http://127.0.0.1:9/api",  # refused before Prefect is asked
    }
    done = subprocess.run([str(NEWSETL), "ingest"], capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "newsetl ingest: error: NEWSETL_MAX_FILE_BYTES='16X' is not a size: give bytes "
        "(16777216) or a number with a suffix, K, M or G (KiB, MiB, GiB: 1,024s) or KB, MB, "
        "GB (1,000s), e.g. 16M\n"
    )
