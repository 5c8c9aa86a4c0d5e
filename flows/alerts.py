"""Alerts: Prefect automations that call the operators when a newsetl run fails or is late, or
a deployment stops being served.

Three automations, matched on the runs of deployments tagged `newsetl` (so a subflow's failure
is not told twice): a run that fails (a refused one too), crashes or times out; a scheduled
run still Late LATE_ALERT_SECONDS (5 minutes) after it turned Late; a newsetl deployment that
turns Not Ready (nothing polls it). Each calls a webhook block (a JSON POST naming the run, the
deployment, the state and its message, with a link to the run in the UI), or sends through a
notification block the operator made.
With no target set, the webhook is a receiver in the serving process that appends each alert to
PREFECT_HOME/newsetl-alerts.log.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast
from uuid import UUID

from prefect.automations import (
    AutomationCore,
    CallWebhook,
    EventTrigger,
    Posture,
    ResourceSpecification,
    SendNotification,
)
from prefect.blocks.webhook import Webhook
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    DeploymentFilterTags,
)
from prefect.settings import PREFECT_UI_URL
from pydantic import SecretStr

from newsetl.settings import (
    ALERT_BLOCK_ENV,
    ALERT_LOG_FILE,
    ALERT_WEBHOOK_ENV,
    LATE_ALERT_SECONDS,
    Settings,
)

BLOCK_NAME = "newsetl-alerts"
TAG = "newsetl"
DEPLOYMENT_NAMES = ["nightly", "backfill", "rebuild-warehouse", "full-refresh"]
FAILED_EVENTS = {f"prefect.flow-run.{name}" for name in ("Failed", "Crashed", "TimedOut")}
# Any state that means the run left Late: picked up, or ended by hand.
LEFT_LATE_EVENTS = {
    f"prefect.flow-run.{name}"
    for name in ("Pending", "Running", "Cancelling", "Cancelled", "Completed", "Failed", "Crashed")
}
# Runs of a newsetl deployment (subflows have no deployment, CLI runs neither).
DEPLOYED_NEWSETL_RUN: list[ResourceSpecification | dict[str, str | list[str]]] = [
    {"prefect.resource.role": "tag", "prefect.resource.id": f"prefect.tag.{TAG}"},
    {"prefect.resource.role": "deployment"},
]

# Jinja templates, rendered by the Prefect server; `text` is what a Slack webhook shows.
RUN_TEXT = (
    "newsetl {{ deployment.name }}: run {{ flow_run.name }} is {{ flow_run.state.name }}"
    "{% if flow_run.state.message %}: {{ flow_run.state.message }}{% endif %} "
    "{{ flow_run|ui_url }}"
)
# A run asked for in the UI keeps Prefect's random name until it starts: a Late one is told by
# its deployment, when it was due and what it was asked to do (the parameters that are set).
LATE_TEXT = (
    "newsetl {{ deployment.name }}: a run due at "
    "{{ flow_run.expected_start_time.strftime('%Y-%m-%d %H:%M:%S UTC') }}"
    " ({% for key, value in (flow_run.parameters or {}).items() if value %}{{ key }}={{ value }}"
    "{{ ', ' if not loop.last }}{% else %}the defaults{% endfor %})"
    " is still {{ flow_run.state.name }}: nothing has started it (run {{ flow_run.name }}) "
    "{{ flow_run|ui_url }}"
)
RUN_PAYLOAD = (
    '{"alert": "{{ automation.name }}", "text": {{ text|tojson }}, '
    '"flow_run": {{ flow_run.name|tojson }}, "deployment": {{ deployment.name|tojson }}, '
    '"state": {{ flow_run.state.name|tojson }}, '
    '"message": {{ (flow_run.state.message or "")|tojson }}, "url": {{ (flow_run|ui_url)|tojson }}}'
)
# Prefect's `ui_url` filter gives None for a deployment (the server hands templates a
# DeploymentResponse, which its URL table lacks), so the link is built from the UI's address
# as this process sees it when it makes the automation; `ui_url` is kept first for a Prefect
# that fixes it.
DEPLOYMENT_LINK = "deployments/deployment/"
DEPLOYMENT_TEXT = (
    "newsetl deployment {{ deployment.name }} is Not Ready: no worker or serving process polls "
    "it, so its runs will not start{% if url %} {{ url }}{% endif %}"
)
DEPLOYMENT_PAYLOAD = (
    '{"alert": "{{ automation.name }}", "text": {{ text|tojson }}, "flow_run": null, '
    '"deployment": {{ deployment.name|tojson }}, "state": "Not Ready", '
    '"message": "no worker or serving process polls it", '
    '"url": {{ (url or none)|tojson }}}'
)


def _with_text(payload: str, text: str) -> str:
    """The payload template with its `text` field's template set inside it."""
    return "{% set text %}" + text + "{% endset %}" + payload


def deployment_link(ui_url: str | None) -> str:
    """A template statement setting `url` to the deployment's page in the UI at `ui_url` (none
    known: Prefect's filter, else empty)."""
    built = ""
    if ui_url:
        built = f" or {json.dumps(ui_url.rstrip('/') + '/' + DEPLOYMENT_LINK)} ~ deployment.id"
    return "{% set url = (deployment|ui_url)" + built + " %}"


def newsetl_deployments(ids: Sequence[UUID] = ()) -> dict[str, str | list[str]]:
    """What the Not Ready trigger matches: the newsetl deployments by id when known (the UI's
    Automations page then names them: `When deployment nightly, backfill, ... enters not
    ready`), else by name (which that page describes as `any deployment`)."""
    if ids:
        return {"prefect.resource.id": [f"prefect.deployment.{i}" for i in ids]}
    return {
        "prefect.resource.id": "prefect.deployment.*",
        "prefect.resource.name": DEPLOYMENT_NAMES,
    }


def automations(
    late_seconds: int = LATE_ALERT_SECONDS,
    ui_url: str | None = None,
    deployment_ids: Sequence[UUID] = (),
) -> list[tuple[str, str, EventTrigger, str, str]]:
    """(name, description, trigger, text template, payload template) of each alert; a run
    still Late `late_seconds` after it turned Late raises one; links go to the UI at `ui_url`;
    Not Ready is watched on the deployments `deployment_ids` (none: on newsetl's names)."""
    link = deployment_link(ui_url)
    within = dt.timedelta(seconds=late_seconds)
    return [
        (
            "newsetl: run failed",
            "A newsetl deployment's run failed (or was refused), crashed or timed out.",
            EventTrigger(
                expect=FAILED_EVENTS,
                match={"prefect.resource.id": "prefect.flow-run.*"},
                match_related=DEPLOYED_NEWSETL_RUN,
                posture=Posture.Reactive,
                threshold=1,
            ),
            RUN_TEXT,
            _with_text(RUN_PAYLOAD, RUN_TEXT),
        ),
        (
            "newsetl: run late",
            f"A newsetl run still Late {late_seconds} s after it turned Late.",
            EventTrigger(
                after={"prefect.flow-run.Late"},
                expect=LEFT_LATE_EVENTS,
                for_each={"prefect.resource.id"},
                match={"prefect.resource.id": "prefect.flow-run.*"},
                match_related=DEPLOYED_NEWSETL_RUN,
                posture=Posture.Proactive,
                threshold=1,
                within=within,
            ),
            LATE_TEXT,
            _with_text(RUN_PAYLOAD, LATE_TEXT),
        ),
        (
            "newsetl: deployment not ready",
            "A newsetl deployment turned Not Ready: nothing polls it, its runs will not start.",
            EventTrigger(
                expect={"prefect.deployment.not-ready"},
                match=newsetl_deployments(deployment_ids),
                posture=Posture.Reactive,
                threshold=1,
            ),
            link + DEPLOYMENT_TEXT,
            link + _with_text(DEPLOYMENT_PAYLOAD, DEPLOYMENT_TEXT),
        ),
    ]


def _notification_block(name: str) -> UUID:
    """The id of an existing notification block, `<block-type-slug>/<name>`."""
    with get_client(sync_client=True) as client:
        slug, _, block = name.partition("/")
        document = client.read_block_document_by_name(block, slug)
    return document.id


def create_alerts(
    webhook_url: str | None, block: str | None = None, late_seconds: int = LATE_ALERT_SECONDS
) -> list[UUID]:
    """Create (or replace) the three automations; returns their ids.

    `block` (a notification block's `type/name`) sends through that block; else `webhook_url`
    gets a JSON POST, through the webhook block `newsetl-alerts` made here.
    """
    if block:
        block_id = _notification_block(block)
    elif webhook_url:
        webhook = Webhook(method="POST", url=SecretStr(webhook_url))
        block_id = cast(UUID, webhook.save(BLOCK_NAME, overwrite=True))  # sync when called so
    else:
        raise ValueError("create_alerts needs a webhook URL or a notification block")
    ids = []
    with get_client(sync_client=True) as client:
        ui_url = PREFECT_UI_URL.value()
        found = client.read_deployments(
            deployment_filter=DeploymentFilter(
                name=DeploymentFilterName(any_=DEPLOYMENT_NAMES),
                tags=DeploymentFilterTags(all_=[TAG]),
            )
        )
        deployment_ids = [d.id for d in found]
        made = automations(late_seconds, ui_url, deployment_ids)
        for name, description, trigger, text, payload in made:
            for old in client.read_automations_by_name(name):
                client.delete_automation(old.id)
            action: CallWebhook | SendNotification
            if block:
                action = SendNotification(block_document_id=block_id, subject=name, body=text)
            else:
                action = CallWebhook(block_document_id=block_id, payload=payload)
            automation = AutomationCore(
                name=name, description=description, trigger=trigger, actions=[action]
            )
            ids.append(client.create_automation(automation))
    return ids


class _Receiver(BaseHTTPRequestHandler):
    """Appends each POSTed alert to the server's log file, one JSON object a line."""

    server: AlertReceiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            alert = json.loads(body)
        except ValueError:
            alert = {"text": body.decode("utf-8", "replace")}
        alert["received_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.server.lock, open(self.server.log, "a", encoding="utf-8") as out:
            out.write(json.dumps(alert) + "\n")
        print(f"ALERT: {alert.get('text', alert)}", file=sys.stderr, flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the alert itself is printed."""


class AlertReceiver(ThreadingHTTPServer):
    """A webhook on 127.0.0.1 that writes alerts to a file: the target when none is set."""

    def __init__(self, log: Path, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Receiver)
        self.log = log
        self.lock = threading.Lock()
        log.parent.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/alert"

    def start(self) -> AlertReceiver:
        """Serve in a daemon thread (it ends with the process)."""
        threading.Thread(target=self.serve_forever, name="newsetl-alerts", daemon=True).start()
        return self


def setup_alerts(home: Path, settings: Settings, *, receive: bool = True) -> str:
    """The automations, aimed at $NEWSETL_ALERT_BLOCK, else $NEWSETL_ALERT_WEBHOOK (both in
    `settings`), else (when `receive`: this process keeps running) a receiver in this process
    writing to `home`/newsetl-alerts.log; says where they go."""
    block, webhook = settings.alert_block, settings.alert_webhook
    late = settings.late_alert_seconds
    if block:
        create_alerts(None, block, late)
        return f"alerts: sent through the notification block {block} (${ALERT_BLOCK_ENV})"
    if webhook:
        create_alerts(webhook, late_seconds=late)
        return f"alerts: POSTed to ${ALERT_WEBHOOK_ENV}"
    if not receive:  # a receiver here would end with this process: leave the alerts as they are
        return (
            f"alerts: not changed (no ${ALERT_WEBHOOK_ENV} or ${ALERT_BLOCK_ENV}; `python -m "
            "flows.worker start` or `make serve` writes them to a log file)"
        )
    receiver = AlertReceiver(home / ALERT_LOG_FILE).start()
    create_alerts(receiver.url, late_seconds=late)
    return f"alerts: written to {receiver.log} (set ${ALERT_WEBHOOK_ENV} to send them elsewhere)"
