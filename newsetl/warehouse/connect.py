"""One-call, read-only connections to news.duckdb with the offline fts extension loaded."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from newsetl.settings import (
    DATABASE_FILE,
    SQL_DIR,
    WAREHOUSE_DIR_ENV,
    Settings,
    warehouse_dir_source,
)
from newsetl.store.paths import Paths, resolve_paths
from newsetl.store.publish import database_url
from newsetl.store.raw import protocol
from newsetl.store.snapshot import (
    SNAPSHOTS_DIR,
    current_snapshot,
    holds_snapshot,
    snapshot_dir,
    snapshot_names,
)
from newsetl.store.sql import load_fts, load_statement, sql_literal, sql_path
from newsetl.warehouse.build import create_models


def published_statements(url: str) -> list[str]:
    """SQL attaching, read-only, the news.duckdb published at a warehouse URL, as the default
    database, with httpfs and fts loaded from their wheels.

    For s3:// the credentials come from AWS's own chain (environment, profile, instance role)
    through DuckDB's aws extension, so they never appear in the SQL; a custom endpoint in
    AWS_ENDPOINT_URL (MinIO, a local S3 API), which DuckDB does not read, is passed on. Other
    stores take a DuckDB secret (`create secret`) made before these statements.
    """
    statements = [load_statement("httpfs"), load_statement()]
    if protocol(url) in ("s3", "s3a"):
        options = ["type s3", "provider credential_chain"]
        endpoint = urlsplit(os.environ.get("AWS_ENDPOINT_URL", ""))
        if endpoint.netloc:
            options += [
                f"endpoint {sql_literal(endpoint.netloc)}",
                f"use_ssl {str(endpoint.scheme == 'https').lower()}",
                "url_style 'path'",
            ]
        statements += [
            load_statement("aws"),
            f"create or replace secret newsetl_s3 ({', '.join(options)})",
        ]
    database = sql_literal(database_url(url))
    return [*statements, f"attach {database} as news (read_only)", "use news"]


def connect(
    warehouse_dir: str | Path | None = None,
    *,
    settings: Settings | None = None,
    snapshot: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to news.duckdb, with fts loaded so search works.

    Safe while the nightly job runs. The connection answers every query from the one snapshot
    the database in place when it opened was built on, however many loads and builds come
    after, until that snapshot's retention ends ($NEWSETL_SNAPSHOT_RETENTION_HOURS after a
    newer database replaced it); connect again to see the newest build. Each call attaches the
    file into a database of its own: DuckDB's `duckdb.connect(path)` would hand a second
    connection in this process the instance an earlier one still holds open, an older build.
    A warehouse URL opens the working copy's database on the writer's machine, else the one
    published at the URL (read-only, through DuckDB's httpfs: published_statements). Tables of
    your own go in temp tables, or in a database file you attach (`attach 'mine.duckdb' as mine
    (read_only false)`): news.duckdb itself is only ever written by the build, which replaces it
    whole. The analyst's entry point: without `settings`, those of the environment
    ($NEWSETL_WAREHOUSE_DIR, ...).

    `snapshot=LOAD_ID` pins the connection to the articles as of that load instead (see
    pinned_connection): the same views and macros, over the snapshot that load committed.
    `warehouse_dir` may also name the database file itself (`warehouse/news.duckdb`).
    """
    if warehouse_dir is not None and _is_database_file(warehouse_dir):
        warehouse_dir = Path(warehouse_dir).parent
    paths = resolve_paths(None, warehouse_dir, settings or Settings.from_env())
    if snapshot is not None:
        return pinned_connection(paths, snapshot)
    published = _published_url(paths, warehouse_dir)
    if published is not None:
        statements = published_statements(published)
    else:
        statements = [load_statement(), f"attach {sql_path(paths.database)} as news (read_only)"]
        statements.append("use news")
    con = duckdb.connect()
    try:
        for statement in statements:
            con.execute(statement)
    except BaseException:
        con.close()
        raise
    return con


def _is_database_file(location: str | Path) -> bool:
    """Whether a local location is news.duckdb itself rather than its warehouse folder."""
    if isinstance(location, str) and "://" in location:
        return False
    path = Path(location)
    return path.name == DATABASE_FILE and path.is_file()


def pinned_connection(paths: Paths, load_id: str) -> duckdb.DuckDBPyConnection:
    """A connection whose views and macros read the snapshot one load committed, the
    warehouse as of that load: the models of sql/ created over it in a database in memory
    (views only, no data: about a second). The snapshot must still be kept (the current one,
    the one news.duckdb reads, or one released less than $NEWSETL_SNAPSHOT_RETENTION_HOURS ago:
    docs/warehouse.md); a load that deletes it later makes the connection's queries fail,
    never answer from another state. FileNotFoundError names the loads still kept."""
    if paths.warehouse_url is not None:
        raise ValueError(
            f"connect(snapshot={load_id!r}) reads a local warehouse's snapshots; "
            f"{paths.warehouse_url} is a store: pin on the writer's machine, or connect() to "
            "the published database"
        )
    folder = snapshot_dir(paths.warehouse_dir, load_id)
    # an empty id would name the snapshots' own folder
    if not load_id.strip() or "/" in load_id or load_id.startswith(".") or not folder.is_dir():
        root = paths.warehouse_dir / SNAPSHOTS_DIR
        kept = snapshot_names(paths.warehouse_dir)
        current = current_snapshot(paths.warehouse_dir)
        raise FileNotFoundError(
            f"no snapshot of load {load_id!r} in {root}: a load's snapshot is kept while it is "
            "current or read by news.duckdb, then for $NEWSETL_SNAPSHOT_RETENTION_HOURS. "
            f"Loads still kept: {', '.join(kept) or 'none'}"
            + (f" (current: {current.name})" if current is not None else "")
        )
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        load_fts(con)
        create_models(con, SQL_DIR, folder.resolve())
    except BaseException:
        con.close()
        raise
    return con


def _published_url(paths: Paths, warehouse_dir: str | Path | None = None) -> str | None:
    """The warehouse URL whose published database to open: when this machine has no database
    of its own. FileNotFoundError when there is neither, saying where it looked and why there
    (`warehouse_dir` is what the caller passed, if anything)."""
    if paths.database.is_file():
        return None
    if paths.warehouse_url is None:
        given = None if warehouse_dir is None else "the warehouse dir given"
        source = warehouse_dir_source(given, show_cwd=True)
        # loaded there (or moved there): only the database is missing; else nothing is there
        # to build from, and `newsetl build` refuses the folder
        make = (
            "build it there with `newsetl build`"
            if holds_snapshot(paths.warehouse_dir)
            else "make one there with `newsetl run` (or `make run`), which loads the raw files "
            "and builds"
        )
        raise FileNotFoundError(
            f"{paths.database} does not exist ({source}): point at the warehouse with "
            f"--warehouse-dir DIR or {WAREHOUSE_DIR_ENV}=DIR (connect(DIR) in Python), or {make}"
        )
    return paths.warehouse_url


def duckdb_cli() -> Path:
    """The DuckDB CLI of the duckdb-cli wheel, installed next to this Python."""
    return Path(sys.executable).parent / "duckdb"


def cli_command(
    warehouse_dir: str | Path | None = None,
    extra: list[str] | None = None,
    settings: Settings | None = None,
) -> list[str]:
    """The argv that opens the DuckDB CLI read-only on news.duckdb with fts loaded (for a
    warehouse URL without a local working copy: the published database, see connect)."""
    paths = resolve_paths(None, warehouse_dir, settings)
    published = _published_url(paths, warehouse_dir)
    cli = duckdb_cli()
    if not cli.is_file():
        raise FileNotFoundError(f"{cli} not found: install the duckdb-cli package")
    if published is not None:
        setup = "; ".join(published_statements(published))
        # The setup's own results (`create secret` prints a table) are not the analyst's.
        quiet = ["-cmd", ".output /dev/null", "-cmd", setup, "-cmd", ".output"]
        return [str(cli), *quiet, *(extra or [])]
    return [str(cli), "-readonly", "-cmd", load_statement(), str(paths.database), *(extra or [])]
