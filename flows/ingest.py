"""The ingest flow: new and changed raw files into the Parquet tables."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.runs import io_error, reporting, step, writer_slot
from newsetl.discover import Plan, RawFile
from newsetl.ingest import Load, LoadSummary
from newsetl.process import BatchResult
from newsetl.report import file_counts_line
from newsetl.settings import resolve_paths


@task(
    name="discover raw files",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
    retry_condition_fn=io_error,
)
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
    """Write the touched partitions, then commit the manifest and the ledger."""
    return load.finish(results)


@flow(name="ingest")
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
    paths = resolve_paths(raw_dir, warehouse_dir)
    load = Load(paths, kind=kind, full_refresh=full_refresh, since=since, until=until)
    with reporting("ingest", f"Ingest ({kind})", paths) as record, writer_slot(), load:
        with step("discover raw files"):
            plan = discover(load)
        results: list[BatchResult] = []
        done = 0
        for name, batch in load.batches():
            with step(f"process {name}"):
                results.append(process(load, name, batch))
            done += len(batch)
            logger.info("processed %d/%d files", done, len(plan.to_read))
        with step("merge and commit"):
            record.load = finish(load, results)
    logger.info("load %s: %s", record.load.load_id, file_counts_line(record.load))
    return record.load
