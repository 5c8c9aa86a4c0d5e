"""The build flow: SQL models in sql/ into a fresh warehouse/news.duckdb."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.params import BuildParams
from flows.runs import io_error, reporting, step, writer_slot
from newsetl.build import BuildSummary, build_database
from newsetl.report import build_text
from newsetl.settings import Paths, resolve_paths


@task(
    name="build database",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
    retry_condition_fn=io_error,
)
def build(paths: Paths, only_if_changed: bool = False) -> BuildSummary:
    """Run the models and SQL tests into a new file, then swap it in."""
    return build_database(paths, only_if_changed=only_if_changed)


@flow(name="build")
def build_flow(params: BuildParams = BuildParams()) -> BuildSummary:  # noqa: B008 - frozen
    """Rebuild news.duckdb (views, tests) over the Parquet tables."""
    paths = resolve_paths(None, params.warehouse_dir)
    title = "Rebuild news.duckdb"
    with reporting("build", title, paths) as record, writer_slot(), step("build database"):
        record.built = build(paths, params.only_if_changed)
    get_run_logger().info(build_text(record.built).splitlines()[0])
    return record.built
