"""One deterministic load, then a sha256 of every Parquet file of the committed snapshot.

    .venv/bin/python bench/same_tables.py RAW_DIR WAREHOUSE_DIR --load-id ID > tables.sha256

The load is the one tests/load/test_ingest.py checks for byte-identical output: a fixed start
time and load id (the only inputs that vary by design), one worker process. Run it with the
same corpus on two commits (PYTHONPATH set to each checkout) and compare the outputs: equal
lines mean byte-identical tables. The ledger's `finished_at` is the wall clock: loads.parquet
is hashed without it (its other columns as Arrow IPC), and said so.
It imports newsetl as laid out before the package restructure too, to compare with that commit:

    git archive main newsetl sql pyproject.toml | tar -x -C /tmp/main-src
    PYTHONPATH=/tmp/main-src .venv/bin/python bench/same_tables.py raw wh-main --load-id L > main
    .venv/bin/python bench/same_tables.py raw wh-house --load-id L > house && cmp main house
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

try:
    from newsetl.load.ingest import Load
    from newsetl.store.paths import resolve_paths
except ImportError:  # the flat layout before the restructure
    from newsetl.load.ingest import Load
    from newsetl.settings import resolve_paths

STARTED = dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.UTC)
WALL_CLOCK = {"loads.parquet": "finished_at"}


def digest(path: Path) -> str:
    """The file's sha256; for a table with a wall-clock column, that of its other columns."""
    column = WALL_CLOCK.get(path.name)
    if column is None:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    table = pq.read_table(path).drop_columns([column])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest() + f" (without {column})"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="same_tables.py", description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir")
    parser.add_argument("warehouse_dir")
    parser.add_argument("--load-id", required=True, help="the load's id, e.g. 20260101T020000Z-a")
    args = parser.parse_args(argv)
    load = Load(resolve_paths(args.raw_dir, args.warehouse_dir), started_at=STARTED, workers=1)
    load.load_id = args.load_id
    summary = load.run()
    print(f"# load {summary.load_id}: {summary.files_loaded} loaded", file=sys.stderr)
    snapshot = (Path(args.warehouse_dir) / "current").resolve()
    for path in sorted(snapshot.rglob("*.parquet")):
        print(f"{digest(path)}  {path.relative_to(snapshot).as_posix()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
