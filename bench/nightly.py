"""`make bench-nightly`: time nightly runs (new files, load, build) on an archive-scale warehouse.

The warehouse (`WORKDIR/warehouse-nightly-COUNT-SEED`) is made once by a full load and build of
the generated corpus (not timed as a night) and reused by later runs, so it grows by each night's
files. Each night adds `--files` new articles under raw/nightly/<n>/, then times the load and the
build (`only_if_changed`) in this process, without Prefect. The nights' files stay in raw/ while
the bench runs (a file gone would be a deletion), and are parked beside the warehouse between
runs, since the corpus is shared with the other benches. The target is a median night of at
most 15 s, Prefect's start excluded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.run import BENCH, ROOT, add_nightly_files, corpus
from newsetl.load.ingest import Load, table_row_counts
from newsetl.settings import ARTICLES_TABLE
from newsetl.store.paths import Paths, resolve_paths
from newsetl.store.snapshot import current_snapshot
from newsetl.store.state import read_loads
from newsetl.warehouse.build import build_database

TARGET_SECONDS = 15.0
# The nights' files, under raw/ while the bench runs (parked beside the warehouse between runs).
NIGHTS = "nightly"


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the results table)."""
    print(f"bench-nightly: {message}", file=sys.stderr, flush=True)


def unpark_nights(raw: Path, parked: Path) -> None:
    """Put earlier runs' nightly files back into raw/nightly/: the warehouse holds their
    articles, and a file gone from raw/ would be a deletion. A run that died left them in
    raw/: they join the parked ones first."""
    nights = raw / NIGHTS
    if nights.is_dir():
        park_nights(raw, parked)
    if parked.is_dir():
        parked.rename(nights)


def park_nights(raw: Path, parked: Path) -> None:
    """Move raw/nightly/ aside (the corpus is shared with the other benches), keeping every
    night's folder."""
    nights = raw / NIGHTS
    if not nights.is_dir():
        return
    parked.mkdir(parents=True, exist_ok=True)
    for folder in sorted(nights.iterdir()):
        if not (parked / folder.name).exists():
            folder.rename(parked / folder.name)
    shutil.rmtree(nights)


def ensure_warehouse(paths: Paths) -> float | None:
    """Make the warehouse once with a full load and build (its seconds); None when reused."""
    if current_snapshot(paths.warehouse_dir) is not None:
        progress(f"reusing {paths.warehouse_dir} (it keeps the files of earlier runs' nights)")
        return None
    progress(f"one-time setup: full load and build of {paths.warehouse_dir} (not a night) ...")
    started = time.perf_counter()
    summary = Load(paths).run()
    build_database(paths)
    seconds = time.perf_counter() - started
    progress(f"one-time setup done in {seconds:.1f} s ({summary.files_loaded:,} files loaded)")
    return seconds


def night(paths: Paths, workdir: Path, files: int) -> tuple[int, float, float, int]:
    """Add `files` new files, then time the load and the build: (loaded, load s, build s, tested).

    The seed is the ledger's length, so every night (of this run or an earlier one) brings files
    the manifest has never seen. Earlier nights' files stay in raw/nightly/ (unpark_nights).
    """
    raw = paths.raw_dir
    seed = len(read_loads(paths.state_dir))
    add_nightly_files(raw, workdir, files, seed, f"{NIGHTS}/{seed}")
    started = time.perf_counter()
    summary = Load(paths).run()
    load = time.perf_counter() - started
    started = time.perf_counter()
    build = build_database(paths, only_if_changed=True)
    seconds = time.perf_counter() - started
    if summary.files_loaded != files or summary.files_deleted:
        raise SystemExit(
            f"bench-nightly: expected {files} files loaded, got {summary.files_loaded} "
            f"(seen {summary.files_seen}, unchanged {summary.files_unchanged}, duplicate "
            f"{summary.files_duplicate}, rejected {summary.files_rejected}, deleted "
            f"{summary.files_deleted}; nightly seed {seed})"
        )
    return summary.files_loaded, load, seconds, len(build.partitions_tested)


def main(argv: list[str] | None = None) -> int:
    """Set up (or reuse) the warehouse, run the nights, and write the table to --out."""
    parser = argparse.ArgumentParser(
        prog="bench/nightly.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--count", "-n", type=int, default=1_000_000, help="articles (1,000,000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (1)")
    parser.add_argument("--files", type=int, default=500, help="new files per night (500)")
    parser.add_argument("--nights", type=int, default=3, help="nights to time (3)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=ROOT / ".cache" / "bench",
        help="corpus and warehouse cache (.cache/bench)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH / "nightly-results.md",
        help="where the table goes (bench/nightly-results.md)",
    )
    args = parser.parse_args(argv)
    if args.files < 1 or args.nights < 1:
        parser.error("--files and --nights must be at least 1")
    args.workdir.mkdir(parents=True, exist_ok=True)
    raw = corpus(args.workdir, args.count, args.seed)
    paths = resolve_paths(raw, args.workdir / f"warehouse-nightly-{args.count}-{args.seed}")
    parked = args.workdir / f"{paths.warehouse_dir.name}-raw-nights"
    if current_snapshot(paths.warehouse_dir) is None:
        shutil.rmtree(parked, ignore_errors=True)  # a new warehouse: no night to keep
    unpark_nights(raw, parked)
    rows: list[str] = []
    totals: list[float] = []
    try:
        setup = ensure_warehouse(paths)
        before = table_row_counts(paths)[ARTICLES_TABLE]
        for number in range(1, args.nights + 1):
            progress(f"night {number}/{args.nights}: {args.files} new files ...")
            loaded, load, build, tested = night(paths, args.workdir, args.files)
            totals.append(load + build)
            rows.append(
                f"| {number} | {loaded:,} | {load:.1f} | {build:.1f} | {load + build:.1f} "
                f"| {tested} |"
            )
            progress(f"night {number}: load {load:.1f} s, build {build:.1f} s ({tested} tested)")
    finally:
        park_nights(raw, parked)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    median = statistics.median(totals)
    verdict = "meets it" if median <= TARGET_SECONDS else "misses it"
    command = " ".join(["python", "bench/nightly.py", *(sys.argv[1:] if argv is None else argv)])
    text = "\n".join(
        [
            f"# newsetl nightly runs: {args.files} new files on {before:,} articles",
            "",
            f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores "
            f"with `{command}`: corpus of {args.count:,} articles (seed {args.seed}), warehouse "
            f"`{paths.warehouse_dir.name}` holding {before:,} articles before the first night "
            "(it keeps every night's files, of this run and earlier ones). Load "
            "(`Load(paths).run()`) and build (`build_database(paths, only_if_changed=True)`) "
            "run in one process, without Prefect.",
            "",
            "| night | files loaded | load s | build s | total s | partitions tested |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            f"Median night: {median:.1f} s; target ≤ {TARGET_SECONDS:.0f} s (Prefect's start "
            f"excluded): {verdict}. Peak RSS of this process: {peak_mb:,.0f} MB (the load's "
            "worker processes not included).",
            "",
        ]
    )
    if setup is not None:
        text += (
            f"\nThis run first made the warehouse (one-time setup, not a night: full load and "
            f"build in {setup:.1f} s); the peak RSS above includes it.\n"
        )
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
