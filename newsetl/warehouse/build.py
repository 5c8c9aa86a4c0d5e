"""Build news.duckdb from sql/: views, stop words, macros, comments, then the SQL tests."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsetl.settings import (
    AGENCY_BYLINES,
    CHANGES_DIR,
    DATABASE_MODE,
    DEFAULT_BUILD_MEMORY_LIMIT,
    EARLIEST_PUBLISHED_DATE,
    EDITORIAL_BYLINES,
    LOADS_FILE,
    MANIFEST_FILE,
    PARTITION_FILE,
    PHOTOS_TABLE,
    PUBLISHED_DAYS_AHEAD,
    REJECTS_FILE,
    SQL_DIR,
    STATE_DIR,
)
from newsetl.store.lock import WarehouseLocked, build_lock, writer_lock
from newsetl.store.paths import Paths
from newsetl.store.publish import (
    publish_snapshot,
    published_database,
    pull_snapshot,
    snapshot_url,
    upload_database,
)
from newsetl.store.raw import filesystem
from newsetl.store.restore import adopt_restored_copy, needs_adoption
from newsetl.store.schema import ARTICLE_CHANGES, LOADS, MANIFEST, REJECTED_FILES, TABLE_SCHEMAS
from newsetl.store.snapshot import (
    current_snapshot,
    database_snapshots,
    incomplete_derived_tables,
    release_snapshots,
    set_database_snapshots,
)
from newsetl.store.sql import load_fts, split_statements, sql_literal, sql_path
from newsetl.text.authors import DESK_BYLINES
from newsetl.warehouse.catalog import describe_column
from newsetl.warehouse.data_tests import DataTestResults, read_data_test, run_data_tests
from newsetl.warehouse.tested_partitions import (
    articles_files,
    partitions_filter,
    record_passed,
    removed_partitions,
    render_scope,
    tests_digest,
)

# Models run layer by layer; inside a layer, each after the models it names (then by file name).
LAYERS = ("staging", "search", "marts", "macros")
TESTS_DIR = "tests"
FINGERPRINT_FILE = ".news.duckdb.fingerprint"
INIT_FILE = "init.sql"
# warehouse/init.sql, for tools that take an init file. No path in it: it loads fts from
# DuckDB's own extension directory, where `make install` puts it (newsetl.warehouse.install_fts),
# so the warehouse can move and the file still works, on any machine where that step ran.
INIT_SQL = """\
-- Loads the full-text search extension (fts), which search_articles needs, for tools that take
-- an init file: duckdb -init warehouse/init.sql, harlequin --init-path warehouse/init.sql.
-- fts comes from DuckDB's extension directory (~/.duckdb/extensions/), where `make install`
-- (python -m newsetl.warehouse.install_fts) puts the build pinned with DuckDB 1.5.5: no network
-- needed.
-- Any DuckDB 1.5.5 client on such a machine loads it by itself; this file only says so early.
load fts;
"""
STATE_SOURCES = {
    "manifest": (MANIFEST_FILE, MANIFEST),
    "loads": (LOADS_FILE, LOADS),
    "rejected_files": (REJECTS_FILE, REJECTED_FILES),
}
# Folders of one Parquet file per load under _state (newsetl/load/changes.py), by source name.
STATE_FOLDERS = {"article_changes": (CHANGES_DIR, ARTICLE_CHANGES)}


def sql_list(values: frozenset[str]) -> str:
    """A set of strings as a SQL list literal, sorted: `('a', 'b')`."""
    return "(" + ", ".join(sql_literal(value) for value in sorted(values)) + ")"


# Settings a model or test names as `{{ name() }}`, as SQL literals.
SQL_CONSTANTS = {
    "earliest_published_date": f"date '{EARLIEST_PUBLISHED_DATE.isoformat()}'",
    "published_days_ahead": str(PUBLISHED_DAYS_AHEAD),
    "agency_bylines": sql_list(AGENCY_BYLINES),
    "desk_bylines": sql_list((DESK_BYLINES | EDITORIAL_BYLINES) - AGENCY_BYLINES),
}
_CONSTANT_RE = re.compile(r"\{\{\s*(?P<name>" + "|".join(SQL_CONSTANTS) + r")\(\s*\)\s*\}\}")
_SOURCE_RE = re.compile(r"\{\{\s*source\(\s*'(?P<name>[a-z_]+)'\s*\)\s*\}\}")
_CREATE_RE = re.compile(
    r"^create\s+or\s+replace\s+(?P<kind>view|table|macro)\s+(?P<name>[a-z_][a-z0-9_]*)",
    re.IGNORECASE | re.MULTILINE,
)
_WORD_RE = re.compile(r"[a-z_][a-z0-9_]*", re.IGNORECASE)
_DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.date32(): "date",
    pa.int32(): "integer",
    pa.int64(): "bigint",
    pa.timestamp("us", tz="UTC"): "timestamptz",
    pa.list_(pa.string()): "varchar[]",
    pa.list_(pa.int32()): "integer[]",
}


class BuildError(Exception):
    """A model failed to run, or a SQL test returned failing rows."""


@dataclass(slots=True)
class BuildSummary:
    """Models run and tests passed by one build."""

    database: Path
    models: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    # True when the database was already built from this snapshot and these models.
    skipped: bool = False
    # The articles partitions the whole-table tests read: those changed since the last build
    # that passed the same tests (all of them the first time).
    partitions_tested: list[str] = field(default_factory=list)
    # Partitions the last passing build tested that are gone (all their articles removed).
    partitions_removed: list[str] = field(default_factory=list)
    # The snapshot the database published to the warehouse's URL reads, when one was uploaded.
    published: str | None = None
    # Rows of `-- severity: warn` tests, each with its raw files and what to do.
    warnings: list[str] = field(default_factory=list)
    # warehouse/report.html when the run drew it (flows/build.py: newsetl.warehouse.charts).
    report: Path | None = None


def _empty_relation(schema: pa.Schema, extra: str = "") -> str:
    """A typed relation with no rows, for a table that has no files yet."""
    columns = [f"null::{_DUCKDB_TYPES[f.type]} as {f.name}" for f in schema]
    if extra:
        columns.append(extra)
    return f"(select {', '.join(columns)} where false)"


def source_relation(snapshot: Path | None, name: str, base: str | None = None) -> str:
    """The SQL relation that reads one warehouse table of one snapshot, by the snapshot's own
    absolute path (never through `current`: a database reads one state); or, with `base` (the
    URL of that snapshot published on a store), by URL under it. Which files exist is asked
    locally. No snapshot (an empty warehouse) gives typed relations with no rows."""

    def location(local: Path) -> str:
        if base is None:
            return sql_path(local)
        assert snapshot is not None
        return sql_literal(f"{base}/{local.relative_to(snapshot).as_posix()}")

    if name in TABLE_SCHEMAS:
        table_dir = None if snapshot is None else snapshot / name
        if table_dir is None or not any(table_dir.glob(f"year=*/month=*/{PARTITION_FILE}")):
            # No articles yet. (A warehouse from before a derived table existed gets it from its
            # next load, which runs even when nothing is new: newsetl.load.ingest.)
            return _empty_relation(
                TABLE_SCHEMAS[name], "null::integer as year, null::integer as month"
            )
        glob = location(table_dir / "year=*" / "month=*" / "*.parquet")
        # Photo partitions written before article_photos.kind existed lack the column; by name,
        # DuckDB reads it as NULL there (by default it would take the first file's columns).
        by_name = ", union_by_name = true" if name == PHOTOS_TABLE else ""
        return (
            f"read_parquet({glob}, hive_partitioning = true, "
            f"hive_types = {{'year': integer, 'month': integer}}{by_name})"
        )
    if name in STATE_SOURCES:
        file_name, schema = STATE_SOURCES[name]
        path = None if snapshot is None else snapshot / STATE_DIR / file_name
        if path is None or not path.exists():
            return _empty_relation(schema)
        # A column added since the file was written (a warehouse from before it) reads NULL.
        written = set(pq.read_schema(path).names)
        missing = [
            f"null::{_DUCKDB_TYPES[f.type]} as {f.name}" for f in schema if f.name not in written
        ]
        extra = "".join(f", {column}" for column in missing)
        return f"(select *{extra} from read_parquet({location(path)}))"
    if name in STATE_FOLDERS:
        folder_name, schema = STATE_FOLDERS[name]
        folder = None if snapshot is None else snapshot / STATE_DIR / folder_name
        if folder is None or not any(folder.glob("*.parquet")):
            return _empty_relation(schema)  # a warehouse from before the change history
        return f"read_parquet({location(folder / '*.parquet')})"
    known = sorted([*TABLE_SCHEMAS, *STATE_SOURCES, *STATE_FOLDERS])
    raise BuildError(f"unknown source {name!r} in a model: known are {known}")


def render(sql: str, snapshot: Path | None, base: str | None = None) -> str:
    """Replace `{{ source('name') }}` with the relation that reads it (see source_relation),
    and each of SQL_CONSTANTS' `{{ name() }}` with its value."""
    sql = _CONSTANT_RE.sub(lambda m: SQL_CONSTANTS[m.group("name")], sql)
    return _SOURCE_RE.sub(lambda m: source_relation(snapshot, m.group("name"), base), sql)


def created_name(sql: str) -> str | None:
    """The view, table or macro a model creates (its first `create or replace`)."""
    match = _CREATE_RE.search(sql)
    return match.group("name").lower() if match else None


def header_comment(sql: str) -> str:
    """The `--` comment lines at the top of a model or test, joined into one paragraph."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def _references(sql: str) -> set[str]:
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return {word.lower() for word in _WORD_RE.findall(code)}


def _in_dependency_order(paths: list[Path]) -> list[Path]:
    """Models of one layer ordered so that each runs after the models it refers to."""
    names = {path: created_name(path.read_text()) for path in paths}
    by_name = {name: path for path, name in names.items() if name}
    needs = {
        path: {
            by_name[word]
            for word in _references(path.read_text())
            if word in by_name and by_name[word] != path
        }
        for path in paths
    }
    ordered: list[Path] = []
    pending = sorted(paths)
    while pending:
        ready = [path for path in pending if needs[path] <= set(ordered)]
        if not ready:
            cycle = ", ".join(path.name for path in pending)
            raise BuildError(f"models refer to each other in a cycle: {cycle}")
        ordered.append(ready[0])
        pending.remove(ready[0])
    return ordered


def model_files(sql_dir: Path = SQL_DIR) -> list[Path]:
    """The model files in the order they run."""
    return [
        path
        for layer in LAYERS
        for path in _in_dependency_order(sorted((sql_dir / layer).glob("*.sql")))
    ]


def apply_comments(con: duckdb.DuckDBPyConnection, models: list[Path]) -> None:
    """COMMENT ON every view, table and macro (its file's header) and every column (the
    catalog).

    Raises BuildError naming every view, table, macro or column left without a description.
    """
    headers = {created_name(sql): header_comment(sql) for sql in (m.read_text() for m in models)}
    missing: list[str] = []
    # (the keyword COMMENT ON takes, the name): views, tables, then macros
    created = [
        ("view", name)
        for (name,) in con.sql(
            "select view_name from duckdb_views() where schema_name = 'main' and not internal"
        ).fetchall()
    ]
    created += [
        ("table", name)
        for (name,) in con.sql(
            "select table_name from duckdb_tables() "
            "where schema_name = 'main' and not internal and not temporary"
        ).fetchall()
    ]
    created += [
        ("macro table" if kind == "table_macro" else "macro", name)
        for name, kind in con.sql(
            "select distinct function_name, function_type from duckdb_functions() "
            "where schema_name = 'main' and not internal "
            "and function_type in ('macro', 'table_macro')"
        ).fetchall()
    ]
    for target, name in created:
        if headers.get(name):
            con.execute(f"comment on {target} {name} is {sql_literal(headers[name])}")
        else:
            kind = target.split()[0]
            missing.append(f"{kind} {name} (no comment at the top of its sql file)")
    columns = con.sql(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'main' and not internal order by table_name, column_index"
    ).fetchall()
    for view, column in columns:
        text = describe_column(view, column)
        if text:
            con.execute(f'comment on column {view}."{column}" is {sql_literal(text)}')
        else:
            missing.append(f"column {view}.{column} (add it to newsetl/warehouse/catalog.py)")
    if missing:
        raise BuildError("undocumented in news.duckdb:\n  " + "\n  ".join(missing))


def sql_tests(sql_dir: Path) -> list[Path]:
    """The sql/tests queries, in the order they run."""
    return sorted((sql_dir / TESTS_DIR).glob("*.sql"))


def run_sql_tests(
    con: duckdb.DuckDBPyConnection,
    tests: list[Path],
    snapshot: Path | None,
    partitions: str = "true",
) -> DataTestResults:
    """Run these sql/tests queries (sql_tests) on a snapshot: any row a test returns is a
    failure, shown in the BuildError with the raw files it comes from and what to do; a test
    marked `-- severity: warn` (one raw file can trip it) reports its rows as warnings instead.

    `partitions` is the predicate put into a test's `{{ partitions_to_test() }}` (all of them
    unless given; newsetl.warehouse.tested_partitions).
    """
    results = run_data_tests(
        con,
        [read_data_test(test) for test in tests],
        lambda sql: render_scope(render(sql, snapshot), partitions),
    )
    if results.failures:
        raise BuildError(
            "SQL tests failed (the news.duckdb in place is kept):\n  "
            + "\n  ".join(results.failures)
        )
    return results


def remove_dead_builds(warehouse_dir: Path, database_name: str) -> list[Path]:
    """Delete the half-built files of builds whose process is gone (killed mid-build)."""
    removed = []
    for leftover in warehouse_dir.glob(f".{database_name}.*.tmp*"):
        pid = leftover.name[len(database_name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
            if leftover.is_dir():  # DuckDB's spill directory
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def build_fingerprint(snapshot: Path | None, sql_dir: Path = SQL_DIR) -> str:
    """What a build depends on: the models, the code that runs them, DuckDB, and the snapshot
    by its absolute path (the views name it: a moved or restored warehouse is built again)."""
    digest = hashlib.sha256(duckdb.__version__.encode())
    here = Path(__file__)
    code = [here, here.with_name("catalog.py")]
    for path in [*code, *sorted(sql_dir.rglob("*.sql"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(b"no snapshot" if snapshot is None else str(snapshot).encode())
    return digest.hexdigest()


def build_database(
    paths: Paths,
    sql_dir: Path = SQL_DIR,
    *,
    only_if_changed: bool = False,
    memory_limit: str = DEFAULT_BUILD_MEMORY_LIMIT,
) -> BuildSummary:
    """Build a new database file beside the old one, test it, then swap it in atomically.

    The new database reads the current snapshot by its own path: a connection keeps answering
    from the snapshot of the database it opened (kept for $NEWSETL_SNAPSHOT_RETENTION_HOURS
    after a newer database replaced it); the next connection sees the new one. Builds wait for each
    other (build_lock); a load may commit meanwhile, and is built next time.
    With `only_if_changed`, nothing is written when the database was already built from the
    current snapshot and the current models (a nightly run with nothing new writes nothing).
    A warehouse with a URL gets its own database there too (publish_database).
    `memory_limit` caps DuckDB while it builds and tests ($NEWSETL_BUILD_MEMORY_LIMIT).
    """
    if paths.warehouse_url is not None:
        _pull(paths.warehouse_url, paths.warehouse_dir)
    with build_lock(paths.warehouse_dir):
        if needs_adoption(paths.warehouse_dir):  # restored with its links followed
            with writer_lock(paths.warehouse_dir, wait_seconds=60):
                adopt_restored_copy(paths.warehouse_dir)
        snapshot = current_snapshot(paths.warehouse_dir)
        _refuse_incomplete(snapshot)
        fingerprint = build_fingerprint(snapshot, sql_dir)
        recorded = paths.warehouse_dir / FINGERPRINT_FILE
        up_to_date = paths.database.exists() and recorded.is_file()
        if only_if_changed and up_to_date and recorded.read_text().strip() == fingerprint:
            summary = BuildSummary(paths.database, skipped=True)
        else:
            summary = _build_and_test(paths, sql_dir, snapshot, fingerprint, memory_limit)
    if paths.warehouse_url is not None:
        summary.published = publish_database(paths, sql_dir, fingerprint)
    return summary


def _refuse_incomplete(snapshot: Path | None) -> None:
    """Raise BuildError for a snapshot whose derived tables lack some of its months."""
    gaps = {} if snapshot is None else incomplete_derived_tables(snapshot)
    if gaps:
        lacking = "; ".join(
            f"{table} lacks {', '.join(keys[:3])}{' ...' if len(keys) > 3 else ''}"
            f" ({len(keys)} of the articles' partitions)"
            for table, keys in gaps.items()
        )
        raise BuildError(
            f"{snapshot}: {lacking}. Search would miss those months: run `newsetl run` (with "
            "nothing new it computes the missing partitions again), then build."
        )


def _pull(url: str, warehouse_dir: Path) -> None:
    """Bring a local copy that is behind its store (a new machine) to the store's snapshot."""
    try:
        with writer_lock(warehouse_dir):
            pull_snapshot(url, warehouse_dir)
    except WarehouseLocked:
        pass  # a load runs on this copy: it has pulled, and it publishes what it commits


def create_models(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    snapshot: Path | None,
    base: str | None = None,
) -> list[str]:
    """Create every model in `con` (views read the snapshot's files, or the URLs under `base`),
    then comment them; returns the models' names. Needs fts loaded in `con`."""
    models = model_files(sql_dir)
    for model in models:
        try:
            for statement in split_statements(render(model.read_text(), snapshot, base)):
                con.execute(statement)
        except duckdb.Error as exc:
            raise BuildError(f"model {model.relative_to(sql_dir)} failed: {exc}") from exc
    apply_comments(con, models)
    return [model.relative_to(sql_dir).with_suffix("").as_posix() for model in models]


def _build_and_test(
    paths: Paths, sql_dir: Path, snapshot: Path | None, fingerprint: str, memory_limit: str
) -> BuildSummary:
    """Build, test and swap in a database reading `snapshot`; call holding the build lock.

    The snapshot is recorded as read by news.duckdb (database_snapshots) before the build
    starts, so no load prunes it meanwhile; after the swap the snapshots the old database read
    are released (their retention starts) and the record names the new one only.
    """
    warehouse = paths.warehouse_dir
    warehouse.mkdir(parents=True, exist_ok=True)
    remove_dead_builds(warehouse, paths.database.name)
    before = database_snapshots(warehouse)
    reads = set() if snapshot is None else {snapshot.name}
    set_database_snapshots(warehouse, before | reads)
    temporary = warehouse / f".{paths.database.name}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    spill = temporary.with_name(f"{temporary.name}.spill")
    # The SQL tests scan whole tables (every body, at a million articles): a memory limit, spill
    # space and no insertion order (nothing here reads rows in order) keep their peak bounded.
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit,
        "preserve_insertion_order": False,
        "temp_directory": str(spill),
    }
    summary = BuildSummary(paths.database)
    try:
        with duckdb.connect(str(temporary), config=config) as con:
            # A build runs unattended (nightly, in a flow's log): DuckDB's progress bar would
            # only fill the log, or block a parent reading stdout at the end (a session setting).
            con.execute("set enable_progress_bar = false")
            load_fts(con)
            summary.models = create_models(con, sql_dir, snapshot)
            tests = sql_tests(sql_dir)
            digest, files = tests_digest(tests), articles_files(snapshot)
            partitions, summary.partitions_tested = partitions_filter(paths, digest, files)
            summary.partitions_removed = removed_partitions(paths, digest, files)
            results = run_sql_tests(con, tests, snapshot, partitions)
            summary.tests, summary.warnings = results.passed, results.warnings
            con.execute("checkpoint")
        # Read-only for everyone: DuckDB opens a file read-write unless told otherwise, and a
        # client that forgets to ask (a plain `duckdb` or duckdb.connect) would hold a lock that
        # refuses every reader and could change the views until the next build. With no write
        # bit it gets "Permission denied" at once. The next build replaces the file whole.
        temporary.chmod(DATABASE_MODE)
        os.replace(temporary, paths.database)
    except BaseException:
        set_database_snapshots(warehouse, before)  # the old database is still the one in place
        raise
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)
    release_snapshots(warehouse, before - reads)
    set_database_snapshots(warehouse, reads)
    (warehouse / INIT_FILE).write_text(INIT_SQL)
    (warehouse / FINGERPRINT_FILE).write_text(fingerprint + "\n")
    # Partitions with warned rows are not recorded as passed: the warning comes back each build.
    passed = {
        name: identity for name, identity in files.items() if name not in results.warned_partitions
    }
    record_passed(paths, digest, passed)
    return summary


def publish_database(paths: Paths, sql_dir: Path, fingerprint: str) -> str | None:
    """Upload to the warehouse's URL a news.duckdb whose views read the store's current snapshot
    by URL (the same models; their SQL tests passed on the local copy of that snapshot).

    Publishes the snapshot first if the store is behind. Returns the snapshot id, or None when
    the store's database is already built from this snapshot and these models.
    """
    url = paths.warehouse_url
    current = current_snapshot(paths.warehouse_dir)
    if url is None or current is None:
        return None
    publish_snapshot(paths.warehouse_dir, url)
    record = f"{current.name}\n{fingerprint}"
    if published_database(url) == record:
        return None
    temporary = paths.warehouse_dir / f".{paths.database.name}.{os.getpid()}.tmp.published"
    temporary.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(temporary)) as con:
            con.execute("set enable_progress_bar = false")
            # DuckDB reads the store through fsspec here, to bind the views (their columns).
            con.register_filesystem(filesystem(url)[0])
            load_fts(con)
            create_models(con, sql_dir, current, snapshot_url(url, current.name))
            con.execute("checkpoint")
        upload_database(temporary, url, record)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return current.name
