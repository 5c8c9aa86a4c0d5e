"""Production without a terminal: `python -m flows.worker start` (`make worker`) on a temporary
SQLite-backed server, the nightly run through the work pool's worker, Retry after a failed build,
Cancel, and alerts written to the log file when no webhook is set."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from tests.conftest import PREFECT_TEST_HOME, ROOT, SEED, raw_text
from tests.served import TERMINAL, free_port

pytestmark = [pytest.mark.flow, pytest.mark.timeout(900)]


class Worker:
    """The worker process and a client of its server's API."""

    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.home = PREFECT_TEST_HOME / "worker"
        self.raw_dir, self.warehouse_dir = base / "raw", base / "warehouse"
        self.raw_dir.mkdir(parents=True)
        self.log = base / "worker.log"
        env = {
            **os.environ,
            "PREFECT_HOME": str(self.home),
            "PREFECT_WORKER_QUERY_SECONDS": "2",
            "NEWSETL_RAW_DIR": str(self.raw_dir),
            "NEWSETL_WAREHOUSE_DIR": str(self.warehouse_dir),
            "NEWSETL_LATE_ALERT_SECONDS": "20",
        }
        for name in ("PREFECT_API_URL", "NEWSETL_ALERT_WEBHOOK", "NEWSETL_ALERT_BLOCK"):
            env.pop(name, None)
        command = [sys.executable, "-m", "flows.worker", "start", "--port", str(self.port)]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.api = httpx.Client(base_url=f"http://127.0.0.1:{self.port}/api", timeout=30)

    def started(self, seconds: float = 330) -> Worker:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"flows.worker exited:\n{self.log.read_text()[-3000:]}")
            if "worker polling work pool" in self.log.read_text():
                return self
            time.sleep(1)
        raise TimeoutError(f"no worker after {seconds} s:\n{self.log.read_text()[-3000:]}")

    def post(self, path: str, body: dict[str, Any]) -> Any:
        for attempt in range(6):  # SQLite can be busy for a moment
            response = self.api.post(path, json=body)
            if response.status_code < 500:
                break
            time.sleep(0.5 * 2**attempt)
        response.raise_for_status()
        return response.json() if response.content else None

    def deployment(self, name: str) -> dict[str, Any]:
        found = [d for d in self.post("/deployments/filter", {}) if d["name"] == name]
        assert found, name
        return dict(found[0])

    def run(self, name: str, parameters: dict[str, Any]) -> str:
        deployment = self.deployment(name)
        created = self.post(
            f"/deployments/{deployment['id']}/create_flow_run", {"parameters": parameters}
        )
        return str(created["id"])

    def flow_run(self, run_id: str) -> dict[str, Any]:
        response = self.api.get(f"/flow_runs/{run_id}")
        response.raise_for_status()
        return dict(response.json())

    def wait(self, run_id: str, seconds: float = 240) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                run = self.flow_run(run_id)
                if run["state_type"] in TERMINAL:
                    return run
            time.sleep(1)
        raise TimeoutError(f"{run_id} not over in {seconds} s:\n{self.log.read_text()[-3000:]}")

    def messages(self, run_id: str) -> list[str]:
        body = {"logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC"}
        return [line["message"] for line in self.post("/logs/filter", body)]

    def summary(self, key: str) -> str:
        body = {"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC"}
        return str(self.post("/artifacts/filter", body)[0]["data"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for found in re.finditer(r"server pid (\d+)|\(pid (\d+)\)", self.log.read_text()):
            with contextlib.suppress(ProcessLookupError):  # each has a session of its own
                os.killpg(int(found.group(1) or found.group(2)), signal.SIGKILL)
        self.api.close()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    started = Worker(tmp_path_factory.mktemp("worker"))
    try:
        yield started.started()
    finally:
        started.stop()


def _loads(warehouse: Path) -> list[tuple[str, int]]:
    with duckdb.connect() as con:
        ledger = warehouse / "_state" / "loads.parquet"
        return [
            (str(kind), int(files))
            for kind, files in con.execute(
                "select kind, files_loaded from read_parquet(?) order by started_at", [str(ledger)]
            ).fetchall()
        ]


def test_the_nightly_runs_through_the_work_pool(worker: Worker) -> None:
    nightly = worker.deployment("nightly")
    assert nightly["work_pool_name"] == "newsetl"
    assert nightly["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
    ]
    shutil.copy(SEED, worker.raw_dir / SEED.name)
    (worker.raw_dir / "001_aaaaaaaaaaaaaaaa.txt").write_text(raw_text(published="2023-01-02"))
    run_id = worker.run("nightly", {})
    run = worker.wait(run_id)
    assert run["state_type"] == "COMPLETED", run["state"]["message"]
    assert run["work_pool_name"] == "newsetl" and run["infrastructure_pid"]
    with duckdb.connect(str(worker.warehouse_dir / "news.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from articles").fetchone() == (2,)
    assert "**Completed**" in worker.summary("nightly-summary")


def test_a_retry_after_a_failed_build_does_not_ingest_again(worker: Worker) -> None:
    warehouse = worker.warehouse_dir.parent / "retried"
    (warehouse / "news.duckdb").mkdir(parents=True)  # the build cannot put its file there
    run_id = worker.run("nightly", {"warehouse_dir": str(warehouse)})
    failed = worker.wait(run_id)
    assert failed["state_type"] == "FAILED"
    assert _loads(warehouse) == [("incremental", 2)]
    (warehouse / "news.duckdb").rmdir()
    # The UI's Retry: the same run, scheduled again.
    worker.post(
        f"/flow_runs/{run_id}/set_state",
        {"state": {"type": "SCHEDULED", "name": "AwaitingRetry"}, "force": True},
    )
    retried = worker.wait(run_id)
    assert retried["state_type"] == "COMPLETED", retried["state"]["message"]
    assert retried["run_count"] == 2
    assert _loads(warehouse) == [("incremental", 2)]  # no second load
    messages = worker.messages(run_id)
    assert any(
        re.fullmatch(
            r"ingest not run again: load \S+ was committed by an earlier try of this run", m
        )
        for m in messages
    ), messages
    assert (warehouse / "news.duckdb").is_file()
    assert "Ingest not run again: load" in worker.summary("nightly-summary")


def test_a_cancelled_run_leaves_a_summary_of_what_was_committed(worker: Worker) -> None:
    from devtools.articles import write_corpus

    raw, warehouse = worker.warehouse_dir.parent / "big-raw", worker.warehouse_dir.parent / "c"
    write_corpus(raw, 3000, seed=5, gold=False)
    run_id = worker.run("nightly", {"raw_dir": str(raw), "warehouse_dir": str(warehouse)})
    deadline = time.monotonic() + 180
    while not any(m.startswith("processed ") for m in worker.messages(run_id)):
        assert time.monotonic() < deadline, worker.messages(run_id)
        time.sleep(0.5)
    worker.post(
        f"/flow_runs/{run_id}/set_state",
        {"state": {"type": "CANCELLING", "name": "Cancelling"}, "force": True},
    )
    run = worker.wait(run_id)
    assert run["state_type"] == "CANCELLED"
    summary = worker.summary("nightly-summary")
    assert "**Cancelled**: stopped before the end. Nothing committed: the warehouse" in summary
    assert not (warehouse / "_state" / "loads.parquet").exists()


def test_without_a_webhook_an_alert_is_written_to_the_log_file(worker: Worker) -> None:
    run_id = worker.run("backfill", {"since": "2022-06-30", "until": "2022-06-01"})
    run = worker.wait(run_id)
    assert (run["state_type"], run["state_name"]) == ("FAILED", "Failed")
    log = worker.home / "newsetl-alerts.log"
    deadline = time.monotonic() + 90
    alerts: list[dict[str, Any]] = []
    while not alerts and time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        alerts = [a for a in map(json.loads, lines) if a.get("flow_run") == run["name"]]
        time.sleep(1)
    assert len(alerts) == 1, log.read_text() if log.exists() else "no alert log"
    assert (alerts[0]["deployment"], alerts[0]["state"]) == ("backfill", "Failed")
    assert alerts[0]["message"] == run["state"]["message"]


def test_a_run_still_late_raises_an_alert(worker: Worker) -> None:
    """A deployment on a pool that no worker polls: its run turns Late, stays Late past
    NEWSETL_LATE_ALERT_SECONDS (20 s here), and the alert is written to the log file."""
    worker.post("/work_pools/", {"name": "idle", "type": "process"})
    nightly = worker.deployment("nightly")
    idle = worker.post(
        "/deployments/",
        {
            "name": "idle-nightly",
            "flow_id": nightly["flow_id"],
            "work_pool_name": "idle",
            "entrypoint": nightly["entrypoint"],
            "tags": ["newsetl"],
        },
    )
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)).isoformat()
    scheduled = {"type": "SCHEDULED", "state_details": {"scheduled_time": past}}
    run = worker.post(f"/deployments/{idle['id']}/create_flow_run", {"state": scheduled})
    log = worker.home / "newsetl-alerts.log"
    deadline = time.monotonic() + 150
    alerts: list[dict[str, Any]] = []
    while not alerts and time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        alerts = [a for a in map(json.loads, lines) if a.get("flow_run") == run["name"]]
        time.sleep(2)
    assert [(a["alert"], a["state"], a["deployment"]) for a in alerts] == [
        ("newsetl: run late", "Late", "idle-nightly")
    ], worker.flow_run(run["id"])["state_name"]
