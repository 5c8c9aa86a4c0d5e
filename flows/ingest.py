"""The ingest flow: new and changed raw files into the Parquet tables."""

# No `from __future__ import annotations`: Prefect reads the flows' parameter types at run time
# through flows.failures.reported's wrapper, whose globals are not this module's.

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.failures import reported
from flows.params import IngestParams
from flows.runs import io_task, parent_logger, reporting, step, writer_slot
from newsetl.load.discover import Plan
from newsetl.load.ingest import Load, LoadSummary
from newsetl.load.process import BatchJob, BatchPool, BatchResult, run_job
from newsetl.report import file_counts_line
from newsetl.settings import TASK_RUNNERS, Settings
from newsetl.store.paths import resolve_paths


@io_task("discover raw files")
def discover(load: Load) -> Plan:
    """List raw/ and compare it with the manifest."""
    plan = load.discover()
    get_run_logger().info(
        "%d files in %s: %d to read, %d unchanged",
        plan.files_seen,
        load.paths.raw_location,
        len(plan.to_read),
        len(plan.unchanged),
    )
    if plan.unlisted:
        get_run_logger().warning(
            "%d folders of %s could not be listed (%s): the %d files known under them keep "
            "their rows; rejected_files says why",
            len(plan.unlisted),
            load.paths.raw_location,
            ", ".join(plan.unlisted[:5]),
            len(plan.unknown),
        )
    return plan


@task(
    name="process batch",
    task_run_name="process {job.batch_name}",
    cache_policy=NO_CACHE,
    persist_result=False,
)
def process(job: BatchJob, pool: BatchPool | None) -> BatchResult:
    """Read, parse, clean and stage one batch of files.

    A local run's task runs in a thread of the flow's process and hands its batch to the
    process pool (parse/clean are CPU-bound Python: threads alone would share one core); on a
    Dask worker `pool` is None and the task processes its batch in place.
    """
    return run_job(job) if pool is None else pool.submit(job).result()


@task(name="merge and commit", cache_policy=NO_CACHE, persist_result=False)
def finish(load: Load, results: list[BatchResult]) -> LoadSummary:
    """Write the touched partitions, then commit the manifest and the ledger."""
    return load.finish(results)


def task_runner_for(name: str, dask_address: str | None, workers: int) -> TaskRunner[Any]:
    """The runner of the batch tasks: threads feeding this machine's process pool, or Dask.

    `dask` connects to `dask_address`, else starts a LocalCluster of `workers` single-threaded
    worker processes for the length of the run.
    """
    if name not in TASK_RUNNERS:
        raise ValueError(f"task runner {name!r}: expected one of {', '.join(TASK_RUNNERS)}")
    if name == "local":
        return ThreadPoolTaskRunner(max_workers=max(1, workers))
    # Imported only when asked for: it loads distributed, which a local run never needs.
    from prefect_dask.task_runners import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}
    )


@contextmanager
def _local_pool_for(runner_name: str, workers: int) -> Iterator[BatchPool | None]:
    if runner_name != "local":
        yield None
        return
    with BatchPool(workers) as pool:
        yield pool


def process_batches(load: Load, task_runner: str, dask_address: str | None) -> list[BatchResult]:
    """Every batch as a task on the chosen runner, results in batch order.

    At most two batches per worker are in flight, so memory is bounded by that window. Progress
    goes to this run's log, and to its parent's (a nightly run's) too.
    """
    loggers = [get_run_logger(), parent_logger()]
    batches = -(-len(load.plan.to_read) // load.batch_size)
    workers = max(1, min(load.workers, batches))
    results: list[BatchResult] = []
    window: deque[tuple[str, int, PrefectFuture[BatchResult]]] = deque()
    done = 0

    def collect() -> None:
        nonlocal done
        name, size, future = window.popleft()
        with step(f"process {name}"):
            results.append(future.result())
        done += size
        for logger in loggers:
            if logger is not None:
                logger.info("processed %d/%d files", done, len(load.plan.to_read))

    runner = task_runner_for(task_runner, dask_address, workers)
    with _local_pool_for(task_runner, workers) as pool, runner as started:
        for job in load.jobs():
            # Prefect walks a task's parameters three times looking for futures, and a job holds
            # none: `quote` spares the walks through its 2,000 files (~25 ms of CPU each; 2-6 s
            # of the flow's ~35 s of CPU at 100k articles, README). Not on Dask, whose argument
            # packing turns the annotation (a named tuple) into a plain tuple.
            local = task_runner == "local"
            parameters = {"job": quote(job), "pool": quote(pool)} if local else {"job": job}
            submitted = started.submit(process, {"pool": None, **parameters})
            window.append((job.batch_name, len(job.files), submitted))
            if len(window) >= 2 * workers:
                collect()
        while window:
            collect()
    return results


@flow(name="ingest", persist_result=True)
@reported
def ingest_flow(params: IngestParams = IngestParams()) -> LoadSummary:  # noqa: B008 - frozen
    """Ingest new and changed raw files (or a date range, or everything) into the warehouse."""
    logger = get_run_logger()
    settings = Settings.from_env()  # this run's: a served run has no command line before it
    paths = resolve_paths(params.raw_dir, params.warehouse_dir, settings)
    runner, address = params.runner(settings), params.address(settings)
    load = Load(
        paths,
        kind=params.kind,
        full_refresh=params.full_refresh,
        since=params.since,
        until=params.until,
        batch_size=params.batch_size,
        max_file_bytes=settings.max_file_bytes,
        read_timeout=settings.read_timeout_seconds,
        workers=settings.workers,
        retention_hours=settings.snapshot_retention_hours,
        allow_shrink=params.allow_shrink,
        # A cluster elsewhere shares no disk with this process: its workers stage on the
        # warehouse's store when it has one (a LocalCluster stages on this machine's disk).
        stage_on_store=runner == "dask" and address is not None,
    )
    title = f"Ingest ({params.kind})"
    with reporting("ingest", title, paths) as record, writer_slot(record), load:
        with step("discover raw files"):
            discover(load)
        results = process_batches(load, runner, address)
        with step("merge and commit"):
            record.load = finish(load, results)
    logger.info("load %s: %s", record.load.load_id, file_counts_line(record.load))
    return record.load
