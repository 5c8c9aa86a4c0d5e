"""One-call, read-only connections to news.duckdb with the offline fts extension loaded."""

from __future__ import annotations

import importlib.resources
import sys
from pathlib import Path

import duckdb

from newsetl.settings import resolve_paths


def extension_path(name: str = "fts") -> Path:
    """The file of a DuckDB extension shipped as a wheel (duckdb-extension-NAME: fts, and httpfs
    for object stores), for this DuckDB version: loaded by path, never downloaded."""
    version = duckdb.__version__
    package = f"duckdb_extension_{name}"
    try:
        root = Path(str(importlib.resources.files(package))) / "extensions"
    except ModuleNotFoundError:
        raise FileNotFoundError(
            f"no {name} extension: install duckdb-extension-{name}=={version}"
        ) from None
    path = root / f"v{version}" / f"{name}.duckdb_extension"
    if not path.is_file():
        found = sorted(p.name for p in root.iterdir()) if root.is_dir() else []
        raise FileNotFoundError(
            f"no {name} extension for DuckDB {version} in {root} (found {found}): "
            f"install duckdb-extension-{name} at the same version as duckdb"
        )
    return path


def sql_path(path: Path) -> str:
    """A file path as a SQL string literal (quotes doubled), for read_parquet, load and such."""
    return "'" + path.as_posix().replace("'", "''") + "'"


def load_statement() -> str:
    """The SQL statement that loads the fts extension from its wheel (no download)."""
    return "load " + sql_path(extension_path("fts"))


def load_fts(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Load the fts extension into an open connection, from the wheel; returns the connection."""
    con.execute(load_statement())
    return con


def database_path(warehouse_dir: str | Path | None = None) -> Path:
    """news.duckdb in the given warehouse dir, else $NEWSETL_WAREHOUSE_DIR, else ./warehouse."""
    return resolve_paths(None, warehouse_dir).database


def connect(
    warehouse_dir: str | Path | None = None, *, read_only: bool = True
) -> duckdb.DuckDBPyConnection:
    """A connection to news.duckdb, read-only by default, with fts loaded so search works.

    Safe while the nightly job runs: a build writes a new file and swaps it in, so this
    connection keeps its snapshot; connect again to see the new build.
    """
    path = database_path(warehouse_dir)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `newsetl build` (or `make run`) first")
    return load_fts(duckdb.connect(str(path), read_only=read_only))


def duckdb_cli() -> Path:
    """The DuckDB CLI of the duckdb-cli wheel, installed next to this Python."""
    return Path(sys.executable).parent / "duckdb"


def cli_command(
    warehouse_dir: str | Path | None = None, extra: list[str] | None = None
) -> list[str]:
    """The argv that opens the DuckDB CLI read-only on news.duckdb with fts loaded."""
    path = database_path(warehouse_dir)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `newsetl build` (or `make run`) first")
    cli = duckdb_cli()
    if not cli.is_file():
        raise FileNotFoundError(f"{cli} not found: install the duckdb-cli package")
    return [str(cli), "-readonly", "-cmd", load_statement(), str(path), *(extra or [])]
