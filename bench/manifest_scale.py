"""Time the manifest and measure the flow process's per-file memory at archive scale (no files).

    .venv/bin/python bench/manifest_scale.py --count 1000000

Builds `count` synthetic manifest entries and batch outcomes in memory, then times what a load
does with them (write, read, plan a nightly run of 500 new files, update, write again) and prints
the process's RSS after each step of a first load's commit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import tempfile
import time
from pathlib import Path

import psutil

from newsetl.discover import RawFile, plan_load
from newsetl.manifest import FileStatus, Manifest, ManifestEntry
from newsetl.outcomes import flag_identical_content, settle_duplicates, updated_manifest
from newsetl.process import BatchResult, FileOutcome
from newsetl.state import read_manifest, write_manifest

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _path(i: int) -> str:
    return f"part-{i // 1000:04d}/{i % 1000:03d}_{i:016x}.txt"


def _entry(i: int) -> ManifestEntry:
    day = dt.date(2015 + i % 9, 1 + i % 12, 1 + i % 28)
    return ManifestEntry(
        _path(i), 2000 + i % 500, 1_700_000_000 * 10**9 + i, f"{i:064x}", FileStatus.LOADED,
        None, f"{i:016x}", day, "load-1", NOW, NOW,
    )  # fmt: skip


def _timed(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"| {label} | {now - started:.2f} |")
    return now


def time_manifest(count: int) -> None:
    """Seconds of each manifest step of a nightly run over `count` known files."""
    state = Path(tempfile.mkdtemp())
    write_manifest(state, Manifest.from_entries(_entry(i) for i in range(count)))
    print(f"| manifest step, {count:,} entries | s |\n|---|---|")
    started = time.perf_counter()
    manifest = read_manifest(state)
    started = _timed("read", started)
    files = [RawFile(entry.source_file, entry.size, entry.mtime_ns) for entry in manifest.values()]
    files += [RawFile(f"nightly/{i:03d}.txt", 100, 1) for i in range(500)]
    started = time.perf_counter()
    plan = plan_load(files, manifest)
    started = _timed(f"plan ({len(plan.to_read)} to read)", started)
    outcomes = [
        FileOutcome(raw, FileStatus.LOADED, "ab" * 32, f"new{i:013x}", dt.date(2023, 12, 15))
        for i, raw in enumerate(plan.to_read)
    ]
    started = time.perf_counter()
    after = updated_manifest(manifest, outcomes, "load-2", NOW)
    started = _timed("update", started)
    write_manifest(state, after)
    _timed("write", started)


def first_load_memory(count: int) -> None:
    """RSS of this process after each step of a first load's commit of `count` files."""
    process = psutil.Process()
    print(f"\n| first load of {count:,} files: after | RSS MB |\n|---|---|")

    def rss(label: str) -> None:
        print(f"| {label} | {process.memory_info().rss / 1e6:,.0f} |")

    rss("start")
    files = [RawFile(_path(i), 2000 + i % 700, 1_700_000_000 * 10**9 + i) for i in range(count)]
    rss("listing")
    results = []
    for start in range(0, count, 2000):
        batch = [
            FileOutcome(raw, FileStatus.LOADED, f"{i:064x}", f"{i:016x}", dt.date(2020, 1, 1))
            for i, raw in enumerate(files[start : start + 2000], start=start)
        ]
        # Unpickled, as results come back from worker processes: their own copies.
        results.append(pickle.loads(pickle.dumps(BatchResult(batch))))
    rss("batch outcomes")
    outcomes = flag_identical_content(settle_duplicates([o for r in results for o in r.outcomes]))
    rss("duplicates settled")
    manifest = updated_manifest(Manifest(), outcomes, "load-1", NOW)
    rss("manifest entries")
    manifest.to_table()
    rss("manifest columns")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="files (1,000,000)")
    args = parser.parse_args(argv)
    time_manifest(args.count)
    first_load_memory(args.count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
