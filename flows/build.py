"""The build flow: SQL models in sql/ into a fresh warehouse/news.duckdb."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from newsetl.build import BuildSummary, build_database
from newsetl.settings import resolve_paths


@task(name="build database", cache_policy=NO_CACHE)
def build(warehouse_dir: str | None) -> BuildSummary:
    """Run the models and SQL tests into a new file, then swap it in."""
    return build_database(resolve_paths(None, warehouse_dir))


@flow(name="build")
def build_flow(warehouse_dir: str | None = None) -> BuildSummary:
    """Rebuild news.duckdb (views, tests) over the Parquet tables."""
    summary = build(warehouse_dir)
    get_run_logger().info(
        "built %s: %d models, %d SQL tests passed",
        summary.database,
        len(summary.models),
        len(summary.tests),
    )
    return summary
