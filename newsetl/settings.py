"""Constants and path settings shared by every newsetl module."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

RAW_DIR_ENV = "NEWSETL_RAW_DIR"
WAREHOUSE_DIR_ENV = "NEWSETL_WAREHOUSE_DIR"
DEFAULT_RAW_DIR = Path("raw")
DEFAULT_WAREHOUSE_DIR = Path("warehouse")

# The scraper writes this where a header value is missing; it always means NULL.
PLACEHOLDER = "Author details not found"

# File names the scraper produces: a running number, then the article's stable 16-hex id.
RAW_FILE_SUFFIX = ".txt"
RAW_NAME_PATTERN = r"^\d+_(?P<article_id>[0-9a-f]{16})\.txt$"

# Files larger than this are rejected unread: no real article is anywhere near it.
MAX_FILE_BYTES_ENV = "NEWSETL_MAX_FILE_BYTES"
MAX_FILE_BYTES = int(os.environ.get(MAX_FILE_BYTES_ENV, 16 * 1024 * 1024))

# Files per parse/clean task: coarse enough that the Prefect server never sees thousands of tasks.
BATCH_SIZE = 2_000

# Warehouse layout: the data tables, then the pipeline's own state.
ARTICLES_TABLE = "articles"
PHOTOS_TABLE = "article_photos"
DATA_TABLES = (ARTICLES_TABLE, PHOTOS_TABLE)
STATE_DIR = "_state"
STAGING_DIR = "_staging"
MANIFEST_FILE = "manifest.parquet"
LOADS_FILE = "loads.parquet"
REJECTS_FILE = "rejected_files.parquet"
DATABASE_FILE = "news.duckdb"
PARTITION_FILE = "part-0.parquet"
# Hive's name for a NULL partition value; DuckDB reads it back as NULL.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

PARQUET_COMPRESSION = "zstd"
PARQUET_ROW_GROUP_SIZE = 64_000


@dataclass(frozen=True)
class Paths:
    """Resolved, absolute locations of the raw input and the warehouse."""

    raw_dir: Path
    warehouse_dir: Path

    @property
    def state_dir(self) -> Path:
        return self.warehouse_dir / STATE_DIR

    @property
    def staging_dir(self) -> Path:
        return self.warehouse_dir / STAGING_DIR

    @property
    def database(self) -> Path:
        return self.warehouse_dir / DATABASE_FILE

    def table_dir(self, table: str) -> Path:
        return self.warehouse_dir / table


def resolve_paths(
    raw_dir: str | Path | None = None, warehouse_dir: str | Path | None = None
) -> Paths:
    """Paths from explicit values, else the environment, else the defaults, made absolute."""
    raw = raw_dir or os.environ.get(RAW_DIR_ENV) or DEFAULT_RAW_DIR
    warehouse = warehouse_dir or os.environ.get(WAREHOUSE_DIR_ENV) or DEFAULT_WAREHOUSE_DIR
    return Paths(Path(raw).expanduser().resolve(), Path(warehouse).expanduser().resolve())


# --- Issue #6, operating from Prefect: the schedule and the writers' lock, set here only. ---
# The nightly deployment's cron and the time zone it is read in (IANA name; override with the
# environment variable when the operators' day is not UTC's).
SCHEDULE_TIMEZONE_ENV = "NEWSETL_SCHEDULE_TIMEZONE"
SCHEDULE_TIMEZONE = os.environ.get(SCHEDULE_TIMEZONE_ENV) or "UTC"
NIGHTLY_CRON = "0 2 * * *"
# The Prefect global concurrency limit (1 slot) that every run writing the warehouse holds.
WRITER_CONCURRENCY_LIMIT = "newsetl-warehouse-writer"

# --- Issue #7, performance and scale-out. ---
# Worker processes for parse/clean (pure Python, CPU-bound): one per core by default.
PROCESS_WORKERS_ENV = "NEWSETL_WORKERS"
PROCESS_WORKERS = int(os.environ.get(PROCESS_WORKERS_ENV) or os.cpu_count() or 1)
# Where `--task-runner` sends the batches: this machine's process pool, or a Dask cluster.
TASK_RUNNERS = ("local", "dask")
TASK_RUNNER_ENV = "NEWSETL_TASK_RUNNER"
DASK_ADDRESS_ENV = "NEWSETL_DASK_ADDRESS"
