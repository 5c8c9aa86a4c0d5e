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
# How many bytes of raw files a batch reads before it parses them (newsetl.process.read_ahead).
READ_AHEAD_BYTES = 4 * 1024 * 1024

# Warehouse layout: the data tables, then the pipeline's own state.
ARTICLES_TABLE = "articles"
PHOTOS_TABLE = "article_photos"
DATA_TABLES = (ARTICLES_TABLE, PHOTOS_TABLE)
# Tables computed from the data tables by each load, partitioned like articles; the article
# merge (DATA_TABLES) never touches them.
TERMS_TABLE = "term_counts"
# The full-text search index: postings (article x porter stem) and document lengths.
SEARCH_TERMS_TABLE = "search_terms"
SEARCH_DOCUMENTS_TABLE = "search_documents"
DERIVED_TABLES = (TERMS_TABLE, SEARCH_TERMS_TABLE, SEARCH_DOCUMENTS_TABLE)
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
# A load's private staging files: Arrow IPC, uncompressed (see write.stage_by_partition).
STAGED_FILE_SUFFIX = ".arrow"
# How many staging files the merge keeps open (write.StagedFiles), below a process's usual
# limit of 1,024 open files. The merges read one table's files, then the other's: all of a
# table's stay open up to 512 batches, a million articles.
STAGED_FILES_OPEN = 512
# A warehouse published to a URL (newsetl.warehouse_store): the local working copy's folder,
# the pointer object naming the store's current snapshot, and the record of what the published
# news.duckdb was built from (its snapshot, then the build's fingerprint).
WAREHOUSE_WORK_DIR_ENV = "NEWSETL_WAREHOUSE_WORK_DIR"
STORE_CURRENT = "CURRENT"
PUBLISHED_DATABASE = "news.duckdb.built-from"


@dataclass(frozen=True)
class Paths:
    """Resolved locations of the raw input and the warehouse.

    `raw_location` is an absolute local folder or an fsspec URL (`s3://bucket/raw`): a string,
    so it travels to pool and Dask workers as is and each opens it there (newsetl.raw_store).
    `warehouse_dir` is always a local folder; with `warehouse_url` set it is the working copy
    of the warehouse published there (newsetl.warehouse_store).
    """

    raw_location: str
    warehouse_dir: Path
    warehouse_url: str | None = None

    @property
    def raw_is_local(self) -> bool:
        """True when the raw files are in a folder on this machine (not behind a URL)."""
        from newsetl.raw_store import is_url

        return not is_url(self.raw_location)

    @property
    def raw_dir(self) -> Path:
        """The raw folder on this machine; ValueError when the raw location is a URL."""
        if not self.raw_is_local:
            raise ValueError(
                f"raw location {self.raw_location} is a URL: this needs a local raw folder"
            )
        return Path(self.raw_location)

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
    """Paths from explicit values, else the environment, else the defaults, made absolute.

    Either may be an fsspec URL; a `file://` URL becomes the local path it names. A warehouse
    URL is worked on in a local copy (see newsetl.warehouse_store.work_dir_for).
    """
    # Imported here: raw_store imports newsetl.parse, which imports these settings.
    from newsetl.raw_store import is_url, normalise_location
    from newsetl.warehouse_store import work_dir_for

    raw = raw_dir or os.environ.get(RAW_DIR_ENV) or DEFAULT_RAW_DIR
    warehouse = normalise_location(
        warehouse_dir or os.environ.get(WAREHOUSE_DIR_ENV) or DEFAULT_WAREHOUSE_DIR
    )
    if is_url(warehouse):
        return Paths(normalise_location(raw), work_dir_for(warehouse), warehouse)
    return Paths(normalise_location(raw), Path(warehouse))


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

# DuckDB's memory limit while a load computes the derived tables of the partitions it touched
# (two at a time on two cores); past it DuckDB spills to the load's staging directory. Measured
# on 12 months of a 1M-article archive: 300MB holds the step's peak ~0.13 GB lower than no limit,
# for ~18% more time in that step. Not every operator spills: a month of ~140,000 articles
# overran it, and such a month is computed again under DuckDB's own limit (derived.py).
DERIVED_MEMORY_LIMIT = "300MB"
# With that limit, DuckDB's allocator also hands freed memory back past this much instead of its
# default 128 MiB (and 512 MiB after a bulk free): a 1M-article `newsetl ingest` peaked at
# 1,302 MB for its process tree instead of 1,463 MB (bench/ingest_memory.py).
DERIVED_ALLOCATOR_FLUSH = "16MB"

# --- Issue #5, the analyst's warehouse. ---
# DuckDB's memory limit while building news.duckdb (its SQL tests scan whole tables); past it
# DuckDB spills to a temporary directory beside the database. Its own default, 80% of RAM, let a
# 1M-article build peak near 14 GB when the build still made a full-text index. A quarter of RAM,
# or the environment variable (e.g. "8GB").
BUILD_MEMORY_LIMIT_ENV = "NEWSETL_BUILD_MEMORY_LIMIT"
BUILD_MEMORY_LIMIT = (
    os.environ.get(BUILD_MEMORY_LIMIT_ENV)
    or f"{max(1024, os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 4 // 2**20)}MiB"
)

# --- Issue #22, operators: alerts, the writer queue, the production worker. ---
# Where `make serve` / `make worker` send alerts: a URL that takes a JSON POST (its "text" field
# suits a Slack incoming webhook as it is), or the name of a notification block made in the UI
# (`slack-webhook/ops`, `sendgrid-email/oncall`). With neither, alerts go to ALERT_LOG_FILE in
# PREFECT_HOME, written by the serving process.
ALERT_WEBHOOK_ENV = "NEWSETL_ALERT_WEBHOOK"
ALERT_BLOCK_ENV = "NEWSETL_ALERT_BLOCK"
ALERT_LOG_FILE = "newsetl-alerts.log"
# A scheduled run still Late this long after it turned Late raises an alert (5 minutes).
LATE_ALERT_SECONDS_ENV = "NEWSETL_LATE_ALERT_SECONDS"
LATE_ALERT_SECONDS = int(os.environ.get(LATE_ALERT_SECONDS_ENV) or 300)
# The longest a run waiting for the writer slot sleeps between two tries (Prefect's server caps
# its Retry-After at 30 s by default, which left the slot idle ~25 s after a run freed it).
WRITER_SLOT_RETRY_SECONDS = 2
# The process work pool that `make worker` and the production worker poll.
WORK_POOL = "newsetl"
