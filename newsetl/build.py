"""Build news.duckdb from the SQL models in sql/: views over the Parquet, then the SQL tests."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from newsetl.schema import LOADS, MANIFEST, REJECTED_FILES, TABLE_SCHEMAS
from newsetl.settings import (
    LOADS_FILE,
    MANIFEST_FILE,
    PARTITION_FILE,
    REJECTS_FILE,
    Paths,
)

# Models run layer by layer; inside a layer, by file name.
LAYERS = ("staging", "marts", "macros")
TESTS_DIR = "tests"
_PACKAGED_SQL = Path(__file__).resolve().parent / "sql"
SQL_DIR = (
    _PACKAGED_SQL if _PACKAGED_SQL.is_dir() else Path(__file__).resolve().parent.parent / "sql"
)
STATE_SOURCES = {
    "manifest": (MANIFEST_FILE, MANIFEST),
    "loads": (LOADS_FILE, LOADS),
    "rejected_files": (REJECTS_FILE, REJECTED_FILES),
}
_SOURCE_RE = re.compile(r"\{\{\s*source\(\s*'(?P<name>[a-z_]+)'\s*\)\s*\}\}")
_DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.date32(): "date",
    pa.int32(): "integer",
    pa.int64(): "bigint",
    pa.timestamp("us", tz="UTC"): "timestamptz",
    pa.list_(pa.string()): "varchar[]",
}


class BuildError(Exception):
    """A model failed to run, or a SQL test returned failing rows."""


@dataclass(slots=True)
class BuildSummary:
    """Models run and tests passed by one build."""

    database: Path
    models: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)


def _quote(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def _empty_relation(schema: pa.Schema, extra: str = "") -> str:
    """A typed relation with no rows, for a table that has no files yet."""
    columns = [f"null::{_DUCKDB_TYPES[f.type]} as {f.name}" for f in schema]
    if extra:
        columns.append(extra)
    return f"(select {', '.join(columns)} where false)"


def source_relation(paths: Paths, name: str) -> str:
    """The SQL relation that reads one warehouse table, by absolute path."""
    if name in TABLE_SCHEMAS:
        table_dir = paths.table_dir(name)
        if not any(table_dir.glob(f"year=*/month=*/{PARTITION_FILE}")):
            return _empty_relation(
                TABLE_SCHEMAS[name], "null::integer as year, null::integer as month"
            )
        glob = _quote(table_dir / "year=*" / "month=*" / "*.parquet")
        return (
            f"read_parquet({glob}, hive_partitioning = true, "
            "hive_types = {'year': integer, 'month': integer})"
        )
    if name in STATE_SOURCES:
        file_name, schema = STATE_SOURCES[name]
        path = paths.state_dir / file_name
        return f"read_parquet({_quote(path)})" if path.exists() else _empty_relation(schema)
    known = sorted([*TABLE_SCHEMAS, *STATE_SOURCES])
    raise BuildError(f"unknown source {name!r} in a model: known are {known}")


def render(sql: str, paths: Paths) -> str:
    """Replace `{{ source('name') }}` with the relation that reads it."""
    return _SOURCE_RE.sub(lambda m: source_relation(paths, m.group("name")), sql)


def model_files(sql_dir: Path = SQL_DIR) -> list[Path]:
    """The model files in the order they run."""
    return [path for layer in LAYERS for path in sorted((sql_dir / layer).glob("*.sql"))]


def run_sql_tests(con: duckdb.DuckDBPyConnection, sql_dir: Path, paths: Paths) -> list[str]:
    """Run every sql/tests query; any returned row is a failure, shown in the error."""
    passed, failures = [], []
    for test in sorted((sql_dir / TESTS_DIR).glob("*.sql")):
        relation = con.sql(render(test.read_text(), paths))
        rows = relation.fetchmany(5)
        if rows:
            total = con.sql(f"select count(*) from ({render(test.read_text(), paths)})").fetchone()
            shown = "\n    ".join(repr(row) for row in rows)
            failures.append(
                f"{test.stem}: {total[0] if total else '?'} failing rows, e.g.\n    {shown}"
            )
        else:
            passed.append(test.stem)
    if failures:
        raise BuildError("SQL tests failed:\n  " + "\n  ".join(failures))
    return passed


def build_database(paths: Paths, sql_dir: Path = SQL_DIR) -> BuildSummary:
    """Build a new database file beside the old one, test it, then swap it in atomically.

    Analysts holding the old file open keep their snapshot; the next connection sees the new one.
    """
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    temporary = paths.warehouse_dir / f".{paths.database.name}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    summary = BuildSummary(paths.database)
    try:
        with duckdb.connect(str(temporary)) as con:
            for model in model_files(sql_dir):
                try:
                    con.execute(render(model.read_text(), paths))
                except duckdb.Error as exc:
                    raise BuildError(f"model {model.relative_to(sql_dir)} failed: {exc}") from exc
                summary.models.append(model.relative_to(sql_dir).with_suffix("").as_posix())
            summary.tests = run_sql_tests(con, sql_dir, paths)
            con.execute("checkpoint")
        os.replace(temporary, paths.database)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return summary
