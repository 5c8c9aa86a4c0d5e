"""Time the analyst queries with the models of two `sql/` directories, alternated.

`python bench/search_profile.py WAREHOUSE_DIR OLD_SQL_DIR NEW_SQL_DIR`: each side's views and
macros are created in a DuckDB of its own in memory over the warehouse's current snapshot, so
nothing is written to the warehouse (a copy made with `cp -al` is safe) and no news.duckdb is
built or tested. `--new-warehouse DIR` puts the new side over another warehouse: the same
articles written by another version of the load (a change to the files as well as the models).
For each query (bench/analyst_queries.py's, or `--query SQL`) it prints, best of N, the wall
seconds, the sum of DuckDB's operator seconds (its profiler) and this process's CPU seconds: on
a shared machine the CPU seconds move least with the others' load. `--results` compares instead
what the two sides return, as a row count and a digest of the sorted rows.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from bench.analyst_queries import QUERIES
from bench.search_compare import operator_seconds, profiled
from newsetl.store.snapshot import current_snapshot
from newsetl.store.sql import load_fts
from newsetl.warehouse.build import create_models


def open_models(warehouse_dir: Path, sql_dir: Path, threads: int) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding `sql_dir`'s models over the warehouse's current snapshot."""
    con = duckdb.connect(config={"threads": threads})
    con.execute("set enable_progress_bar = false")
    load_fts(con)
    create_models(con, sql_dir, current_snapshot(warehouse_dir))
    return con


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(con: duckdb.DuckDBPyConnection, sql: str, profile: Path) -> tuple[float, float, float]:
    """Wall, operator and CPU seconds of one run of `sql`."""
    cpu, started = _cpu_seconds(), time.perf_counter()
    tree = profiled(con, sql, profile)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return wall, operator_seconds(tree), cpu


def digest(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The row count and a digest of the sorted rows (floats rounded to 9 places)."""
    rows = sorted(
        repr(tuple(round(v, 9) if isinstance(v, float) else v for v in row))
        for row in con.sql(sql).fetchall()
    )
    hashed = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]
    return f"{len(rows)} rows {hashed}"


def main(argv: list[str] | None = None) -> int:
    """Print a Markdown table of each query on both sides."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("warehouse_dir", type=Path)
    parser.add_argument("old_sql", type=Path)
    parser.add_argument("new_sql", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--query", action="append", help="SQL to time instead of the bench's")
    parser.add_argument("--results", action="store_true", help="compare results, not times")
    parser.add_argument(
        "--new-warehouse",
        type=Path,
        help="the new side's warehouse (the same articles written by the new load), "
        "instead of warehouse_dir",
    )
    args = parser.parse_args(argv)
    queries = {sql: sql for sql in args.query} if args.query else QUERIES
    sides = [
        open_models(args.warehouse_dir, args.old_sql, args.threads),
        open_models(args.new_warehouse or args.warehouse_dir, args.new_sql, args.threads),
    ]
    profile = Path(tempfile.mkdtemp()) / "profile.json"
    load = f"load average {os.getloadavg()[0]:.1f}"
    if args.results:
        print("| query | old | new | same |\n|---|---|---|---|")
        for name, sql in queries.items():
            old, new = (digest(con, sql) for con in sides)
            print(f"| {name} | {old} | {new} | {'yes' if old == new else 'NO'} |", flush=True)
    else:
        print(
            f"Best of {args.repeat}, alternated; wall / operator / CPU seconds.\n\n"
            "| query | old wall | new wall | old operators | new operators | old CPU | new CPU |\n"
            "|---|---:|---:|---:|---:|---:|---:|"
        )
        for name, sql in queries.items():
            runs: list[list[tuple[float, float, float]]] = [[], []]
            for _ in range(args.repeat):
                for side, con in enumerate(sides):
                    runs[side].append(measure(con, sql, profile))
            best = [[min(run[i] for run in side) for i in range(3)] for side in runs]
            cells = " | ".join(f"{best[s][i]:.3f}" for i in range(3) for s in (0, 1))
            print(f"| {name} | {cells} |", flush=True)
    print(f"\n{load} at the start, {os.getloadavg()[0]:.1f} at the end.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
