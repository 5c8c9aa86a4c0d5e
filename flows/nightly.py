"""The flows operators run: the nightly job and a backfill, each an ingest then a build."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.build import build_flow
from flows.ingest import ingest_flow
from flows.params import BackfillParams, BuildParams, NightlyParams
from flows.runs import reporting, scheduled_day, step, writer_slot
from newsetl.load.ingest import LoadSummary
from newsetl.settings import Settings
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import BuildSummary


def _nightly_run_name() -> str:
    params = flow_run.get_parameters().get("params") or {}
    full = params.full_refresh if isinstance(params, NightlyParams) else params.get("full_refresh")
    day = scheduled_day(Settings.from_env().schedule_timezone)
    return f"{'full-refresh' if full else 'nightly'}-for-{day}"


@flow(name="nightly", flow_run_name=_nightly_run_name)
def nightly_flow(
    params: NightlyParams = NightlyParams(),  # noqa: B008 - frozen model
) -> tuple[LoadSummary, BuildSummary]:
    """Ingest new and changed raw files, then rebuild the warehouse database."""
    settings = Settings.from_env()
    day = scheduled_day(settings.schedule_timezone)
    paths = resolve_paths(params.raw_dir, params.warehouse_dir, settings)
    title = f"{'Full refresh' if params.full_refresh else 'Nightly'} for {day}"
    get_run_logger().info("%s (from the scheduled start, not the clock)", title)
    with reporting("nightly", title, paths) as record, writer_slot():
        with step("ingest"):
            record.load = ingest_flow(
                params.raw_dir,
                params.warehouse_dir,
                full_refresh=params.full_refresh,
                allow_shrink=params.allow_shrink,
                task_runner=params.task_runner,
                dask_address=params.dask_address,
            )
        with step("build"):
            record.built = build_flow(
                BuildParams(warehouse_dir=params.warehouse_dir, only_if_changed=True)
            )
    return record.load, record.built


@flow(name="backfill", flow_run_name="backfill-{params.since}-to-{params.until}")
def backfill_flow(params: BackfillParams) -> tuple[LoadSummary, BuildSummary]:
    """Reprocess the raw files whose articles fall between since and until, then rebuild."""
    paths = resolve_paths(params.raw_dir, params.warehouse_dir, Settings.from_env())
    title = f"Backfill {params.since} to {params.until}"
    with reporting("backfill", title, paths) as record, writer_slot():
        with step("ingest"):
            record.load = ingest_flow(
                params.raw_dir,
                params.warehouse_dir,
                since=params.since,
                until=params.until,
                allow_shrink=params.allow_shrink,
                task_runner=params.task_runner,
                dask_address=params.dask_address,
            )
        with step("build"):
            record.built = build_flow(BuildParams(warehouse_dir=params.warehouse_dir))
    return record.load, record.built
