"""Run names (flows.runs.run_name): a name someone typed is kept, Prefect's random one replaced."""

from __future__ import annotations

import datetime as dt

import pytest
from prefect.utilities.names import generate_slug

from flows import runs
from flows.runs import is_prefects_name, run_name

ASKED_AT = dt.datetime(2026, 12, 7, 3, 12, 45, tzinfo=dt.UTC)


@pytest.fixture
def started_as(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A run asked for at ASKED_AT from the command line (no deployment), default warehouse."""
    monkeypatch.setattr(runs.flow_run, "get_scheduled_start_time", lambda: ASKED_AT)
    monkeypatch.setattr(runs.deployment, "get_id", lambda: None)
    for name in ("NEWSETL_WAREHOUSE_DIR", "NEWSETL_RAW_DIR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("current", "named"),
    [
        ("delightful-mustang", "nightly-for-2026-12-06-cli-031245"),  # Prefect's: replaced
        ("oncall-test-typed-name", "oncall-test-typed-name"),  # typed in Run Name: kept
        ("Oncall", "Oncall"),
        ("nightly-for-2026-12-06", "nightly-for-2026-12-06"),  # ours already (upcoming, retry)
    ],
)
def test_a_typed_name_is_kept_and_prefects_random_one_replaced(
    started_as: pytest.MonkeyPatch, current: str, named: str
) -> None:
    started_as.setattr(runs.flow_run, "get_name", lambda: current)
    assert run_name("nightly-for-2026-12-06") == named


def test_prefects_generated_names_are_told_apart_from_typed_ones() -> None:
    assert all(is_prefects_name(generate_slug(2)) for _ in range(2000))
    typed = ["oncall-test-typed-name", "test1-run", "Nightly-Rerun", "rerun", "a_b-c"]
    assert not any(is_prefects_name(name) for name in typed)


@pytest.mark.usefixtures("prefect_harness")
def test_a_query_interrupted_by_the_cancelling_signal_still_counts_as_cancelled() -> None:
    """DuckDB turns the worker's signal into RuntimeError("Query interrupted"): the run's state
    in the API (Cancelling) is what says the run was cancelled, not the exception's type."""
    from uuid import UUID

    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.states import Cancelling

    interrupted = RuntimeError("Query interrupted")

    @flow
    def judged(cancel: bool) -> tuple[bool, bool]:
        before = runs.was_cancelled(interrupted)
        if cancel:
            with get_client(sync_client=True) as client:
                run_id = UUID(str(runs.flow_run.get_id()))
                client.set_flow_run_state(run_id, Cancelling(), force=True)
        return before, runs.was_cancelled(interrupted)

    assert judged(cancel=False) == (False, False)
    assert judged(cancel=True) == (False, True)
    assert runs.was_cancelled(KeyboardInterrupt())  # outside any run: the signal itself
    assert not runs.was_cancelled(interrupted)
