"""The summaries of a load and a build (newsetl.report): what an operator reads after a run."""

from __future__ import annotations

import datetime as dt
import shlex
import subprocess
from pathlib import Path

import pytest

from newsetl.load.ingest import LoadSummary
from newsetl.report import build_text, committed_load_text, load_text, run_markdown
from newsetl.store.paths import resolve_paths
from newsetl.store.state import LoadRecord
from newsetl.warehouse.build import BuildSummary, build_database


def test_folders_that_could_not_be_listed_are_in_both_summaries(tmp_path: Path) -> None:
    summary = LoadSummary("load-1", "incremental", files_seen=3, files_rejected=1)
    summary.unlisted, summary.files_not_listed = ["locked/", "a/b/"], 12
    line = (
        "unreadable folders 2 (locked/, a/b/): could not be listed (or are links, or list "
        "none of the files known there); the 12 files known under "
        "them keep their rows (rejected_files says why; fix the permissions or the mount, and "
        "the next run reads them)"
    )
    assert f"  {line}" in load_text(summary).splitlines()
    markdown = run_markdown("Nightly", resolve_paths(tmp_path, tmp_path / "wh"), summary)
    assert f"**Warning**: {line}." in markdown.splitlines()
    assert "unreadable folders" not in load_text(LoadSummary("load-2", "incremental"))


def test_a_committed_load_is_told_from_its_ledger_row() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    record = LoadRecord("load-1", "backfill", now, now, "completed", 5, 2, 1, 1, 1, 2, 3, 2)
    assert committed_load_text(record) == (
        "load load-1 (backfill) committed: files seen 5: loaded 2, unchanged 1, duplicate 1, "
        "rejected 1; written: 2 articles, 3 photos, 2 partitions"
    )


def test_the_summary_tells_the_whole_wait_since_the_run_was_due(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path, tmp_path / "wh")
    held_back = run_markdown("Nightly", paths, waited=0.1, since_due=77.4).splitlines()
    assert (
        "Waited 77.4 s from when the run was due to the warehouse writer slot (0.1 s in the "
        "slot's queue, the rest before the run started)." in held_back
    )
    on_time = run_markdown("Nightly", paths, waited=3.0, since_due=3.5).splitlines()
    assert "Waited 3.0 s for the warehouse writer slot." in on_time


def test_a_cancelled_runs_summary_names_both_locations(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "raw", tmp_path / "wh")
    markdown = run_markdown("Nightly", paths, None, None, "stopped before the end", cancelled=True)
    lines = markdown.splitlines()
    assert "**Cancelled**: stopped before the end" in lines
    assert f"Raw files from `{tmp_path / 'raw'}`." in lines
    assert f"Warehouse `{tmp_path / 'wh'}`: 0 B." in lines


def test_the_summary_links_to_the_charts_when_the_run_drew_them(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "raw", tmp_path / "warehouse")
    report = tmp_path / "warehouse" / "report.html"
    for skipped in (False, True):
        built = BuildSummary(tmp_path / "warehouse" / "news.duckdb", skipped=skipped)
        assert "Charts" not in run_markdown("Nightly", paths, built=built)
        assert "charts:" not in build_text(built)
        built.report = report
        assert (
            f"Charts: [report.html]({report.as_uri()}) (`{report}`)."
            in run_markdown("Nightly", paths, built=built).splitlines()
        )
        # and the terminal's summary, which the CLI prints, names it too
        assert f"charts: {report}" in build_text(built).splitlines()


def test_the_query_to_try_runs_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = resolve_paths(tmp_path / "raw", tmp_path / "wh")
    build_database(paths)  # empty, its views typed: the query runs
    elsewhere = tmp_path / "elsewhere"  # outside the repository, where `.venv/` is not
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    lines = build_text(BuildSummary(paths.database)).splitlines()
    assert lines[-2] == "try:"
    command = shlex.split(lines[-1])
    assert Path(command[0]).is_absolute() and command[1] == "-readonly"
    ran = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert (ran.returncode, ran.stderr) == (0, "")
    assert "articles" in ran.stdout and "section" in ran.stdout
