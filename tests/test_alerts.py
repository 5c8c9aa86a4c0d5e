"""Alerts: the automations `make serve` creates, a failed run reaching a webhook, the fallback."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from flows.alerts import DEPLOYMENT_NAMES, AlertReceiver, automations
from tests.served import Served, served_deployments

pytestmark = [pytest.mark.flow, pytest.mark.timeout(360)]


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Served:
    return served_deployments(request)


def test_a_failed_nightly_run_calls_the_webhook_once(served: Served) -> None:
    warehouse = served.raw_dir.parent / "alert-warehouse"
    (warehouse / "news.duckdb").mkdir(parents=True)  # the build cannot put its file there
    response = served.create_run("nightly", {"warehouse_dir": str(warehouse)})
    assert response.status_code == 201, response.text
    run = served.wait(response.json()["id"])
    assert run["state_type"] == "FAILED"
    message = run["state"]["message"]
    assert message.startswith("step 'build database' failed: IsADirectoryError: ")
    alerts = served.alerts(run["name"])
    assert len(alerts) == 1, served.webhook.received
    alert = alerts[0]
    assert {k: alert[k] for k in ("alert", "deployment", "state", "message", "url")} == {
        "alert": "newsetl: run failed",
        "deployment": "nightly",
        "state": "Failed",
        "message": message,
        "url": f"{served.ui_url}/runs/flow-run/{run['id']}",
    }
    assert alert["text"] == (
        f"newsetl nightly: run {run['name']} is Failed: {message} {alert['url']}"
    )
    # The build subflow failed too, but it is no deployment's run: no second alert.
    subflows = {r["name"] for r in served.subflow_runs(run["id"])}
    assert f"build for {run['name']}" in subflows
    assert not [a for a in served.webhook.received if a.get("flow_run") in subflows]


def test_serve_creates_the_three_alerts(served: Served) -> None:
    response = served.post("/automations/filter", {})
    response.raise_for_status()
    found = {a["name"]: a for a in response.json()}
    assert set(found) >= {name for name, *_ in automations()}
    failed = found["newsetl: run failed"]["trigger"]
    assert set(failed["expect"]) == {
        "prefect.flow-run.Failed",
        "prefect.flow-run.Crashed",
        "prefect.flow-run.TimedOut",
    }
    late = found["newsetl: run late"]["trigger"]
    assert (late["posture"], late["after"], late["within"]) == (
        "Proactive",
        ["prefect.flow-run.Late"],
        300.0,
    )
    assert "prefect.flow-run.Running" in late["expect"]
    not_ready = found["newsetl: deployment not ready"]["trigger"]
    assert not_ready["expect"] == ["prefect.deployment.not-ready"]
    # By id, so the Automations page names the four deployments instead of "any deployment".
    deployments = {served.ids[name] for name in DEPLOYMENT_NAMES}
    assert set(not_ready["match"]["prefect.resource.id"]) == {
        f"prefect.deployment.{i}" for i in deployments
    }
    for automation in (found[name] for name, *_ in automations()):
        assert automation["enabled"]
        assert [a["type"] for a in automation["actions"]] == ["call-webhook"]


def test_without_a_webhook_alerts_are_written_to_the_log_file(tmp_path: Path) -> None:
    receiver = AlertReceiver(tmp_path / "home" / "newsetl-alerts.log").start()
    try:
        alert = {"alert": "newsetl: run failed", "text": "newsetl nightly: run x is Failed"}
        request = urllib.request.Request(
            receiver.url, data=json.dumps(alert).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 204
    finally:
        receiver.shutdown()
    lines = (tmp_path / "home" / "newsetl-alerts.log").read_text().splitlines()
    assert len(lines) == 1
    written = json.loads(lines[0])
    assert {k: written[k] for k in alert} == alert
    assert written["received_at"].endswith("+00:00")
