"""The ingest flow: new and changed raw files into the Parquet tables."""

from __future__ import annotations

import datetime as dt
import re

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from newsetl.discover import Plan, RawFile
from newsetl.ingest import Load, LoadSummary
from newsetl.process import BatchResult
from newsetl.report import file_counts_line, load_markdown
from newsetl.settings import resolve_paths


@task(name="discover raw files", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def discover(load: Load) -> Plan:
    """List raw/ and compare it with the manifest."""
    plan = load.discover()
    get_run_logger().info(
        "%d files in %s: %d to read, %d unchanged",
        plan.files_seen,
        load.paths.raw_dir,
        len(plan.to_read),
        len(plan.unchanged),
    )
    return plan


@task(name="process batch", task_run_name="process {name}", cache_policy=NO_CACHE)
def process(load: Load, name: str, batch: list[RawFile]) -> BatchResult:
    """Read, parse, clean and stage one batch of files."""
    return load.process(name, batch)


@task(name="merge and commit", cache_policy=NO_CACHE)
def finish(load: Load, results: list[BatchResult]) -> LoadSummary:
    """Replace the touched partitions, then commit the manifest and the ledger."""
    return load.finish(results)


def _artifact_key(kind: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", f"{kind}-load-summary".lower())


@flow(name="ingest", log_prints=True)
def ingest_flow(
    raw_dir: str | None = None,
    warehouse_dir: str | None = None,
    full_refresh: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> LoadSummary:
    """Ingest new and changed raw files (or a date range, or everything) into the warehouse."""
    logger = get_run_logger()
    kind = "full-refresh" if full_refresh else "backfill" if since or until else "incremental"
    load = Load(
        resolve_paths(raw_dir, warehouse_dir),
        kind=kind,
        full_refresh=full_refresh,
        since=since,
        until=until,
    )
    plan = discover(load)
    results: list[BatchResult] = []
    done = 0
    for name, batch in load.batches():
        results.append(process(load, name, batch))
        done += len(batch)
        logger.info("processed %d/%d files", done, len(plan.to_read))
    summary = finish(load, results)
    logger.info("load %s: %s", summary.load_id, file_counts_line(summary))
    create_markdown_artifact(load_markdown(summary), key=_artifact_key(kind))
    if summary.rejects:
        create_table_artifact(
            [
                {"source_file": r.source_file, "reason": r.reason, "detail": r.detail}
                for r in summary.rejects
            ],
            key="rejected-files",
            description=f"Files rejected by load {summary.load_id}",
        )
    return summary
