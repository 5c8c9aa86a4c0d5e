"""Time search queries on two warehouses alternately, best of N: before and after a change.

Each warehouse's news.duckdb holds its own macros (build it with the code to compare), so one
process reads both: `python bench/search_compare.py OLD_DIR NEW_DIR`. A pair's old query may be
written differently (the old syntax for the same matches) or be missing (a new feature).
Alternating keeps the two sides under the same load on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from newsetl.warehouse.connect import connect

TOP10 = "select article_id, score, title, snippet from search_articles({}) limit 10"
# label: (old query or None, new query)
PAIRS: dict[str, tuple[str | None, str]] = {
    "any of trade, tariffs": (TOP10.format("'trade tariffs'"), TOP10.format("'trade OR tariffs'")),
    "china": (TOP10.format("'china'"), TOP10.format("'china'")),
    "yuan exchange": (TOP10.format("'yuan exchange'"), TOP10.format("'yuan exchange'")),
    "belt and road": (TOP10.format("'belt and road'"), TOP10.format("'\"belt and road\"'")),
    "count of a phrase": (None, "select search_count('\"belt and road\"')"),
    "OR and -word": (None, TOP10.format("'yuan OR renminbi exchange -cultural'")),
    "term_trend('belt and road'), unchanged": (
        "select * from term_trend('belt and road')",
        "select * from term_trend('belt and road')",
    ),
}


def operator_seconds(node: dict[str, Any]) -> float:
    """The sum of the operators' seconds in a DuckDB JSON profile (profiled)."""
    return float(node.get("operator_timing", 0)) + sum(
        operator_seconds(child) for child in node.get("children", [])
    )


def profiled(con: duckdb.DuckDBPyConnection, sql: str, profile: Path) -> dict[str, Any]:
    """Run `sql` to the end with DuckDB's JSON profiler on (written to `profile`); its tree."""
    con.execute("pragma enable_profiling = 'json'")
    con.execute(f"set profiling_output = '{profile}'")
    try:
        con.sql(sql).fetchall()
    finally:
        con.execute("pragma disable_profiling")
    tree: dict[str, Any] = json.loads(profile.read_text())
    return tree


def _timed(con: duckdb.DuckDBPyConnection, sql: str, profile: Path | None) -> float:
    """Wall seconds of one query, or with `profile` (a file for DuckDB's JSON profile) the sum
    of its operators' seconds: the work done, which another process's load disturbs less."""
    if profile is None:
        started = time.perf_counter()
        con.sql(sql).fetchall()
        return time.perf_counter() - started
    return operator_seconds(profiled(con, sql, profile))


def main(argv: list[str] | None = None) -> int:
    """Print a Markdown table: each query's best time on each warehouse."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old_dir")
    parser.add_argument("new_dir")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--same-queries",
        action="store_true",
        help="run the new queries on both (two versions of the same syntax)",
    )
    parser.add_argument(
        "--operator-time",
        action="store_true",
        help="report the sum of DuckDB's operator times (its profiler) instead of wall time",
    )
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp())
    profile = scratch / "profile.json" if args.operator_time else None
    best: dict[tuple[str, int], float] = {}
    with connect(args.old_dir) as old, connect(args.new_dir) as new:
        for _ in range(args.repeat):
            for label, (old_sql, new_sql) in PAIRS.items():
                queries = (new_sql if args.same_queries else old_sql, new_sql)
                for side, (con, sql) in enumerate(zip((old, new), queries, strict=True)):
                    if sql is None:
                        continue
                    elapsed = _timed(con, sql, profile)
                    best[label, side] = min(best.get((label, side), elapsed), elapsed)
    if profile is not None:
        profile.unlink(missing_ok=True)
    scratch.rmdir()
    print(f"| query | {args.old_dir} (s) | {args.new_dir} (s) |\n|---|---:|---:|")
    for label in PAIRS:
        cells = [f"{best[label, side]:.3f}" if (label, side) in best else "" for side in (0, 1)]
        print(f"| {label} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
