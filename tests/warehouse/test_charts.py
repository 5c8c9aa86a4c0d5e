"""The report: notebooks/report.py, run headless, writes report.html; it draws offline."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsetl.store.paths import Paths
from newsetl.warehouse.charts import CHART_TITLES
from tests.conftest import ROOT, built_warehouse

CHROMIUM = Path(os.environ.get("NEWSETL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is missing: apt-get install chromium (CI installs it)",
    ),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    return built_warehouse(tmp_path_factory.mktemp("report"), 40, 5, {})


def _render(warehouse: Paths, *args: str) -> Path:
    """Run the notebook whole, as `make report` does, in a process of its own."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "notebooks" / "report.py"),
         "--warehouse-dir", str(warehouse.warehouse_dir), *args],
        capture_output=True, text=True, timeout=120, cwd=warehouse.warehouse_dir.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = warehouse.warehouse_dir / "report.html"
    assert done.stdout.strip() == f"wrote {report}"
    return report


def test_the_report_is_one_page_with_every_chart_and_no_remote_script(warehouse: Paths) -> None:
    page = _render(warehouse, "--term", "panda").read_text()
    assert re.findall(r'id="(chart-\d)"', page) == [f"chart-{n}" for n in range(1, 6)]
    titles = [html.unescape(t) for t in re.findall(r"<h2>([^<]*)</h2>", page)]
    assert titles == [*CHART_TITLES[:1], "A term's trend: 'panda'", *CHART_TITLES[2:]]
    assert re.findall(r"<script[^>]*\bsrc=", page) == []  # plotly.js is inlined, once
    assert page.count("plotly.js v") >= 1


def _make_report(*variables: str) -> subprocess.CompletedProcess[str]:
    """`make report` itself (its install step taken as done), with make's variables."""
    return subprocess.run(
        ["make", "-s", "-o", "install", "report", *variables],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_make_report_passes_a_term_with_quotes_whole(warehouse: Paths) -> None:
    done = _make_report(f"WAREHOUSE={warehouse.warehouse_dir}", "REPORT_TERM=Xi's visit")
    assert done.returncode == 0, done.stderr
    page = (warehouse.warehouse_dir / "report.html").read_text()
    assert "<h2>A term's trend: \"Xi's visit\"</h2>" in html.unescape(page)


def test_make_report_without_a_warehouse_says_what_to_give_make(tmp_path: Path) -> None:
    nowhere = tmp_path / "no warehouse"
    done = _make_report(f"WAREHOUSE={nowhere}")
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == (
        f"report: {nowhere}/news.duckdb does not exist (the warehouse dir given): point at the "
        "warehouse with --warehouse-dir DIR or NEWSETL_WAREHOUSE_DIR=DIR (connect(DIR) in "
        "Python), or make one there with `newsetl run` (or `make run`), which loads the raw "
        "files and builds. With make: make report WAREHOUSE=DIR."
    )
    assert "Traceback" not in done.stderr


def test_the_report_draws_its_charts_in_chromium_with_no_network(warehouse: Paths) -> None:
    from playwright.sync_api import Route, sync_playwright

    report = _render(warehouse)
    asked: list[str] = []

    def offline(route: Route) -> None:
        asked.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(30_000)
            page.route("**/*", offline)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(report.as_uri())
            page.wait_for_selector("#chart-5 .main-svg")
            drawn = page.evaluate(
                """() => [...document.querySelectorAll('.plotly-graph-div')].map(d => [
                    d.id,
                    d.getBoundingClientRect().height,
                    d.querySelectorAll('.barlayer .point path, .scatterlayer .js-line').length,
                ])"""
            )
        finally:
            browser.close()
    assert errors == []
    assert asked == [report.as_uri()]
    assert [chart_id for chart_id, _, _ in drawn] == [f"chart-{n}" for n in range(1, 6)]
    # each chart has a plot area and marks in it: bars, or the trend's line
    assert all(height >= 300 and marks >= 1 for _, height, marks in drawn), drawn
