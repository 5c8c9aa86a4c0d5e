"""DuckDB statements from Python: SQL literals and paths, extensions from their wheels, scripts."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import duckdb


def extension_path(name: str) -> Path:
    """The file of a DuckDB extension shipped as a wheel (duckdb-extension-NAME: fts; httpfs and
    aws for object stores), for this DuckDB version: loaded by path, never downloaded."""
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


def sql_literal(text: str) -> str:
    """Text as a SQL string literal (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def sql_path(path: Path) -> str:
    """A file path as a SQL string literal, for read_parquet, load and such."""
    return sql_literal(path.as_posix())


def load_statement(name: str = "fts") -> str:
    """The SQL statement that loads a DuckDB extension from its wheel (no download)."""
    return "load " + sql_path(extension_path(name))


def load_fts(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Load the fts extension into an open connection, from the wheel; returns the connection."""
    con.execute(load_statement())
    return con


def split_statements(sql: str) -> list[str]:
    """The statements of a SQL script, split at semicolons outside quotes and comments.

    Run one by one, since a pragma (create_fts_index) is expanded before earlier statements run.
    """
    statements: list[str] = []
    current: list[str] = []
    quote, i = "", 0
    while i < len(sql):
        char = sql[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif char == ";":
            statements.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    statements.append("".join(current).strip())
    return [statement for statement in statements if statement]
