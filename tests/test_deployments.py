"""End to end against a real Prefect server: the served deployments, run through its API."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time

import duckdb
import httpx
import pytest

from flows.runs import run_day
from tests.conftest import SEED, raw_text
from tests.served import DEPLOYMENTS, Served, served_deployments

pytestmark = [pytest.mark.flow, pytest.mark.timeout(360)]


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Served:
    return served_deployments(request)


def test_the_deployments_are_served_with_schedule_and_limits(served: Served) -> None:
    found = {d["name"]: d for d in served.deployments()}
    assert found.keys() >= DEPLOYMENTS
    schedules = [s["schedule"] for s in found["nightly"]["schedules"]]
    assert [(s["cron"], s["timezone"]) for s in schedules] == [("0 2 * * *", "UTC")]
    assert found["nightly"]["schedules"][0]["active"]
    for name in DEPLOYMENTS:
        assert found[name]["global_concurrency_limit"]["limit"] == 1, name
        assert found[name]["concurrency_options"]["collision_strategy"] == "ENQUEUE", name
    assert found["full-refresh"]["parameters"] == {"full_refresh": True}
    # Flat fields (no `params` object), dates as date pickers, text fields as plain boxes.
    form = found["backfill"]["parameter_openapi_schema"]
    assert list(form["properties"]) == [
        "since",
        "until",
        "raw_dir",
        "warehouse_dir",
        "allow_shrink",
        "task_runner",
        "dask_address",
    ]
    assert form["required"] == ["since", "until"]
    assert form["properties"]["since"]["format"] == "date"
    assert "First publication day" in form["properties"]["since"]["description"]
    nightly = found["nightly"]["parameter_openapi_schema"]["properties"]
    for name in ("raw_dir", "warehouse_dir", "dask_address"):
        field = nightly[name]
        assert (field["type"], field["default"], "anyOf" in field) == ("string", "", False), name
        assert "Empty: " in field["description"], name
    assert nightly["task_runner"]["enum"] == ["", "local", "dask"]
    shrink = nightly["allow_shrink"]
    assert (shrink["type"], shrink["default"]) == ("boolean", False)
    assert "unmounted share" in shrink["description"]


def test_the_api_refuses_calls_without_the_auth_string(served: Served) -> None:
    with httpx.Client(base_url=served.api_url, timeout=30) as anonymous:
        assert anonymous.post("/deployments/filter", json={}).status_code == 401
        assert anonymous.get("/health").status_code == 200  # probes stay open
    with served.client("operator:wrong") as wrong:
        assert wrong.post("/deployments/filter", json={}).status_code == 401


def test_a_backfill_triggered_through_the_api_completes(served: Served) -> None:
    shutil.copy(SEED, served.raw_dir / SEED.name)
    (served.raw_dir / "001_aaaaaaaaaaaaaaaa.txt").write_text(raw_text(published="2023-01-02"))
    (served.raw_dir / "002_bbbbbbbbbbbbbbbb.txt").write_bytes(b"\x00\x01 junk")
    response = served.create_run(
        "backfill",
        {
            "since": "2022-06-01",
            "until": "2022-06-30",
            "raw_dir": str(served.raw_dir),
            "warehouse_dir": str(served.warehouse_dir),
        },
    )
    assert response.status_code == 201, response.text
    run = served.wait(response.json()["id"])
    assert run["state_type"] == "COMPLETED", run["state"]["message"]
    # A manual run: named with the time it was asked for (UTC), so no two runs share a name.
    assert re.fullmatch(r"backfill-2022-06-01-to-2022-06-30-manual-\d{6}", run["name"])
    subflows = served.subflow_runs(run["id"])
    assert sorted(r["name"] for r in subflows) == [
        f"build for {run['name']}",
        f"ingest for {run['name']}",
    ]
    assert all(set(r["tags"]) >= {"newsetl", "writes-warehouse"} for r in subflows)
    with duckdb.connect(str(served.warehouse_dir / "news.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from articles").fetchone() == (2,)
        assert con.sql("select kind from loads").fetchall() == [("backfill",)]
    summary = served.artifacts("backfill-summary")[0]
    assert summary["flow_run_id"] == run["id"]
    assert "| 3 | 2 | 0 | 0 | 1 |" in summary["data"]
    rejected = served.artifacts("backfill-rejected-files")[0]
    assert "002_bbbbbbbbbbbbbbbb.txt" in str(rejected["data"])


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"since": "2022-13-01", "until": "2022-06-30"}, "does not match"),
        ({"since": "2022-06-01"}, "'until' is a required property"),
        ({"since": "2022-06-01", "until": "2022-06-30", "raw": "x"}, "Additional properties"),
    ],
)
def test_a_malformed_parameter_is_refused_before_any_run_exists(
    served: Served, params: dict[str, str], reason: str
) -> None:
    response = served.create_run("backfill", params)
    assert response.status_code == 409
    assert reason in response.json()["detail"]


def test_a_request_the_worker_cannot_carry_out_is_refused_before_any_step(
    served: Served,
) -> None:
    blocker = served.raw_dir.parent / "not-a-folder"
    blocker.write_text("x")
    cases = [
        (
            "backfill",
            {"since": "2022-06-30", "until": "2022-06-01"},
            "refused: until 2022-06-01 is before since 2022-06-30: the range holds no day; "
            "give the first day as since and the last as until",
        ),
        (
            "backfill",
            {"since": "2022-06-01", "until": "2022-06-30", "raw_dir": "/nowhere/raw"},
            "refused: raw_dir: raw dir /nowhere/raw does not exist or is not a folder",
        ),
        (
            "rebuild-warehouse",
            {"warehouse_dir": str(blocker / "warehouse")},
            f"refused: warehouse_dir: warehouse dir {blocker / 'warehouse'} cannot be created: "
            f"{blocker} is a file, not a folder: move it aside or choose another place",
        ),
    ]
    responses = [served.create_run(name, params) for name, params, _ in cases]
    assert [r.status_code for r in responses] == [201] * 3, [r.text for r in responses]
    ids = [r.json()["id"] for r in responses]
    runs = [served.wait(run_id) for run_id in ids]
    assert [(r["state_type"], r["state_name"], r["state"]["message"]) for r in runs] == [
        ("FAILED", "Failed", reason) for _, _, reason in cases
    ]
    with served.client() as client:
        tasks = client.post("/task_runs/filter", json={"flow_runs": {"id": {"any_": ids}}})
    assert tasks.json() == []


def test_a_second_run_waits_for_the_first(served: Served) -> None:
    params = {"warehouse_dir": str(served.warehouse_dir)}
    ids = [served.create_run("rebuild-warehouse", params).json()["id"] for _ in range(2)]
    runs = [served.wait(run_id) for run_id in ids]
    assert [r["state_type"] for r in runs] == ["COMPLETED", "COMPLETED"]
    spans = sorted((dt.datetime.fromisoformat(r["start_time"]), r) for r in runs)
    assert dt.datetime.fromisoformat(spans[0][1]["end_time"]) <= spans[1][0]
    assert any("AwaitingConcurrencySlot" in served.states(run_id) for run_id in ids)


def test_two_writing_deployments_take_turns(served: Served) -> None:
    backfill = {"since": "2022-06-01", "until": "2022-06-30"}
    ids = [
        served.create_run("nightly", {}).json()["id"],
        served.create_run("backfill", backfill).json()["id"],
    ]
    runs = [served.wait(run_id) for run_id in ids]
    # Without the shared writer slot the second load would hit the warehouse lock and fail.
    assert [r["state_type"] for r in runs] == ["COMPLETED", "COMPLETED"], [
        r["state"]["message"] for r in runs
    ]


def test_the_parent_run_log_says_what_is_happening(served: Served) -> None:
    (served.raw_dir / "003_dddddddddddddddd.txt").write_text(raw_text(published="2022-07-01"))
    run_id = served.create_run("nightly", {}).json()["id"]
    run = served.wait(run_id)
    assert run["state_type"] == "COMPLETED", run["state"]["message"]
    assert re.fullmatch(r"nightly-for-\d{4}-\d{2}-\d{2}-manual-\d{6}", run["name"])
    built = ("built ", str(served.warehouse_dir))
    deadline = time.monotonic() + 30  # the runs send their log lines every 2 s
    while True:
        own = [line["message"] for line in served.logs(run_id) if line["task_run_id"] is None]
        if any(m.startswith(built) for m in own) or time.monotonic() > deadline:
            break
        time.sleep(1)
    slot = [i for i, m in enumerate(own) if m.startswith("got the warehouse writer slot after")]
    assert slot and re.fullmatch(
        r"got the warehouse writer slot after \d+\.\d s, \d+\.\d s after the run was due "
        r"\(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)",
        own[slot[0]],
    )
    progress = [m for m in own if re.fullmatch(r"processed (\d+)/\1 files", m)]
    assert progress, own  # the ingest's progress, in the parent's log too
    assert any(re.match(r"load \S+: files seen \d+: loaded \d+, unchanged", m) for m in own)
    assert any(m.startswith(built) for m in own), own
    assert slot[0] < own.index(progress[-1])
    summary = served.artifacts("nightly-summary")[0]["data"]
    # The whole wait since the run was asked for, with the slot's part when that is not all.
    assert re.search(
        r"Waited \d+\.\d s (for the warehouse writer slot|from when the run was due to the "
        r"warehouse writer slot \(\d+\.\d s in the slot's queue, the rest before the run "
        r"started\))\.",
        summary,
    )
    assert f"Raw files from `{served.raw_dir}`." in summary


def test_upcoming_scheduled_runs_are_named_for_their_day(served: Served) -> None:
    body = {
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
        "deployments": {"id": {"any_": [served.ids["nightly"]]}},
    }
    deadline = time.monotonic() + 150  # the serving process names them once a minute
    named: list[tuple[str, str]] = []
    while time.monotonic() < deadline:
        upcoming = served.post("/flow_runs/filter", body).json()
        named = [(r["name"], r["expected_start_time"]) for r in upcoming if r["auto_scheduled"]]
        if named and all(name.startswith("nightly-for-") for name, _ in named):
            break
        time.sleep(5)
    assert named, "the scheduler made no upcoming nightly run"
    for name, start in named:
        assert name == f"nightly-for-{run_day(dt.datetime.fromisoformat(start))}", named
