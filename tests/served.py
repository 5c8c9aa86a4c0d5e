"""One real Prefect server serving the deployments (`python -m flows.serve`), for the session.

Started on 127.0.0.1 with a random port, a temporary home under .cache/ and an API auth string;
shared by test_deployments.py, test_alerts.py and test_ui.py, and stopped (as Ctrl-C does) when
the session ends. Its alerts go to a webhook receiver in the test process (`Served.alerts`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PREFECT_TEST_HOME, ROOT

DEPLOYMENTS = {"nightly", "backfill", "rebuild-warehouse", "full-refresh"}
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Webhook(ThreadingHTTPServer):
    """A webhook receiver on 127.0.0.1, as Slack's or a pager's would be: keeps each JSON body
    POSTed to it."""

    def __init__(self) -> None:
        received: list[dict[str, Any]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.received = received
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/newsetl"


@dataclass
class Served:
    """The served deployments: where they are, how to call them, and what they write."""

    ui_url: str
    auth: str
    raw_dir: Path
    warehouse_dir: Path
    log: Path
    process: subprocess.Popen[bytes]
    webhook: Webhook
    ids: dict[str, str] = field(default_factory=dict)

    def alerts(self, flow_run_name: str, seconds: float = 90) -> list[dict[str, Any]]:
        """The alerts the webhook got for a run, waiting up to `seconds` for the first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [a for a in self.webhook.received if a.get("flow_run") == flow_run_name]
            if found:
                return found
            time.sleep(1)
        return []

    @property
    def api_url(self) -> str:
        return f"{self.ui_url}/api"

    def client(self, auth: str | None = None) -> httpx.Client:
        user, _, password = (auth or self.auth).partition(":")
        return httpx.Client(base_url=self.api_url, auth=(user, password), timeout=30)

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST, retried when the server answers 5xx (its SQLite database can be busy for a
        moment while the served runs write to it); 4xx answers are returned as they are."""
        with self.client() as client:
            for attempt in range(6):
                response = client.post(path, json=body)
                if response.status_code < 500:
                    break
                time.sleep(0.5 * 2**attempt)
            return response

    def deployments(self) -> list[dict[str, Any]]:
        response = self.post("/deployments/filter", {})
        response.raise_for_status()
        return list(response.json())

    def create_run(self, deployment: str, parameters: dict[str, Any]) -> httpx.Response:
        return self.post(
            f"/deployments/{self.ids[deployment]}/create_flow_run", {"parameters": parameters}
        )

    def flow_run(self, run_id: str) -> dict[str, Any]:
        with self.client() as client:
            response = client.get(f"/flow_runs/{run_id}")
        response.raise_for_status()
        return dict(response.json())

    def wait(self, run_id: str, seconds: float = 150) -> dict[str, Any]:
        """Poll the flow run until it ends; returns it."""
        deadline = time.monotonic() + seconds
        run: dict[str, Any] = {"state_name": "not yet read"}
        while time.monotonic() < deadline:
            try:
                run = self.flow_run(run_id)
            except httpx.HTTPStatusError as error:  # a busy server: poll again
                if error.response.status_code < 500:
                    raise
            else:
                if run["state_type"] in TERMINAL:
                    return run
            time.sleep(1)
        raise TimeoutError(f"flow run {run_id} still {run['state_name']} after {seconds} s")

    def subflow_runs(self, run_id: str) -> list[dict[str, Any]]:
        """The flow runs started inside a flow run (its ingest and build)."""
        body = {"flow_runs": {"parent_flow_run_id": {"any_": [run_id]}}}
        response = self.post("/flow_runs/filter", body)
        response.raise_for_status()
        return list(response.json())

    def logs(self, run_id: str) -> list[dict[str, Any]]:
        """A flow run's log lines, oldest first."""
        body = {"logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC"}
        response = self.post("/logs/filter", body)
        response.raise_for_status()
        return list(response.json())

    def states(self, run_id: str) -> list[str]:
        with self.client() as client:
            response = client.get("/flow_run_states/", params={"flow_run_id": run_id})
        response.raise_for_status()
        return [state["name"] for state in response.json()]

    def artifacts(self, key: str) -> list[dict[str, Any]]:
        body = {"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC"}
        response = self.post("/artifacts/filter", body)
        response.raise_for_status()
        return list(response.json())


def _start(base: Path) -> Served:
    port, auth = free_port(), f"operator:{secrets.token_hex(12)}"
    raw_dir, warehouse_dir, log = base / "raw", base / "warehouse", base / "serve.log"
    raw_dir.mkdir(parents=True)
    webhook = Webhook()
    env = {
        **os.environ,
        "PREFECT_HOME": str(PREFECT_TEST_HOME / "served"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_API_AUTH_STRING": auth,
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "NEWSETL_RAW_DIR": str(raw_dir),
        "NEWSETL_WAREHOUSE_DIR": str(warehouse_dir),
        "NEWSETL_ALERT_WEBHOOK": webhook.url,
    }
    for name in ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING", "NEWSETL_ALERT_BLOCK"):
        env.pop(name, None)
    command = [sys.executable, "-m", "flows.serve", "--host", "127.0.0.1", "--port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    served = Served(f"http://127.0.0.1:{port}", auth, raw_dir, warehouse_dir, log, process, webhook)
    deadline = time.monotonic() + 330  # flows.serve gives its server 300 s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"flows.serve exited {process.returncode}:\n{log.read_text()}")
        try:
            served.ids = {d["name"]: d["id"] for d in served.deployments()}
        except httpx.HTTPError:
            served.ids = {}
        if served.ids.keys() >= DEPLOYMENTS and "being served" in log.read_text():
            return served
        time.sleep(1)
    stop(served)
    raise TimeoutError(f"deployments not served in 330 s:\n{log.read_text()[-3000:]}")


def stop(served: Served) -> None:
    """Ctrl-C for flows.serve, which stops its deployments then its server; kill both if stuck."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
    try:
        served.process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(served.process.pid, signal.SIGKILL)
        served.process.wait()
        found = re.search(r"server pid (\d+)", served.log.read_text())
        if found:  # the server has a session of its own
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(found.group(1)), signal.SIGKILL)
        raise AssertionError("flows.serve did not stop on Ctrl-C within 60 s") from None
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(f"{served.api_url}/health", timeout=2)
        raise AssertionError("the Prefect server still answers after flows.serve stopped")


_served: Served | None = None


def served_deployments(request: pytest.FixtureRequest) -> Served:
    """The session's served deployments, started on first use."""
    global _served
    if _served is None:
        base = request.getfixturevalue("tmp_path_factory").mktemp("served")
        _served = _start(base)
        request.session.addfinalizer(lambda: stop(_served) if _served else None)
    return _served
