"""The alerts' message templates (flows.alerts), rendered as the Prefect server renders them."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

from prefect.server.events.jinja_filters import all_filters
from prefect.server.schemas.responses import DeploymentResponse
from prefect.server.utilities.user_templates import (
    register_user_template_filters,
    render_user_template_sync,
)

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
