"""What search's macros (sql/macros/search_matches.sql, search_count.sql) read, from DuckDB's
profile of the query: the Parquet files and columns each scan touches, on a small warehouse.
At a million articles reading a column of every file is what makes a search slow."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import connect
from tests.conftest import raw_text

ARTICLES = [
    ("Belt and Road forum opens", "Trade leaders gathered for the forum on the yuan."),
    ("Trade deal signed", "A trade deal that cuts tariffs, says the renminbi desk."),
    ("Road works", "The belt of the road was closed for trade."),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("search_plans")
    raw = root / "raw"
    raw.mkdir()
    for number, (title, body) in enumerate(ARTICLES):
        (raw / f"{number:03d}_{number:016x}.txt").write_text(
            raw_text(title=title, body=body, published=f"2022-0{number + 1}-10")
        )
    paths = resolve_paths(raw, root / "warehouse")
    Load(paths).run()
    build_database(paths)
    with connect(paths.warehouse_dir) as connection:
        yield connection


def _scans(node: dict[str, Any], found: dict[str, set[str]]) -> None:
    info = node.get("extra_info") or {}
    if info.get("Function") == "READ_PARQUET":
        files = str(info.get("Filename(s)", ""))
        projected = info.get("Projections", [])
        columns = {projected} if isinstance(projected, str) else set(projected)
        for table in set(re.findall(r"/(\w+)/year=", files)):
            found.setdefault(table, set()).update(columns)
    for child in node.get("children", []):
        _scans(child, found)


def scanned(con: duckdb.DuckDBPyConnection, sql: str, profile: Path) -> dict[str, set[str]]:
    """The columns each table's Parquet scans read while `sql` ran, by table directory."""
    con.execute("pragma enable_profiling = 'json'")
    con.execute(f"set profiling_output = '{profile}'")
    try:
        con.execute(sql).fetchall()
    finally:
        con.execute("pragma disable_profiling")
    found: dict[str, set[str]] = {}
    _scans(json.loads(profile.read_text()), found)
    return found


@pytest.mark.parametrize(
    "sql",
    [
        "select * from search_matches('trade deal')",
        "select * from search_matches('yuan OR renminbi -tariffs')",
        "select * from search_matches('trade', title_weight := 1)",
        "select search_count('belt road')",
    ],
)
def test_a_query_without_a_phrase_reads_no_title_or_body(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, sql: str
) -> None:
    tables = scanned(con, sql, tmp_path / "profile.json")
    assert "search_terms" in tables  # the profile was read: the postings were scanned
    assert not tables.get("articles", set()) & {"title", "body"}


@pytest.mark.parametrize(
    "sql",
    [
        "select * from search_matches('\"belt and road\"')",
        "select search_count('trade -\"trade deal\"')",
    ],
)
def test_a_phrase_reads_the_text_it_checks(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, sql: str
) -> None:
    assert {"title", "body"} <= scanned(con, sql, tmp_path / "profile.json")["articles"]
