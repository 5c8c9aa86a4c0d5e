"""The build flow: SQL models in sql/ into a fresh warehouse/news.duckdb."""

from __future__ import annotations

from prefect import flow, get_run_logger

from flows.params import BuildParams
from flows.runs import io_task, reporting, step, writer_slot
from newsetl.report import build_text
from newsetl.settings import Settings
from newsetl.store.paths import Paths, resolve_paths
from newsetl.warehouse.build import BuildSummary, build_database


@io_task("build database")
def build(paths: Paths, only_if_changed: bool, memory_limit: str) -> BuildSummary:
    """Run the models and SQL tests into a new file, then swap it in."""
    return build_database(paths, only_if_changed=only_if_changed, memory_limit=memory_limit)


@flow(name="build")
def build_flow(params: BuildParams = BuildParams()) -> BuildSummary:  # noqa: B008 - frozen
    """Rebuild news.duckdb (views, tests) over the Parquet tables."""
    settings = Settings.from_env()
    paths = resolve_paths(None, params.warehouse_dir, settings)
    title = "Rebuild news.duckdb"
    with reporting("build", title, paths) as record, writer_slot(), step("build database"):
        record.built = build(paths, params.only_if_changed, settings.build_memory_limit)
    get_run_logger().info(build_text(record.built).splitlines()[0])
    return record.built
