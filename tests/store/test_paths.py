"""Paths: explicit folders, else the settings' (from the environment), else raw/ and warehouse/."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsetl.settings import Settings
from newsetl.store.paths import resolve_paths, unwritable, work_dir_for


def test_explicit_folders_then_the_settings_then_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSETL_RAW_DIR", str(tmp_path / "from-env"))  # read by from_env only
    assert resolve_paths().raw_location == str(tmp_path / "raw")
    assert resolve_paths().warehouse_dir == tmp_path / "warehouse"
    settings = Settings(raw_dir="r", warehouse_dir="w")
    assert resolve_paths(None, None, settings).raw_location == str(tmp_path / "r")
    assert resolve_paths(None, None, settings).warehouse_dir == tmp_path / "w"
    assert resolve_paths("x", "y", settings).raw_location == str(tmp_path / "x")
    assert resolve_paths(None, None, Settings.from_env()).raw_location == str(tmp_path / "from-env")


def test_a_warehouse_url_is_worked_on_where_the_settings_say(tmp_path: Path) -> None:
    url = "s3://bucket/a b/wh/"
    named = tmp_path / "cache" / "newsetl" / "warehouses" / "s3" / "bucket" / "a_b" / "wh"
    cached = resolve_paths("raw", url, Settings(cache_home=str(tmp_path / "cache")))
    assert (cached.warehouse_dir, cached.warehouse_url) == (named, "s3://bucket/a b/wh")
    chosen = Settings(warehouse_work_dir=str(tmp_path / "work"), cache_home="/elsewhere")
    assert resolve_paths("raw", url, chosen).warehouse_dir == tmp_path / "work"
    assert (
        work_dir_for("memory://x", None, None) == Path.home() / ".cache/newsetl/warehouses/memory/x"
    )


def test_a_warehouse_folder_is_probed_where_it_would_be_made(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    assert unwritable(tmp_path / "afile" / "wh") == (
        f"{tmp_path / 'afile' / 'wh'} cannot be created: {tmp_path / 'afile'} is a file, not a "
        "folder: move it aside or choose another place"
    )
    assert unwritable(tmp_path / "afile") == (
        f"{tmp_path / 'afile'} is a file, not a folder: move it aside or choose another place"
    )
    # /proc passes os.access(W_OK) as root, yet takes no new folder (ENOENT; EACCES as a user).
    proc = unwritable(Path("/proc/newsetl-wh")) or ""
    assert proc.startswith("/proc/newsetl-wh cannot be created in /proc: a trial folder failed")
    assert proc.endswith("choose another place")
    assert unwritable(tmp_path / "new" / "wh") is None
    assert unwritable(tmp_path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]  # the probes left nothing
