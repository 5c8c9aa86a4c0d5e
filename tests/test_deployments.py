"""End to end against a real Prefect server: the served deployments, run through its API."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import httpx
import pytest

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
    assert found["full-refresh"]["parameters"] == {"params": {"full_refresh": True}}
    form = found["backfill"]["parameter_openapi_schema"]["definitions"]["BackfillParams"]
    assert form["required"] == ["since", "until"]
    assert form["properties"]["since"]["format"] == "date"
    assert "First publication day" in form["properties"]["since"]["description"]


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
            "params": {
                "since": "2022-06-01",
                "until": "2022-06-30",
                "raw_dir": str(served.raw_dir),
                "warehouse_dir": str(served.warehouse_dir),
            }
        },
    )
    assert response.status_code == 201, response.text
    run = served.wait(response.json()["id"])
    assert run["state_type"] == "COMPLETED", run["state"]["message"]
    assert run["name"] == "backfill-2022-06-01-to-2022-06-30"
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
    response = served.create_run("backfill", {"params": params})
    assert response.status_code == 409
    assert reason in response.json()["detail"]


def test_a_bad_range_or_folder_fails_the_run_before_any_step(served: Served) -> None:
    reversed_range = {"since": "2022-06-30", "until": "2022-06-01"}
    missing_raw = {"since": "2022-06-01", "until": "2022-06-30", "raw_dir": "/nowhere/raw"}
    responses = [
        served.create_run("backfill", {"params": p}) for p in (reversed_range, missing_raw)
    ]
    assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
    ids = [r.json()["id"] for r in responses]
    first, second = (served.wait(run_id) for run_id in ids)
    assert first["state_type"] == "FAILED"
    assert "until 2022-06-01 is before since 2022-06-30" in first["state"]["message"]
    assert second["state_type"] == "FAILED"
    assert "raw dir /nowhere/raw does not exist" in second["state"]["message"]
    with served.client() as client:
        tasks = client.post("/task_runs/filter", json={"flow_runs": {"id": {"any_": ids}}})
    assert tasks.json() == []


def test_a_second_run_waits_for_the_first(served: Served) -> None:
    params = {"params": {"warehouse_dir": str(served.warehouse_dir)}}
    ids = [served.create_run("rebuild-warehouse", params).json()["id"] for _ in range(2)]
    runs = [served.wait(run_id) for run_id in ids]
    assert [r["state_type"] for r in runs] == ["COMPLETED", "COMPLETED"]
    spans = sorted((dt.datetime.fromisoformat(r["start_time"]), r) for r in runs)
    assert dt.datetime.fromisoformat(spans[0][1]["end_time"]) <= spans[1][0]
    assert any("AwaitingConcurrencySlot" in served.states(run_id) for run_id in ids)


def test_two_writing_deployments_take_turns(served: Served) -> None:
    backfill = {"params": {"since": "2022-06-01", "until": "2022-06-30"}}
    ids = [
        served.create_run("nightly", {}).json()["id"],
        served.create_run("backfill", backfill).json()["id"],
    ]
    runs = [served.wait(run_id) for run_id in ids]
    # Without the shared writer slot the second load would hit the warehouse lock and fail.
    assert [r["state_type"] for r in runs] == ["COMPLETED", "COMPLETED"], [
        r["state"]["message"] for r in runs
    ]
