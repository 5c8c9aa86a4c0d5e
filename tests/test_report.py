"""The run summaries' Markdown (newsetl/report.py): the link to the report's charts."""

from __future__ import annotations

from pathlib import Path

from newsetl.report import run_markdown
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import BuildSummary


def test_the_summary_links_to_the_charts_when_the_run_drew_them(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "raw", tmp_path / "warehouse")
    report = tmp_path / "warehouse" / "report.html"
    for skipped in (False, True):
        built = BuildSummary(tmp_path / "warehouse" / "news.duckdb", skipped=skipped)
        assert "Charts" not in run_markdown("Nightly", paths, built=built)
        built.report = report
        assert (
            f"Charts: [report.html]({report.as_uri()}) (`{report}`)."
            in run_markdown("Nightly", paths, built=built).splitlines()
        )
