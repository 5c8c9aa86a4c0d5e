"""The Prefect UI in a real browser (Debian's chromium, driven by Playwright for Python).

Every claim docs/operations.md makes about the UI, in an operator's order: log in with the API
auth string, find nightly with its schedule, Run -> Quick run, wait for the run to complete, read
its log and open its summary artifact, find the artifacts' history at /artifacts (no menu
entry), the three alerts under Automations, the writer limit under Concurrency, and the Custom
run form's plain fields. Screenshots are kept in .cache/test-output/test_ui/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, raw_text
from tests.served import Served, served_deployments

CHROMIUM = Path(os.environ.get("NEWSETL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = ROOT / ".cache" / "test-output" / "test_ui"

pytestmark = [
    pytest.mark.flow,
    pytest.mark.timeout(360),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is missing: apt-get install chromium (CI installs it)",
    ),
]


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def test_quick_run_of_nightly_from_the_ui_shows_its_summary(
    request: pytest.FixtureRequest, page: Any
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect

    served: Served = served_deployments(request)
    (served.raw_dir / "900_cccccccccccccccc.txt").write_text(
        raw_text(title="Seen from the browser", published="2024-03-05")
    )
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)

    # The server asks for the auth string before anything else.
    page.goto(f"{served.ui_url}/login")
    page.get_by_placeholder("admin:pass").fill(served.auth)
    page.get_by_role("button", name="Login").click()
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{served.ui_url}/deployments")
    nightly_row = page.locator("tr").filter(
        has=page.locator('a[href^="/deployments/deployment/"]', has_text="nightly")
    )
    expect(nightly_row.filter(has_text="At 02:00 AM every day")).to_have_count(1)
    page.locator('a[href^="/deployments/deployment/"]').filter(has_text="nightly").first.click()
    page.wait_for_url("**/deployments/deployment/**")
    expect(page.get_by_text("At 02:00 AM every day").first).to_be_visible()

    def quick_run() -> bool:
        """Run -> Quick run, then the toast's View run; False when no toast offered it."""
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("Quick run").click()
        try:
            page.get_by_role("button", name="View run").last.click(timeout=20_000)
        except PlaywrightTimeoutError:
            return False
        return True

    # Under load the server's SQLite can be busy for a moment (served.post retries 5xx for the
    # same reason), and the UI then shows an error toast instead: an operator clicks again.
    if not quick_run():
        page.screenshot(path=str(OUTPUT / "quick-run-first-try.png"))
        assert quick_run(), "Quick run offered no run to view, twice"
    page.wait_for_url("**/runs/flow-run/**")
    run_id = page.url.rsplit("/", 1)[-1].split("?")[0]
    assert served.wait(run_id)["state_type"] == "COMPLETED"
    page.reload()
    expect(page.get_by_text("Completed").first).to_be_visible()
    expect(page.get_by_text("from the scheduled start, not the clock").first).to_be_visible()
    page.screenshot(path=str(OUTPUT / "nightly-run.png"))

    # The parent run's log says when it got the writer slot, the progress and the result.
    expect(page.get_by_text("got the warehouse writer slot after").first).to_be_visible()
    expect(page.get_by_text("files seen").first).to_be_visible()

    page.get_by_text("Artifacts", exact=True).click()
    page.locator('a[href^="/artifacts/artifact/"]').filter(has_text="nightly-summary").click()
    page.wait_for_url("**/artifacts/artifact/**")
    expect(page.get_by_text("Nightly for").first).to_be_visible()
    expect(page.get_by_role("cell", name="2024-03").first).to_be_visible()
    expect(page.get_by_text("Waited").first).to_be_visible()
    page.screenshot(path=str(OUTPUT / "nightly-summary.png"), full_page=True)
    assert (OUTPUT / "nightly-summary.png").stat().st_size > 10_000

    # The menu has no Artifacts entry; the history of every key is at /artifacts by URL.
    page.goto(f"{served.ui_url}/dashboard")
    menu = page.get_by_role("button")
    for entry in ("Runs", "Deployments", "Automations", "Event Feed", "Concurrency"):
        expect(menu.filter(has_text=entry).first).to_be_visible()
    expect(page.get_by_role("button", name="Artifacts")).to_have_count(0)
    expect(page.get_by_role("link", name="Artifacts")).to_have_count(0)
    page.screenshot(path=str(OUTPUT / "menu.png"))
    page.goto(f"{served.ui_url}/artifacts")
    expect(page.get_by_text("nightly-summary").first).to_be_visible()

    # Automations: the three alerts. Concurrency: the writers' global limit.
    page.goto(f"{served.ui_url}/automations")
    for name in ("newsetl: run failed", "newsetl: run late", "newsetl: deployment not ready"):
        expect(page.get_by_text(name, exact=True).first).to_be_visible()
    page.screenshot(path=str(OUTPUT / "automations.png"), full_page=True)
    page.goto(f"{served.ui_url}/concurrency-limits")
    expect(page.get_by_text("newsetl-warehouse-writer").first).to_be_visible()


def test_custom_run_form_has_plain_fields(request: pytest.FixtureRequest, page: Any) -> None:
    from playwright.sync_api import expect

    served: Served = served_deployments(request)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.goto(f"{served.ui_url}/login")
    page.get_by_placeholder("admin:pass").fill(served.auth)
    page.get_by_role("button", name="Login").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{served.ui_url}/deployments/deployment/{served.ids['backfill']}")
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("Custom run").click()
    page.wait_for_url("**/run**")
    for label in ("since", "until"):
        expect(page.get_by_text(label, exact=True).first).to_be_visible()
    for label in ("raw_dir", "warehouse_dir", "task_runner", "dask_address"):
        expect(page.get_by_text(f"{label} (Optional)", exact=True).first).to_be_visible()
    expect(page.get_by_text("First publication day to re-read").first).to_be_visible()
    expect(page.get_by_text("Empty: $NEWSETL_RAW_DIR of the worker").first).to_be_visible()
    # The run's name, then raw_dir, warehouse_dir and dask_address: each a plain text box.
    expect(page.get_by_role("textbox")).to_have_count(4)
    # Plain text boxes: no "str | None" type switch, no params object shown as JSON.
    expect(page.get_by_text("Property is type")).to_have_count(0)
    expect(page.get_by_text("params", exact=True)).to_have_count(0)
    page.screenshot(path=str(OUTPUT / "custom-run-form.png"), full_page=True)
