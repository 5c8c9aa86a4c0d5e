"""The alerts' templates, rendered as Prefect's server renders them, and triggers (flows.alerts)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from types import SimpleNamespace

from prefect.server.events.jinja_filters import all_filters
from prefect.server.schemas.responses import DeploymentResponse, FlowRunResponse
from prefect.server.schemas.states import State, StateType
from prefect.server.utilities.user_templates import (
    register_user_template_filters,
    render_user_template_sync,
)
from prefect.settings import PREFECT_UI_URL, temporary_settings

from flows.alerts import automations

UI = "http://prefect.example:4200"


def _not_ready(ui_url: str | None) -> tuple[str, dict[str, object]]:
    """The Not Ready alert's text and payload for the nightly deployment, as the server sends
    them: the context holds the DeploymentResponse the server reads for the event."""
    register_user_template_filters(all_filters)  # what the server's actions do first
    (_, _, _, text, payload) = automations(ui_url=ui_url)[2]
    deployment = DeploymentResponse(id=uuid.UUID(int=7), name="nightly", flow_id=uuid.uuid4())
    context = {
        "deployment": deployment,
        "automation": SimpleNamespace(name="newsetl: deployment not ready"),
    }
    rendered = render_user_template_sync(payload, context)
    return render_user_template_sync(text, context), json.loads(rendered)


def test_the_not_ready_alert_links_to_the_deployment_page_and_says_no_none() -> None:
    text, payload = _not_ready(UI)
    page = f"{UI}/deployments/deployment/{uuid.UUID(int=7)}"
    line = (
        "newsetl deployment nightly is Not Ready: no worker or serving process polls it, so its "
        f"runs will not start {page}"
    )
    assert text == line
    assert payload == {
        "alert": "newsetl: deployment not ready",
        "text": line,
        "flow_run": None,
        "deployment": "nightly",
        "state": "Not Ready",
        "message": "no worker or serving process polls it",
        "url": page,
    }


def test_without_a_known_ui_the_not_ready_alert_has_no_link_and_no_none() -> None:
    text, payload = _not_ready(None)
    assert text.endswith("so its runs will not start")
    assert "None" not in text
    assert payload["url"] is None


def _late(name: str, parameters: dict[str, object]) -> tuple[str, dict[str, object]]:
    """The Late alert's text and payload for a nightly run, as the server sends them."""
    register_user_template_filters(all_filters)
    (_, _, _, text, payload) = automations(ui_url=UI)[1]
    run = FlowRunResponse(
        id=uuid.UUID(int=9),
        name=name,
        flow_id=uuid.uuid4(),
        parameters=parameters,
        expected_start_time=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
        state=State(type=StateType.SCHEDULED, name="Late"),
    )
    context = {
        "flow_run": run,
        "deployment": DeploymentResponse(name="nightly", flow_id=run.flow_id),
        "automation": SimpleNamespace(name="newsetl: run late"),
    }
    with temporary_settings({PREFECT_UI_URL: UI}):  # the server's, for the run's link
        return render_user_template_sync(text, context), json.loads(
            render_user_template_sync(payload, context)
        )


def test_a_late_run_is_told_by_its_deployment_due_time_and_parameters() -> None:
    asked = {"raw_dir": "/data/raw", "warehouse_dir": "", "full_refresh": True, "since": None}
    text, payload = _late("delightful-mustang", asked)
    page = f"{UI}/runs/flow-run/{uuid.UUID(int=9)}"
    assert text == (
        "newsetl nightly: a run due at 2026-12-07 02:00:00 UTC (raw_dir=/data/raw, "
        "full_refresh=True) is still Late: nothing has started it (run delightful-mustang) "
        f"{page}"
    )
    assert (payload["text"], payload["state"], payload["url"]) == (text, "Late", page)
    defaults, _ = _late("nightly-for-2026-12-06", {"raw_dir": "", "full_refresh": False})
    assert "02:00:00 UTC (the defaults) is still Late" in defaults


def test_not_ready_watches_the_deployments_by_id_so_the_ui_names_them() -> None:
    ids = [uuid.UUID(int=1), uuid.UUID(int=2)]
    trigger = automations(deployment_ids=ids)[2][2]
    assert trigger.match.model_dump() == {
        "prefect.resource.id": [f"prefect.deployment.{i}" for i in ids]
    }
    before_deploying = automations()[2][2]  # none made yet: by name
    assert before_deploying.match.model_dump() == {
        "prefect.resource.id": "prefect.deployment.*",
        "prefect.resource.name": ["nightly", "backfill", "rebuild-warehouse", "full-refresh"],
    }
