"""The `newsetl` command line: every subcommand runs a Prefect flow."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

# Before Prefect is imported: no telemetry from a data pipeline, and a PREFECT_HOME that exists
# (Prefect creates only its last level, and its temporary server fails without it).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
if os.environ.get("PREFECT_HOME"):
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)

from newsetl.settings import (
    DASK_ADDRESS_ENV,
    PREFECT_START_TIMEOUT_ENV,
    PREFECT_START_TIMEOUT_SECONDS,
    RAW_DIR_ENV,
    TASK_RUNNER_ENV,
    TASK_RUNNERS,
    WAREHOUSE_DIR_ENV,
    WAREHOUSE_WORK_DIR_ENV,
    Settings,
    SettingsError,
    environment_help,
    warehouse_dir_source,
)

# Prefect's temporary server has 20 s to start by default: too few on a busy machine.
os.environ.setdefault(PREFECT_START_TIMEOUT_ENV, str(PREFECT_START_TIMEOUT_SECONDS))
# What Prefect says when its temporary server did not answer in time.
PREFECT_START_TIMED_OUT = "Timed out while attempting to connect to ephemeral Prefect API server"
# The commands that load, so take the warehouse's writer lock (a build waits for other builds
# only, beside a load).
WRITERS = frozenset({"run", "ingest", "backfill"})

DESCRIPTION = """\
newsetl turns a scraped archive of news articles (one .txt file per article in the raw dir)
into hive-partitioned Parquet tables and a DuckDB database (news.duckdb) in the warehouse dir.
Each command runs a Prefect flow; without PREFECT_API_URL a temporary local server is started.
"""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None


def _add_paths(parser: argparse.ArgumentParser, *, raw: bool = True) -> None:
    if raw:
        parser.add_argument(
            "--raw-dir",
            help="folder of raw article files, searched recursively, or an fsspec URL such as "
            "s3://bucket/raw (with the s3 extra) or gs://bucket/raw (gcs extra) "
            f"(default: ${RAW_DIR_ENV} or ./raw)",
        )
    parser.add_argument(
        "--warehouse-dir",
        help=f"folder of the Parquet tables and news.duckdb (default: ${WAREHOUSE_DIR_ENV} "
        "or ./warehouse), or an fsspec URL such as s3://bucket/warehouse: the warehouse is "
        f"written in a local working copy (${WAREHOUSE_WORK_DIR_ENV}, else under ~/.cache/newsetl) "
        "and each snapshot and news.duckdb published there",
    )


def _add_allow_shrink(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-shrink",
        action="store_true",
        help="accept a listing of the raw dir that lost more than half of the files the "
        "warehouse knows there: they were removed on purpose, and their articles leave the "
        "warehouse. Without it such a run is refused (exit 1): an unmounted share, an empty "
        "or a mistyped folder look the same",
    )


def _add_runner(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--task-runner",
        choices=TASK_RUNNERS,
        help="where the parse/clean batches run: local (a process per core, the default, or "
        f"${TASK_RUNNER_ENV}) or dask (a Dask cluster)",
    )
    parser.add_argument(
        "--dask-address",
        metavar="ADDRESS",
        help="scheduler of the Dask cluster, e.g. tcp://scheduler:8786 (default: "
        f"${DASK_ADDRESS_ENV}, else a local cluster of one worker process per core)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a --help for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newsetl",
        description=DESCRIPTION,
        epilog="environment variables (read when a command or a flow run starts; an empty one "
        f"counts as unset):\n{environment_help()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="the nightly job: ingest new and changed files, then build the database",
        description="Ingest new and changed raw files, then rebuild news.duckdb.",
    )
    _add_paths(run)
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="re-read every raw file and rewrite every partition, ignoring the manifest",
    )
    _add_allow_shrink(run)
    _add_runner(run)

    ingest = commands.add_parser(
        "ingest",
        help="only ingest new and changed raw files into the Parquet tables",
        description="Ingest new and changed raw files into the Parquet tables (no database build).",
    )
    _add_paths(ingest)
    ingest.add_argument("--full-refresh", action="store_true", help="re-read every raw file")
    _add_allow_shrink(ingest)
    _add_runner(ingest)

    build = commands.add_parser(
        "build",
        help="only rebuild news.duckdb from the Parquet tables and sql/",
        description="Rebuild news.duckdb: run the models in sql/, then the SQL tests, then swap "
        "the new file in.",
    )
    _add_paths(build, raw=False)

    backfill = commands.add_parser(
        "backfill",
        help="reprocess the raw files whose articles fall in a date range, then build",
        description="Re-read the raw files whose articles were published between --since and "
        "--until (inclusive), as well as any new or changed files, then rebuild news.duckdb.",
    )
    backfill.add_argument("--since", type=_date, required=True, help="first day, YYYY-MM-DD")
    backfill.add_argument("--until", type=_date, required=True, help="last day, YYYY-MM-DD")
    _add_paths(backfill)
    _add_allow_shrink(backfill)
    _add_runner(backfill)

    sql = commands.add_parser(
        "sql",
        help="open the DuckDB CLI read-only on news.duckdb, with full-text search loaded",
        description="Open the DuckDB CLI (the one installed next to this Python) read-only on "
        "news.duckdb, with the fts extension loaded from its wheel so search_articles() works. "
        "Safe while the nightly job runs. With a warehouse URL (s3://bucket/warehouse) and no "
        "working copy on this machine, it attaches the news.duckdb published there, read-only "
        "(the s3 extra; credentials from AWS's usual chain). Arguments after -- go to the CLI, "
        'e.g. `newsetl sql -- -c "select count(*) from articles"`.',
    )
    _add_paths(sql, raw=False)
    sql.add_argument("cli_args", nargs=argparse.REMAINDER, help="arguments for the DuckDB CLI")

    docs = commands.add_parser(
        "docs",
        help="print the data dictionary of news.duckdb as Markdown",
        description="Print every view, macro and column of news.duckdb with its description "
        "(the comments stored in the database), as Markdown.",
    )
    _add_paths(docs, raw=False)

    explain = commands.add_parser(
        "explain",
        help="show an article's raw body beside the cleaned one, with every repair marked",
        description="Read the article's row from the warehouse, re-read its raw file, clean it "
        "again with a trace, and print the raw and cleaned bodies side by side and each repair "
        "(no Prefect flow). Warns when the raw file is gone or changed since the load.",
    )
    explain.add_argument("article_id", help="the 16-hex article id")
    _add_paths(explain)
    return parser


# The pipeline commands run flows, and a flow run reads its own Settings when it starts (a run
# served by `make serve` has no command line before it): `settings` serves the others.
def _run(args: argparse.Namespace, settings: Settings) -> str:
    from flows.nightly import nightly_flow
    from newsetl.report import build_text, load_text

    load, built = nightly_flow(
        raw_dir=args.raw_dir or "",
        warehouse_dir=args.warehouse_dir or "",
        full_refresh=args.full_refresh,
        allow_shrink=args.allow_shrink,
        task_runner=args.task_runner or "",
        dask_address=args.dask_address or "",
    )
    return f"{load_text(load)}\n{build_text(built)}"


def _ingest(args: argparse.Namespace, settings: Settings) -> str:
    from flows.ingest import ingest_flow
    from flows.params import IngestParams, checked
    from newsetl.report import load_text

    params = checked(
        IngestParams,
        raw_dir=args.raw_dir,
        warehouse_dir=args.warehouse_dir,
        full_refresh=args.full_refresh,
        allow_shrink=args.allow_shrink,
        task_runner=args.task_runner,
        dask_address=args.dask_address,
    )
    return load_text(ingest_flow(params))


def _build(args: argparse.Namespace, settings: Settings) -> str:
    from flows.build import build_flow
    from newsetl.report import build_text

    return build_text(build_flow(warehouse_dir=args.warehouse_dir or ""))


def _backfill(args: argparse.Namespace, settings: Settings) -> str:
    from flows.nightly import backfill_flow
    from newsetl.report import build_text, load_text

    load, built = backfill_flow(
        since=args.since,
        until=args.until,
        raw_dir=args.raw_dir or "",
        warehouse_dir=args.warehouse_dir or "",
        allow_shrink=args.allow_shrink,
        task_runner=args.task_runner or "",
        dask_address=args.dask_address or "",
    )
    return f"{load_text(load)}\n{build_text(built)}"


def _sql(args: argparse.Namespace, settings: Settings) -> str:
    from newsetl.warehouse.connect import cli_command

    extra = [a for a in args.cli_args if a != "--"]
    command = cli_command(args.warehouse_dir, extra, settings)
    sys.stdout.flush()
    os.execv(command[0], command)  # the CLI takes over this process (and Ctrl-C)
    return ""  # pragma: no cover - execv does not return


def _docs(args: argparse.Namespace, settings: Settings) -> str:
    from newsetl.warehouse.connect import connect
    from newsetl.warehouse.docs import data_dictionary

    with connect(args.warehouse_dir, settings=settings) as con:
        return data_dictionary(con).rstrip("\n")


def _explain(args: argparse.Namespace, settings: Settings) -> str:
    from newsetl.warehouse.explain import explain

    return explain(args.article_id, args.raw_dir, args.warehouse_dir, settings)


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], str]] = {
    "run": _run,
    "ingest": _ingest,
    "build": _build,
    "backfill": _backfill,
    "sql": _sql,
    "docs": _docs,
    "explain": _explain,
}


def _check_locations(args: argparse.Namespace, settings: Settings) -> None:
    """Fail before a Prefect server is started when the input is plainly missing, or cannot
    be listed, or a URL's package is not installed, or the warehouse cannot be written."""
    from newsetl.load.walk import check_listable
    from newsetl.store.paths import resolve_paths, unwritable
    from newsetl.store.raw import filesystem, location_is_dir
    from newsetl.store.snapshot import holds_snapshot

    paths = resolve_paths(getattr(args, "raw_dir", None), args.warehouse_dir, settings)
    if paths.warehouse_url is not None:
        filesystem(paths.warehouse_url)  # says which extra to install
    if args.command in WRITERS | {"build"}:
        problem = unwritable(paths.warehouse_dir)  # a real probe: /proc passes a W_OK check
        if problem is not None:
            raise PermissionError(f"warehouse dir {problem}")
    # a build reads what loads wrote: in a folder without any it made an empty news.duckdb and
    # said it succeeded (a URL's store is pulled by the build itself)
    local = paths.warehouse_url is None
    if args.command == "build" and local and not holds_snapshot(paths.warehouse_dir):
        raise FileNotFoundError(_no_warehouse(args, paths.warehouse_dir))
    if "raw_dir" in args:
        raw = paths.raw_location
        if paths.raw_is_local:  # missing, a file, or a folder it cannot list: said here
            check_listable(raw)
        # A URL is checked on its filesystem: a missing extra or bad credentials show up here.
        elif not location_is_dir(raw):
            raise FileNotFoundError(
                f"raw dir {raw} does not exist: pass --raw-dir or set {RAW_DIR_ENV}"
            )


def _no_warehouse(args: argparse.Namespace, warehouse_dir: Path) -> str:
    """Why `newsetl build` refuses a folder that holds no loaded warehouse, and what to do."""
    source = warehouse_dir_source("the --warehouse-dir given" if args.warehouse_dir else None)
    return (
        f"warehouse dir {warehouse_dir} ({source}) holds no loaded warehouse, so a build would "
        "make an empty news.duckdb: load the raw files first with `newsetl run` (or `newsetl "
        f"ingest`), or point at the warehouse with --warehouse-dir DIR or {WAREHOUSE_DIR_ENV}=DIR"
    )


def _check_writer_lock(args: argparse.Namespace, settings: Settings) -> None:
    """Refuse at once, before Prefect starts (tens of seconds on a busy machine), when another
    process writes the warehouse."""
    if args.command not in WRITERS:
        return
    from newsetl.store.lock import check_unlocked
    from newsetl.store.paths import resolve_paths

    paths = resolve_paths(getattr(args, "raw_dir", None), args.warehouse_dir, settings)
    check_unlocked(paths.warehouse_dir)


def _reason(exc: Exception) -> str:
    """The one-line reason of a failure, with what to do when Prefect could not start."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if PREFECT_START_TIMED_OUT not in reason:
        return reason
    seconds = os.environ.get(PREFECT_START_TIMEOUT_ENV)
    return (
        f"the temporary Prefect server did not answer within {seconds} s (a busy machine?). "
        f"Give it longer ({PREFECT_START_TIMEOUT_ENV}=300), or run against a standing server: "
        "start one with `make serve` (or `prefect server start`) and set "
        "PREFECT_API_URL=http://127.0.0.1:4200/api for newsetl"
    )


def _committed_loads(args: argparse.Namespace, settings: Settings, since: dt.datetime) -> list[str]:
    """The loads this command committed (from the ledger), for a run whose later step failed:
    what did land is never hidden by what did not."""
    if args.command not in ("run", "backfill"):
        return []
    from newsetl.report import committed_load_text
    from newsetl.store.paths import resolve_paths
    from newsetl.store.state import read_loads

    try:
        paths = resolve_paths(args.raw_dir, args.warehouse_dir, settings)
        records = read_loads(paths.state_dir)
    except Exception:  # the ledger is unreadable: the error says enough
        return []
    return [committed_load_text(record) for record in records if record.started_at >= since]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsetl` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "backfill" and args.until < args.since:  # a bad argument: status 2
        parser.error(
            f"--until {args.until} is before --since {args.since}: the range holds no day; give "
            "the first day as --since and the last as --until"
        )
    started = dt.datetime.now(dt.UTC)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:  # a bad value is a bad argument: status 2, as argparse's
        print(f"newsetl {args.command}: error: {exc}", file=sys.stderr)
        return 2
    try:
        _check_locations(args, settings)
        _check_writer_lock(args, settings)
        print(COMMANDS[args.command](args, settings))
    except KeyboardInterrupt:
        print("newsetl: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        for line in _committed_loads(args, settings, started):
            print(line)
        print(f"newsetl {args.command}: error: {_reason(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
