"""What every deployed run shares: the writer slot, named steps, its day, and its artifacts."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import duckdb
from prefect import Task, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import State
from prefect.concurrency.sync import concurrency
from prefect.runtime import deployment, flow_run
from prefect.tasks import exponential_backoff

from newsetl.load.ingest import LoadSummary
from newsetl.report import run_markdown
from newsetl.settings import DEFAULT_SCHEDULE_TIMEZONE, WRITER_CONCURRENCY_LIMIT
from newsetl.store.paths import Paths
from newsetl.warehouse.build import BuildSummary

P = ParamSpec("P")
R = TypeVar("R")

# Slots this process holds: a flow called inside another (nightly's ingest and build) reuses its
# parent's slot instead of waiting for it forever. Each served run is a process of its own.
_held = 0


class StepFailed(RuntimeError):
    """A step of a run failed: the message names the step and the reason."""


@contextmanager
def writer_slot() -> Iterator[None]:
    """In a deployment run, hold the one slot of the writers' global concurrency limit.

    A second run (of any deployment) waits for it; runs outside deployments (the CLI, tests)
    skip it, and the warehouse's lock file refuses a second writer at once.
    """
    global _held
    if _held or deployment.get_id() is None:  # CLI runs rely on the warehouse's lock file only
        _held += 1
        try:
            yield
        finally:
            _held -= 1
        return
    with get_client(sync_client=True) as client:
        try:  # created on first use, so a fresh server or Prefect Cloud needs no setup
            client.upsert_global_concurrency_limit_by_name(WRITER_CONCURRENCY_LIMIT, 1)
        except Exception as exc:  # another run created it at the same moment
            get_run_logger().debug("concurrency limit not created: %s", exc)
    get_run_logger().info("waiting for the warehouse writer slot %r", WRITER_CONCURRENCY_LIMIT)
    # A run killed with -9 keeps the slot until its lease lapses: the shortest lease allowed.
    with concurrency(WRITER_CONCURRENCY_LIMIT, occupy=1, lease_duration=60, strict=True):
        _held = 1
        try:
            yield
        finally:
            _held = 0


def io_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task for an I/O step: no result cache, two retries with back-off, on I/O errors only."""
    return task(
        name=name,
        cache_policy=NO_CACHE,
        retries=2,
        retry_delay_seconds=exponential_backoff(backoff_factor=2),
        retry_jitter_factor=0.5,
        retry_condition_fn=io_error,
    )


def io_error(task: object, task_run: object, state: State[Any]) -> bool:
    """Retry condition: only I/O errors may pass a second time (not bad data, not SQL tests)."""
    error = state.data
    missing = isinstance(error, FileNotFoundError | NotADirectoryError)
    return isinstance(error, OSError | duckdb.IOException) and not missing


@contextmanager
def step(name: str) -> Iterator[None]:
    """Re-raise a failure inside the block as StepFailed("step 'name' failed: ...")."""
    try:
        yield
    except StepFailed:
        raise
    except Exception as exc:
        reason = " ".join(str(exc).split()) or "no message"
        raise StepFailed(f"step '{name}' failed: {type(exc).__name__}: {reason}") from exc


def run_day(scheduled: dt.datetime, timezone: str = DEFAULT_SCHEDULE_TIMEZONE) -> dt.date:
    """The day a nightly run closes: the day before its scheduled time, in the schedule's zone."""
    return scheduled.astimezone(ZoneInfo(timezone)).date() - dt.timedelta(days=1)


def scheduled_day(timezone: str) -> dt.date:
    """run_day() of this flow run's scheduled start (not the wall clock: a late run agrees),
    in the schedule's `timezone` ($NEWSETL_SCHEDULE_TIMEZONE)."""
    return run_day(flow_run.get_scheduled_start_time(), timezone)


def is_top_level() -> bool:
    """True outside a parent flow run: only the outermost run publishes its summary."""
    return flow_run.get_parent_flow_run_id() is None


def artifact_prefix(default: str) -> str:
    """The deployment's name when served (stable keys per deployment), else `default`."""
    name = deployment.get_name() or default
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")


@dataclass
class RunRecord:
    """What a run produced so far, for its summary."""

    load: LoadSummary | None = None
    built: BuildSummary | None = None


@contextmanager
def reporting(default_prefix: str, title: str, paths: Paths) -> Iterator[RunRecord]:
    """Publish the run's summary at the end, completed or failed (outermost run only)."""
    record, top, started = RunRecord(), is_top_level(), time.monotonic()
    prefix = artifact_prefix(default_prefix)
    try:
        yield record
    except Exception as exc:
        if top:
            seconds = time.monotonic() - started
            publish(prefix, title, paths, record.load, record.built, str(exc), seconds)
        raise
    if top:
        publish(prefix, title, paths, record.load, record.built, None, time.monotonic() - started)


def publish(
    prefix: str,
    title: str,
    paths: Paths,
    load: LoadSummary | None = None,
    built: BuildSummary | None = None,
    failure: str | None = None,
    seconds: float | None = None,
) -> None:
    """The run's Markdown summary and its rejected-files table, under stable keys."""
    markdown = run_markdown(title, paths, load, built, failure, seconds)
    create_markdown_artifact(markdown, key=f"{prefix}-summary", description=title)
    if load is not None:
        rejects = {
            "source_file": [r.source_file for r in load.rejects],
            "reason": [str(r.reason) for r in load.rejects],
            "detail": [r.detail or "" for r in load.rejects],
        }
        create_table_artifact(
            rejects,
            key=f"{prefix}-rejected-files",
            description=f"{len(load.rejects)} files rejected by load {load.load_id}",
        )
