"""The flows operators run: the nightly job and a backfill, each an ingest then a build."""

# No `from __future__ import annotations`: Prefect reads the flows' parameter types at run time
# through flows.failures.reported's wrapper, whose globals are not this module's.

import datetime as dt

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.build import build_flow
from flows.failures import reported
from flows.ingest import ingest_flow
from flows.params import (
    AllowShrinkField,
    BackfillParams,
    DaskAddressField,
    FullRefreshField,
    IngestParams,
    NightlyParams,
    RawDirField,
    SinceField,
    TaskRunnerField,
    UntilField,
    WarehouseDirField,
    checked,
)
from flows.runs import call_subflow, reporting, run_name, scheduled_day, step, writer_slot
from newsetl.load.ingest import LoadSummary
from newsetl.report import build_text, file_counts_line
from newsetl.settings import Settings
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import BuildSummary


def _nightly_run_name() -> str:
    params = flow_run.get_parameters()
    stem = "full-refresh" if params.get("full_refresh") else "nightly"
    day = scheduled_day(Settings.from_env().schedule_timezone)
    return run_name(f"{stem}-for-{day}", params.get("warehouse_dir"))


def _backfill_run_name() -> str:
    params = flow_run.get_parameters()
    stem = f"backfill-{params.get('since')}-to-{params.get('until')}"
    return run_name(stem, params.get("warehouse_dir"))


def ingest_then_build(
    params: NightlyParams | BackfillParams, prefix: str, title: str
) -> tuple[LoadSummary, BuildSummary]:
    """The ingest subflow, then the build subflow, in the writer slot, with the result lines
    in this run's log. A retry after a failed build does not ingest again."""
    attempt_started = dt.datetime.now(dt.UTC)
    logger = get_run_logger()
    paths = resolve_paths(params.raw_dir, params.warehouse_dir, Settings.from_env())
    with reporting(prefix, title, paths) as record, writer_slot(record):
        with step("ingest"):
            load, record.ingest_reused = call_subflow(
                ingest_flow, "ingest", IngestParams.of(params), attempt_started=attempt_started
            )
        record.load = load
        if record.ingest_reused:
            logger.info(
                "ingest not run again: load %s was committed by an earlier try of this run",
                load.load_id,
            )
        logger.info("load %s: %s", load.load_id, file_counts_line(load))
        with step("build"):
            built, _ = call_subflow(
                build_flow,
                "build",
                warehouse_dir=params.warehouse_dir or "",
                # A backfill rebuilds even when its load changed nothing, as asked.
                only_if_changed=isinstance(params, NightlyParams),
                attempt_started=attempt_started,
            )
        record.built = built
        logger.info(build_text(built).splitlines()[0])
    return load, built


@flow(name="nightly", flow_run_name=_nightly_run_name)
@reported
def nightly_flow(
    raw_dir: RawDirField = "",
    warehouse_dir: WarehouseDirField = "",
    full_refresh: FullRefreshField = False,
    allow_shrink: AllowShrinkField = False,
    task_runner: TaskRunnerField = "",
    dask_address: DaskAddressField = "",
) -> tuple[LoadSummary, BuildSummary]:
    """Ingest new and changed raw files, then rebuild the warehouse database."""
    params = checked(
        NightlyParams,
        raw_dir=raw_dir,
        warehouse_dir=warehouse_dir,
        full_refresh=full_refresh,
        allow_shrink=allow_shrink,
        task_runner=task_runner,
        dask_address=dask_address,
    )
    day = scheduled_day(Settings.from_env().schedule_timezone)
    title = f"{'Full refresh' if params.full_refresh else 'Nightly'} for {day}"
    get_run_logger().info("%s (from the scheduled start, not the clock)", title)
    return ingest_then_build(params, "nightly", title)


@flow(name="backfill", flow_run_name=_backfill_run_name)
@reported
def backfill_flow(
    since: SinceField,
    until: UntilField,
    raw_dir: RawDirField = "",
    warehouse_dir: WarehouseDirField = "",
    allow_shrink: AllowShrinkField = False,
    task_runner: TaskRunnerField = "",
    dask_address: DaskAddressField = "",
) -> tuple[LoadSummary, BuildSummary]:
    """Reprocess the raw files whose articles fall between since and until, then rebuild."""
    params = checked(
        BackfillParams,
        since=since,
        until=until,
        raw_dir=raw_dir,
        warehouse_dir=warehouse_dir,
        allow_shrink=allow_shrink,
        task_runner=task_runner,
        dask_address=dask_address,
    )
    title = f"Backfill {params.since} to {params.until}"
    return ingest_then_build(params, "backfill", title)
