"""What every run shares: the writer slot, named steps, names, its day, and its summary artifact."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from prefect import Flow, Task, get_run_logger, tags, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import State, StateType
from prefect.concurrency.sync import concurrency
from prefect.context import FlowRunContext
from prefect.exceptions import CancelledRun
from prefect.logging.loggers import PrefectLogAdapter, flow_run_logger
from prefect.runtime import deployment, flow_run
from prefect.tasks import exponential_backoff

from flows.failures import one_line, retry_if_transient, speaks_for_itself
from newsetl.load.ingest import LoadSummary
from newsetl.report import run_markdown
from newsetl.settings import DEFAULT_SCHEDULE_TIMEZONE, WRITER_CONCURRENCY_LIMIT, Settings
from newsetl.store.paths import Paths, resolve_paths
from newsetl.store.state import LoadRecord, read_loads
from newsetl.warehouse.build import BuildSummary

P = ParamSpec("P")
R = TypeVar("R")
# The names Prefect gives runs it creates (prefect.utilities.names.generate_slug(2)).
PREFECT_GENERATED_NAME = re.compile(r"[a-z]+-[a-z]+")


class StepFailed(RuntimeError):
    """A step of a run failed: the message names the step and the reason."""


@dataclass
class RunRecord:
    """What a run produced so far, for its summary."""

    load: LoadSummary | None = None
    built: BuildSummary | None = None
    waited: float | None = None  # seconds spent waiting for the writer slot
    since_due: float | None = None  # seconds from the run's scheduled start to the slot
    ingest_reused: bool = False  # a retried run found its load committed by an earlier try


def is_top_level() -> bool:
    """True outside a parent flow run: only the outermost run publishes its summary."""
    return flow_run.get_parent_flow_run_id() is None


@contextmanager
def writer_slot(record: RunRecord) -> Iterator[None]:
    """In a deployment run, hold the one slot of the writers' global concurrency limit.

    Only the outermost run of a deployment takes it: its subflows run inside it, and runs
    outside deployments (the CLI, tests) rely on the warehouse's lock file, which refuses a
    second writer at once. The wait is logged, and kept in the record for the summary.
    """
    if deployment.get_id() is None or not is_top_level():
        yield
        return
    logger = get_run_logger()
    with get_client(sync_client=True) as client:
        try:  # created on first use, so a fresh server or Prefect Cloud needs no setup
            client.upsert_global_concurrency_limit_by_name(WRITER_CONCURRENCY_LIMIT, 1)
        except Exception as exc:  # another run created it at the same moment
            logger.debug("concurrency limit not created: %s", exc)
    logger.info("waiting for the warehouse writer slot %r", WRITER_CONCURRENCY_LIMIT)
    started = time.monotonic()
    # A run killed with -9 keeps the slot until its lease lapses: the shortest lease allowed.
    with concurrency(WRITER_CONCURRENCY_LIMIT, occupy=1, lease_duration=60, strict=True):
        record.waited = time.monotonic() - started
        if flow_run.get_run_count() > 1:  # a retry: its due time is the first try's
            logger.info("got the warehouse writer slot after %.1f s", record.waited)
            yield
            return
        due = flow_run.get_scheduled_start_time()
        record.since_due = max(0.0, (dt.datetime.now(dt.UTC) - due).total_seconds())
        # The slot's queue is not the whole wait: a run held back by its deployment's own
        # concurrency limit (AwaitingConcurrencySlot) or by no worker waited before this.
        logger.info(
            "got the warehouse writer slot after %.1f s, %.1f s after the run was due (%s UTC)",
            record.waited,
            record.since_due,
            f"{due.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}",
        )
        yield


def io_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task for an I/O step: no result cache, two retries with back-off, on transient errors
    only (a timeout, a dropped connection, a busy device; not a full disk or a missing file)."""
    return task(
        name=name,
        cache_policy=NO_CACHE,
        persist_result=False,
        retries=2,
        retry_delay_seconds=exponential_backoff(backoff_factor=2),
        retry_jitter_factor=0.5,
        retry_condition_fn=retry_if_transient,
    )


@contextmanager
def step(name: str) -> Iterator[None]:
    """Re-raise a failure inside the block as StepFailed("step 'name' failed: ..."), naming
    the error's class unless newsetl's own message speaks for itself (speaks_for_itself)."""
    try:
        yield
    except StepFailed:
        raise
    except Exception as exc:
        if type(exc).__name__ in ("FailedRun", "RunRefused"):  # a subflow's: told already
            raise
        reason = " ".join(str(exc).split()) or "no message"
        kind = "" if speaks_for_itself(exc) else f"{type(exc).__name__}: "
        raise StepFailed(f"step '{name}' failed: {kind}{reason}") from exc


def run_day(scheduled: dt.datetime, timezone: str = DEFAULT_SCHEDULE_TIMEZONE) -> dt.date:
    """The day a nightly run closes: the day before its scheduled time, in the schedule's zone."""
    return scheduled.astimezone(ZoneInfo(timezone)).date() - dt.timedelta(days=1)


def scheduled_day(timezone: str) -> dt.date:
    """run_day() of this flow run's scheduled start (not the wall clock: a late run agrees),
    in the schedule's `timezone` ($NEWSETL_SCHEDULE_TIMEZONE)."""
    return run_day(flow_run.get_scheduled_start_time(), timezone)


def origin() -> str:
    """How the run was asked for: `scheduled`, `manual` (a deployment's Run, the API) or `cli`
    (the command line or a direct call)."""
    context = FlowRunContext.get()
    if deployment.get_id() is None:
        return "cli"
    if context is not None and context.flow_run is not None and context.flow_run.auto_scheduled:
        return "scheduled"
    return "manual"


def is_prefects_name(name: str) -> bool:
    """True for a name Prefect makes up for a run (two lower-case words, `adjective-animal`:
    `delightful-mustang`), false for one a person typed or newsetl gave."""
    return PREFECT_GENERATED_NAME.fullmatch(name) is not None


def run_name(stem: str, warehouse_dir: str | None = None) -> str:
    """A distinct name: the one typed in the form's Run Name field (or given through the API)
    when it is not Prefect's random `adjective-animal`; else the stem alone for a scheduled run
    (one a day), else the stem with how and when it was asked for (`-manual-031245`, UTC), and
    the warehouse when not the default."""
    current = flow_run.get_name()
    if current and not is_prefects_name(current):
        return current  # typed by someone, or ours already (an upcoming run, a retry)
    kind = origin()
    name = stem
    if kind != "scheduled":
        name += f"-{kind}-{flow_run.get_scheduled_start_time().astimezone(dt.UTC):%H%M%S}"
    settings = Settings.from_env()
    configured = resolve_paths(None, None, settings)
    default = configured.warehouse_url or str(configured.warehouse_dir)
    chosen = resolve_paths(None, warehouse_dir or None, settings)
    where = chosen.warehouse_url or str(chosen.warehouse_dir)
    return name if where == default else f"{name} @ {where}"


def artifact_prefix(default: str) -> str:
    """The deployment's name when served (stable keys per deployment), else `default`."""
    name = deployment.get_name() or default
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")


def parent_logger() -> PrefectLogAdapter | None:
    """A logger writing into the parent run's log (progress of an ingest inside a nightly run),
    or None for a top-level run."""
    parent = flow_run.get_parent_flow_run_id()
    if parent is None:
        return None
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(str(parent)))
    return flow_run_logger(flow_run=run)


def subflow(flow: Flow[Any, R], what: str) -> Flow[Any, R]:
    """`flow` named `<what> for <this run's name>` (`ingest for nightly-for-2026-12-06`)."""
    return flow.with_options(flow_run_name=f"{what} for {flow_run.get_name()}")


def call_subflow(
    flow: Flow[Any, R], what: str, *args: Any, attempt_started: dt.datetime, **kwargs: Any
) -> tuple[R, bool]:
    """Run `flow` as this run's subflow, named for what it is and tagged as this run.

    Returns its result, and True when the subflow was not run again because an earlier try of
    this run completed it (Prefect returns a completed subflow's persisted result on a retry).
    """
    context = FlowRunContext.get()
    run_tags = list(context.flow_run.tags) if context and context.flow_run else []
    with tags(*run_tags):
        state = cast("State[R]", subflow(flow, what)(*args, **kwargs, return_state=True))
    result = state.result(raise_on_failure=True)
    reused = state.timestamp is not None and state.timestamp < attempt_started
    return result, reused


def committed_since(paths: Paths, started: dt.datetime) -> list[LoadRecord]:
    """The loads committed to the warehouse since `started` (by this run, under the lock)."""
    try:
        return [r for r in read_loads(paths.state_dir) if r.started_at >= started]
    except Exception:  # an unreadable ledger: the summary says nothing rather than fail
        return []


def committed_line(paths: Paths, started: dt.datetime, record: RunRecord) -> str:
    """What a run that did not complete left in the warehouse, in one sentence."""
    loads = committed_since(paths, started)
    if not loads and record.ingest_reused and record.load is not None:
        return f"Committed by an earlier try of this run: load `{record.load.load_id}`."
    if not loads:
        return "Nothing committed: the warehouse is as it was before this run."
    done = ", ".join(f"`{r.load_id}` ({r.files_loaded} files loaded)" for r in loads)
    built = "news.duckdb was rebuilt" if record.built else "news.duckdb was not rebuilt"
    return f"Committed: load {done}; {built}."


@contextmanager
def reporting(default_prefix: str, title: str, paths: Paths) -> Iterator[RunRecord]:
    """Publish the run's summary at the end, completed, failed or cancelled (outermost run only;
    a cancelled run is stopped by a signal, which still passes through here)."""
    record, top = RunRecord(), is_top_level()
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    prefix = artifact_prefix(default_prefix)
    try:
        yield record
    except BaseException as exc:
        if top:
            cancelled = was_cancelled(exc)
            failure = "stopped before the end" if cancelled else one_line(exc)
            failure += f". {committed_line(paths, started, record)}"
            seconds = time.monotonic() - clock
            publish(prefix, title, paths, record, failure, seconds, cancelled=cancelled)
        raise
    if top:
        publish(prefix, title, paths, record, None, time.monotonic() - clock)


def was_cancelled(exc: BaseException) -> bool:
    """Whether `exc` ended the run because it was cancelled. The worker's signal raises a
    BaseException, but one caught inside a DuckDB query comes out as a RuntimeError ("Query
    interrupted"), so the run's own state in the API is asked too."""
    if not isinstance(exc, Exception) or isinstance(exc, CancelledRun):
        return True
    run_id = flow_run.get_id()
    if run_id is None:
        return False
    try:
        with get_client(sync_client=True) as client:
            state = client.read_flow_run(UUID(str(run_id))).state
    except Exception:  # the API is unreachable: the exception is all there is to go on
        return False
    return state is not None and state.type in (StateType.CANCELLING, StateType.CANCELLED)


def publish(
    prefix: str,
    title: str,
    paths: Paths,
    record: RunRecord,
    failure: str | None = None,
    seconds: float | None = None,
    *,
    cancelled: bool = False,
) -> None:
    """The run's Markdown summary and its rejected-files table, under stable keys."""
    markdown = run_markdown(
        title,
        paths,
        record.load,
        record.built,
        failure,
        seconds,
        waited=record.waited,
        since_due=record.since_due,
        cancelled=cancelled,
    )
    if record.ingest_reused and record.load is not None:
        markdown += (
            f"\n\nIngest not run again: load `{record.load.load_id}` was committed by an "
            "earlier try of this run."
        )
    create_markdown_artifact(markdown, key=f"{prefix}-summary", description=title)
    load = record.load
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


def name_upcoming_runs(deployment_name: str = "nightly/nightly", limit: int = 10) -> int:
    """Name the scheduled runs Prefect made for the nightly deployment (it gives them random
    names) as they will be named when they start: `nightly-for-<day>`. Returns how many."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.exceptions import ObjectNotFound

    renamed = 0
    with get_client(sync_client=True) as client:
        try:
            nightly = client.read_deployment_by_name(deployment_name)
        except ObjectNotFound:
            return 0
        upcoming = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                deployment_id=FlowRunFilterDeploymentId(any_=[nightly.id]),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
            ),
            limit=limit,
        )
        for run in upcoming:
            if not run.auto_scheduled or run.expected_start_time is None:
                continue
            name = f"nightly-for-{run_day(run.expected_start_time)}"
            if run.name != name:
                client.update_flow_run(run.id, name=name)
                renamed += 1
    return renamed


def keep_naming_upcoming_runs(every_seconds: float = 60) -> None:
    """name_upcoming_runs() now and then, for ever (a daemon thread of the serving process)."""
    while True:
        try:
            name_upcoming_runs()
        except Exception as exc:  # a busy server: the next round names them
            print(f"upcoming runs not named: {exc}", file=sys.stderr, flush=True)
        time.sleep(every_seconds)
