"""The build flow: SQL models in sql/ into a fresh warehouse/news.duckdb."""

# No `from __future__ import annotations`: Prefect reads the flows' parameter types at run time
# through flows.failures.reported's wrapper, whose globals are not this module's.

import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.failures import one_line, reported
from flows.params import BuildParams, OnlyIfChangedField, WarehouseDirField, checked
from flows.runs import io_task, reporting, run_name, step, writer_slot
from newsetl.report import build_text
from newsetl.settings import Settings
from newsetl.store.paths import Paths, resolve_paths
from newsetl.warehouse.build import BuildSummary, build_database
from newsetl.warehouse.charts import write_report
from newsetl.warehouse.connect import connect


@io_task("build database")
def build(paths: Paths, only_if_changed: bool, memory_limit: str) -> BuildSummary:
    """Run the models and SQL tests into a new file, then swap it in."""
    return build_database(paths, only_if_changed=only_if_changed, memory_limit=memory_limit)


def draw_report(paths: Paths, settings: Settings) -> Path | None:
    """warehouse/report.html from the database in place, for the run's summary to link; None,
    with a warning, when it cannot be drawn (the `report` extra missing): the data is built."""
    try:
        with connect(paths.warehouse_dir, settings=settings) as con:
            return write_report(con, paths.warehouse_dir)
    except Exception as exc:
        get_run_logger().warning(f"report.html not drawn: {one_line(exc)}")
        return None


def _build_run_name() -> str:
    day = flow_run.get_scheduled_start_time().astimezone(dt.UTC).date()
    return run_name(f"rebuild-{day}", flow_run.get_parameters().get("warehouse_dir"))


@flow(name="build", flow_run_name=_build_run_name, persist_result=True)
@reported
def build_flow(
    warehouse_dir: WarehouseDirField = "", only_if_changed: OnlyIfChangedField = False
) -> BuildSummary:
    """Rebuild news.duckdb (views, tests) over the Parquet tables."""
    params = checked(BuildParams, warehouse_dir=warehouse_dir, only_if_changed=only_if_changed)
    settings = Settings.from_env()  # this run's: a served run has no command line before it
    paths = resolve_paths(None, params.warehouse_dir, settings)
    title = "Rebuild news.duckdb"
    with (
        reporting("build", title, paths) as record,
        writer_slot(record),
        step("build database"),
    ):
        record.built = build(paths, params.only_if_changed, settings.build_memory_limit)
        record.built.report = draw_report(paths, settings)
    get_run_logger().info(build_text(record.built).splitlines()[0])
    return record.built
