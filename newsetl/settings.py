"""Constants shared by every newsetl module, and the Settings a command reads from its environment.

The constants are plain values, the same everywhere. What an operator may change is read from
NEWSETL_* variables once, when a command or a flow run starts (`Settings.from_env`), and passed
down as a `Settings`: importing newsetl reads no environment.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

RAW_DIR_ENV = "NEWSETL_RAW_DIR"
WAREHOUSE_DIR_ENV = "NEWSETL_WAREHOUSE_DIR"
DEFAULT_RAW_DIR = Path("raw")
DEFAULT_WAREHOUSE_DIR = Path("warehouse")

# The scraper writes this where a header value is missing; it always means NULL.
PLACEHOLDER = "Author details not found"

# File names the scraper produces: a running number, then the article's stable 16-hex id.
RAW_FILE_SUFFIX = ".txt"
RAW_NAME_PATTERN = r"^\d+_(?P<article_id>[0-9a-f]{16})\.txt$"

# A listing that lost more than this share of the files the manifest knows is refused (unless
# --allow-shrink): an archive grows night by night, and a publisher's takedown removes a few
# files, not half; losing most of them is what an unmounted share, an empty or mistyped folder,
# or a folder an account cannot read look like. Half leaves room for a deliberate cleanup of a
# small warehouse and still stops every such fault, which loses (nearly) everything.
RAW_SHRINK_LIMIT = 0.5
# The same share of the warehouse's articles: a load that would remove more, for any reason
# (files gone, files still listed but now rejected: links to moved files, files a failed sync
# emptied), is refused before it writes anything, unless --allow-shrink.
ARTICLES_SHRINK_LIMIT = 0.5

# Published dates outside a plausible range are not believed: the parser makes them NULL with a
# `date:implausible` note, as it does an impossible date, so one mistyped file (2099, 1969,
# 0001, 9999) never fails the build's published_date_in_range test. Nothing of the archive is
# older than 1990 (the Global Times began in 1993). The latest is the day the load started
# (UTC) plus PUBLISHED_DAYS_AHEAD: an article dated tomorrow in Beijing is dated today in UTC.
EARLIEST_PUBLISHED_DATE = dt.date(1990, 1, 1)
PUBLISHED_DAYS_AHEAD = 1


def latest_published_date(started_at: dt.datetime | None = None) -> dt.date:
    """The latest plausible published date for a load started at `started_at` (default: now)."""
    day = (started_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).date()
    return day + dt.timedelta(days=PUBLISHED_DAYS_AHEAD)


# Files larger than this are rejected unread: no real article is anywhere near it. The
# variable takes bytes or a size with a suffix, such as 16M or 512KiB (parse_size).
MAX_FILE_BYTES_ENV = "NEWSETL_MAX_FILE_BYTES"
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024
# A read of one raw file (open, stat, read) that takes longer is abandoned and the file rejected
# (read_timeout); a second one in the same batch while the first still hangs stops the run. A
# healthy disk reads the largest file allowed in milliseconds, and a share at 1 MB/s in ~17 s:
# a minute is only ever passed by a hung mount or device.
READ_TIMEOUT_ENV = "NEWSETL_READ_TIMEOUT_SECONDS"
DEFAULT_READ_TIMEOUT_SECONDS = 60.0

# Files per parse/clean task: coarse enough that the Prefect server never sees thousands of tasks.
BATCH_SIZE = 2_000
# How many bytes of raw files a batch reads before it parses them (newsetl.load.process.read_ahead).
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
# Where each word (stop words too) stands in each article: read by phrase searches only.
SEARCH_POSITIONS_TABLE = "search_positions"
DERIVED_TABLES = (TERMS_TABLE, SEARCH_TERMS_TABLE, SEARCH_DOCUMENTS_TABLE, SEARCH_POSITIONS_TABLE)
# Stamped into every derived table's Parquet file (key-value metadata, DERIVED_VERSION_KEY): a
# load recomputes a partition whose files carry another version (or none), as it does one that
# lacks a file. Raise it whenever the words or the columns a derived table holds change.
# 2: search words with digits and dots (5g, u.s, 2022; sql/search/search_tokens.sql) and
# title_mentions in search_terms. 3: `US` in capitals is the country, indexed as u.s (it was
# the stop word us). 4: `published_date` in search_documents (search ranks without articles).
# 5: search_positions (a phrase is checked without reading the text).
DERIVED_VERSION = "5"
DERIVED_VERSION_KEY = "newsetl_derived_version"
STATE_DIR = "_state"
STAGING_DIR = "_staging"
MANIFEST_FILE = "manifest.parquet"
LOADS_FILE = "loads.parquet"
REJECTS_FILE = "rejected_files.parquet"
# Under _state: one Parquet file per load, the articles it added, updated or removed
# (newsetl/load/changes.py), kept in every later snapshot as hard links.
CHANGES_DIR = "article_changes"
# Bylines (lower case) that name a news agency or another outlet, not a person: the authors view's
# kind 'agency'. Other desk bylines (newsetl.text.authors.DESK_BYLINES: Global Times, GT staff
# reporters, ...) are kind 'desk'.
AGENCY_BYLINES = frozenset(
    {
        "agencies",
        "xinhua",
        "xinhua news agency",
        "afp",
        "ap",
        "associated press",
        "the associated press",
        "reuters",
        "cgtn",
        "china daily",
        "chinadaily.com.cn",
        "bloomberg",
    }
)
# Bylines (lower case) of the paper's own that the text's DESK_BYLINES does not list: kind 'desk'.
EDITORIAL_BYLINES = frozenset({"editorial", "global times editorial", "gt editorial"})
DATABASE_FILE = "news.duckdb"
# The charts `make report` and the build flow draw (newsetl/warehouse/charts.py), beside it.
REPORT_FILE = "report.html"
PARTITION_FILE = "part-0.parquet"
# Hive's name for a NULL partition value; DuckDB reads it back as NULL.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

PARQUET_COMPRESSION = "zstd"
PARQUET_ROW_GROUP_SIZE = 64_000
# Rows per row group, where a table wants another size than PARQUET_ROW_GROUP_SIZE. Every row
# group of search_positions repeats the dictionary of its month's ~12,000 article ids: at 1M
# articles 64,000-row groups took 1.2 GB, 256,000-row ones 835 MB, and a phrase read them faster
# (0.29 s against 0.38 s for `"belt and road"`; 1,000,000-row groups: 742 MB, 0.40 s).
# Articles: 2,000 rows, ~5 days of a month, so that search_articles' join of its best 50 (their
# dates and ids) decodes only the bodies of the row groups holding them: at 1M articles its 100
# best took ~0.2 s instead of 0.7 (1,000-row groups: no faster; 4,000: a common word's search
# 0.35 s slower); a query reading a column of every article pays for the row groups (counting
# them by section and month 0.04-0.06 s instead of 0.02-0.03; docs/performance.md).
ROW_GROUP_SIZES = {ARTICLES_TABLE: 2_000, SEARCH_POSITIONS_TABLE: 256_000}


def row_group_size(table: str) -> int:
    """Rows per Parquet row group in `table`'s partition files."""
    return ROW_GROUP_SIZES.get(table, PARQUET_ROW_GROUP_SIZE)


# The order of the rows of a data table's partition file. Articles by date first: the row groups
# above then each hold a few days, which is what lets a join on dates skip the others.
TABLE_SORT_KEYS: dict[str, list[tuple[str, str]]] = {
    ARTICLES_TABLE: [("published_date", "ascending"), ("article_id", "ascending")],
    PHOTOS_TABLE: [("article_id", "ascending"), ("position", "ascending")],
}
# A load's private staging files: Arrow IPC, uncompressed (see write.stage_by_partition).
STAGED_FILE_SUFFIX = ".arrow"
# How many staging files the merge keeps open (write.StagedFiles), below a process's usual
# limit of 1,024 open files. The merges read one table's files, then the other's: all of a
# table's stay open up to 512 batches, a million articles.
STAGED_FILES_OPEN = 512
# How long a snapshot stays on disk after readers stopped being handed it (a newer load was
# committed and a newer news.duckdb swapped in): a connection opened on the old news.duckdb keeps
# answering from it for this long, then gets missing-file errors and must reconnect. A time,
# not a count of snapshots, since what a reader needs is bounded by how long its connection
# stays open, whatever the number of loads meanwhile: a day covers a notebook or dashboard left
# open across the nightly run. It costs the disk of the partitions the newer loads rewrote
# (a night's month at 1M articles, ~0.1 GB; a whole warehouse after a full refresh).
SNAPSHOT_RETENTION_ENV = "NEWSETL_SNAPSHOT_RETENTION_HOURS"
SNAPSHOT_RETENTION_HOURS = 24.0


# The snapshots the news.duckdb in place reads (one, or two while a build swaps), one id a line.
DATABASE_SNAPSHOTS_FILE = ".news.duckdb.snapshots"
# A warehouse published to a URL (newsetl.store.publish): the local working copy's folder,
# the pointer object naming the store's current snapshot, and the record of what the published
# news.duckdb was built from (its snapshot, then the build's fingerprint).
WAREHOUSE_WORK_DIR_ENV = "NEWSETL_WAREHOUSE_WORK_DIR"
STORE_CURRENT = "CURRENT"
PUBLISHED_DATABASE = "news.duckdb.built-from"


# --- Issue #6, operating from Prefect: the schedule and the writers' lock, set here only. ---
# The nightly deployment's cron and the time zone it is read in (IANA name; override with the
# environment variable when the operators' day is not UTC's).
SCHEDULE_TIMEZONE_ENV = "NEWSETL_SCHEDULE_TIMEZONE"
DEFAULT_SCHEDULE_TIMEZONE = "UTC"
NIGHTLY_CRON = "0 2 * * *"
# The Prefect global concurrency limit (1 slot) that every run writing the warehouse holds.
WRITER_CONCURRENCY_LIMIT = "newsetl-warehouse-writer"

# The temporary Prefect server a CLI run starts (without PREFECT_API_URL) gets this long to
# answer: Prefect's own 20 s was too short on a busy 2-core machine. The CLI sets it unless set.
PREFECT_START_TIMEOUT_ENV = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
PREFECT_START_TIMEOUT_SECONDS = 120

# --- Issue #7, performance and scale-out. ---
# Worker processes for parse/clean (pure Python, CPU-bound): one per core by default.
PROCESS_WORKERS_ENV = "NEWSETL_WORKERS"
DEFAULT_WORKERS = os.cpu_count() or 1
# How often a pool worker checks that the process that started it is alive: a parent killed
# with -9 leaves its workers orphaned, holding the run's stdout open (its run stays Running).
PARENT_POLL_SECONDS = 0.5
# Where `--task-runner` sends the batches: this machine's process pool, or a Dask cluster.
TASK_RUNNERS = ("local", "dask")
TASK_RUNNER_ENV = "NEWSETL_TASK_RUNNER"
DEFAULT_TASK_RUNNER = "local"
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
# news.duckdb's file mode: read-only for its owner too (newsetl/warehouse/build.py says why).
DATABASE_MODE = 0o444

# DuckDB's memory limit while building news.duckdb (its SQL tests scan whole tables); past it
# DuckDB spills to a temporary directory beside the database. Its own default, 80% of RAM, let a
# 1M-article build peak near 14 GB when the build still made a full-text index. A quarter of RAM,
# or the environment variable (e.g. "8GB").
BUILD_MEMORY_LIMIT_ENV = "NEWSETL_BUILD_MEMORY_LIMIT"
DEFAULT_BUILD_MEMORY_LIMIT = (
    f"{max(1024, os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 4 // 2**20)}MiB"
)

# The SQL models: inside the package in a wheel (pyproject's force-include), else the checkout's.
_PACKAGED_SQL = Path(__file__).resolve().parent / "sql"
SQL_DIR = (
    _PACKAGED_SQL if _PACKAGED_SQL.is_dir() else Path(__file__).resolve().parent.parent / "sql"
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
LATE_ALERT_SECONDS = 300
# The longest a run waiting for the writer slot sleeps between two tries (Prefect's server caps
# its Retry-After at 30 s by default, which left the slot idle ~25 s after a run freed it).
WRITER_SLOT_RETRY_SECONDS = 2
# The process work pool that `make worker` and the production worker poll.
WORK_POOL = "newsetl"

# --- What an operator sets: NEWSETL_* variables, read once per command into a Settings. ---
# Where a published warehouse's working copy goes by default (the XDG base directory spec).
CACHE_HOME_ENV = "XDG_CACHE_HOME"


class SettingsError(ValueError):
    """An environment variable whose value newsetl cannot use: the message names it and says
    what it expects."""


def warehouse_dir_source(given: str | None, *, show_cwd: bool = False) -> str:
    """Where a command's warehouse dir came from, for a message: `given` (how the caller names
    the one it passed) if it passed one, else NEWSETL_WAREHOUSE_DIR when set, else the default
    (with `show_cwd`, naming the current directory)."""
    if given:
        return given
    if os.environ.get(WAREHOUSE_DIR_ENV):
        return WAREHOUSE_DIR_ENV
    cwd = f" {Path.cwd()}" if show_cwd else ""
    return f"the default, warehouse/ in the current directory{cwd}"


@dataclass(frozen=True, slots=True)
class Settings:
    """What the environment sets (VARIABLES), as plain values; the defaults are the values
    without any variable set.

    A command (the CLI, a flow run, `make serve`) builds one when it starts, with `from_env`,
    and passes it, or the values it holds, down: no newsetl module reads the environment.
    """

    raw_dir: str = str(DEFAULT_RAW_DIR)
    warehouse_dir: str = str(DEFAULT_WAREHOUSE_DIR)
    warehouse_work_dir: str | None = None
    cache_home: str | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    read_timeout_seconds: float = DEFAULT_READ_TIMEOUT_SECONDS
    workers: int = DEFAULT_WORKERS
    task_runner: str = DEFAULT_TASK_RUNNER
    dask_address: str | None = None
    schedule_timezone: str = DEFAULT_SCHEDULE_TIMEZONE
    build_memory_limit: str = DEFAULT_BUILD_MEMORY_LIMIT
    snapshot_retention_hours: float = SNAPSHOT_RETENTION_HOURS
    alert_webhook: str | None = None
    alert_block: str | None = None
    late_alert_seconds: int = LATE_ALERT_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings `environ` gives (the process's environment when None): each variable
        set to a non-empty value replaces its default. Raises SettingsError naming every
        variable whose value cannot be used, and the form each expects."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems: list[str] = []
        for variable in VARIABLES:
            text = environ.get(variable.name, "")
            if not text:
                continue
            try:
                values[variable.field] = variable.parse(text)
            except ValueError:
                problems.append(f"{variable.name}={text!r} is not {variable.expected}")
        if problems:
            raise SettingsError(f"{'; '.join(problems)}: set it to such a value, or unset it")
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Variable:
    """One environment variable: the Settings field it sets, how its text is read (ValueError
    when it cannot be), the form it expects, and what it does (for --help)."""

    name: str
    field: str
    parse: Callable[[str], object]
    expected: str
    help: str


def _text(value: str) -> str:
    return value


def _positive_int(value: str) -> int:
    number = int(value)  # "16M" or "1.5" raise ValueError
    if number < 1:
        raise ValueError(value)
    return number


def _task_runner(value: str) -> str:
    if value not in TASK_RUNNERS:
        raise ValueError(value)
    return value


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(value) from None
    return value


# Size suffixes: K, M, G (and KiB, MiB, GiB) count in 1,024s, as `ls -h` does; KB, MB, GB in
# 1,000s, as DuckDB's memory limits do.
SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 2**10,
    "kib": 2**10,
    "m": 2**20,
    "mib": 2**20,
    "g": 2**30,
    "gib": 2**30,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_size(value: str) -> int:
    """Bytes from `16777216`, `16M`, `16MiB`, `512k` or `1.5GB`; ValueError otherwise."""
    match = _SIZE.fullmatch(value)
    unit = SIZE_UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None or float(match.group(1)) * unit < 1:
        raise ValueError(value)
    return int(float(match.group(1)) * unit)


def _seconds(value: str) -> float:
    seconds = float(value)  # "soon" raises ValueError
    if not 0 < seconds < float("inf"):  # nor 0, -1, inf or nan
        raise ValueError(value)
    return seconds


def _hours(value: str) -> float:
    hours = float(value)  # "a day" raises ValueError
    if not 0 <= hours < float("inf"):  # nor -1, inf or nan
        raise ValueError(value)
    return hours


def _memory_limit(value: str) -> str:
    # DuckDB's own parser decides (units, spaces, decimals): the value goes to it unchanged.
    import duckdb

    try:
        duckdb.connect(config={"memory_limit": value}).close()
    except duckdb.Error:
        raise ValueError(value) from None
    return value


VARIABLES = (
    Variable(RAW_DIR_ENV, "raw_dir", _text, "a folder", "raw folder or fsspec URL (default: raw)"),
    Variable(
        WAREHOUSE_DIR_ENV,
        "warehouse_dir",
        _text,
        "a folder",
        "warehouse folder or fsspec URL (default: warehouse)",
    ),
    Variable(
        WAREHOUSE_WORK_DIR_ENV,
        "warehouse_work_dir",
        _text,
        "a folder",
        f"local working copy of a warehouse URL (default: under ${CACHE_HOME_ENV}/newsetl)",
    ),
    Variable(
        CACHE_HOME_ENV, "cache_home", _text, "a folder", "the user's cache (default: ~/.cache)"
    ),
    Variable(
        MAX_FILE_BYTES_ENV,
        "max_file_bytes",
        parse_size,
        f"a size: bytes ({DEFAULT_MAX_FILE_BYTES}) or a number with K, M or G (KiB, MiB, GiB: "
        "1,024s) or KB, MB, GB (1,000s), such as 16M",
        "raw files larger than this are rejected unread: bytes, or 16M, 512KiB, 2GB (default: 16M)",
    ),
    Variable(
        READ_TIMEOUT_ENV,
        "read_timeout_seconds",
        _seconds,
        "a number of seconds above 0, such as 60 or 2.5",
        "a raw file's read that takes longer is given up (read_timeout) (default: "
        f"{DEFAULT_READ_TIMEOUT_SECONDS:g})",
    ),
    Variable(
        PROCESS_WORKERS_ENV,
        "workers",
        _positive_int,
        "a whole number above 0, such as 4",
        "worker processes for parse and clean (default: one per core)",
    ),
    Variable(
        TASK_RUNNER_ENV,
        "task_runner",
        _task_runner,
        f"one of {', '.join(TASK_RUNNERS)}",
        f"where the parse/clean batches run: {' or '.join(TASK_RUNNERS)} (default: local)",
    ),
    Variable(
        DASK_ADDRESS_ENV,
        "dask_address",
        _text,
        "an address",
        "scheduler of the Dask cluster, e.g. tcp://scheduler:8786 (default: a local cluster)",
    ),
    Variable(
        SCHEDULE_TIMEZONE_ENV,
        "schedule_timezone",
        _time_zone,
        "an IANA time zone name, such as UTC or Europe/Berlin",
        f"time zone of the nightly schedule ({NIGHTLY_CRON}) (default: UTC)",
    ),
    Variable(
        BUILD_MEMORY_LIMIT_ENV,
        "build_memory_limit",
        _memory_limit,
        "a DuckDB memory size, such as 4GB or 512MiB",
        "DuckDB's memory limit while building news.duckdb (default: a quarter of RAM)",
    ),
    Variable(
        SNAPSHOT_RETENTION_ENV,
        "snapshot_retention_hours",
        _hours,
        "a number of hours, 0 or more, such as 24",
        "how long a replaced snapshot stays for readers still on it (default: "
        f"{SNAPSHOT_RETENTION_HOURS:g})",
    ),
    Variable(
        ALERT_WEBHOOK_ENV,
        "alert_webhook",
        _text,
        "a URL",
        "URL the alerts are POSTed to as JSON (default: a log file in PREFECT_HOME)",
    ),
    Variable(
        ALERT_BLOCK_ENV,
        "alert_block",
        _text,
        "a notification block's type/name",
        "notification block the alerts go through, e.g. slack-webhook/ops (default: none)",
    ),
    Variable(
        LATE_ALERT_SECONDS_ENV,
        "late_alert_seconds",
        _positive_int,
        "a whole number of seconds above 0, such as 300",
        f"a scheduled run still Late this long raises an alert (default: {LATE_ALERT_SECONDS})",
    ),
)


def environment_help() -> str:
    """The variables newsetl reads, one a line, for --help."""
    width = max(len(variable.name) for variable in VARIABLES)
    return "\n".join(f"  {variable.name:<{width}}  {variable.help}" for variable in VARIABLES)
