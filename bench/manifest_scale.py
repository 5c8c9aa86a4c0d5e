"""Time the manifest and measure the flow process's per-file memory at archive scale (no files).

    .venv/bin/python bench/manifest_scale.py --count 1000000

Builds `count` synthetic manifest entries and batch outcomes in memory, then times what a load
does with them (write, read, plan a nightly run of 500 new files, update, write again), and
prints the RSS of a first load's commit step by step, twice, each in a fresh process: holding an
object per file as the load did before (RawFile listing, FileOutcome batches, ManifestEntry per
file), and with the listing, outcomes and manifest as Arrow columns as it does now (RSS after
each step, once Arrow's allocator has handed back what it freed, as the load has it do).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import multiprocessing
import pickle
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil
import pyarrow as pa

from newsetl.load.discover import LISTING, FileList, RawFile, plan_load
from newsetl.load.ingest import release_free_memory
from newsetl.load.outcome_table import FileOutcome, Outcomes
from newsetl.load.outcomes import (
    flag_identical_content,
    settle_duplicates,
    updated_manifest,
    winner_keys_by_partition,
)
from newsetl.load.process import BatchResult
from newsetl.store.manifest import FileStatus, Manifest, ManifestEntry
from newsetl.store.state import read_manifest, write_manifest

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BATCH = 2_000


def _path(i: int) -> str:
    return f"part-{i // 1000:04d}/{i % 1000:03d}_{i:016x}.txt"


def _entry(i: int) -> ManifestEntry:
    day = dt.date(2015 + i % 9, 1 + i % 12, 1 + i % 28)
    return ManifestEntry(
        _path(i), 2000 + i % 500, 1_700_000_000 * 10**9 + i, f"{i:064x}", FileStatus.LOADED,
        None, f"{i:016x}", day, "load-1", NOW, NOW,
    )  # fmt: skip


def _listing(count: int) -> Iterator[RawFile]:
    return (RawFile(_path(i), 2000 + i % 700, 1_700_000_000 * 10**9 + i) for i in range(count))


def _loaded(raw: RawFile, i: int) -> FileOutcome:
    sha256 = hashlib.sha256(i.to_bytes(8)).hexdigest()  # distinct from the first characters on
    return FileOutcome(raw, FileStatus.LOADED, sha256, f"{i:016x}", dt.date(2020, 1 + i % 12, 1))


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
    nightly = FileList.of(RawFile(f"nightly/{i:03d}.txt", 100, 1) for i in range(500))
    files = FileList(pa.concat_tables([manifest.columns(LISTING.names), nightly.table]))
    started = time.perf_counter()
    plan = plan_load(files, manifest)
    started = _timed(f"plan ({len(plan.to_read)} to read)", started)
    outcomes = Outcomes.of(
        FileOutcome(raw, FileStatus.LOADED, "ab" * 32, f"new{i:013x}", dt.date(2023, 12, 15))
        for i, raw in enumerate(plan.to_read)
    )
    started = time.perf_counter()
    after = updated_manifest(manifest, outcomes, "load-2", NOW)
    started = _timed("update", started)
    write_manifest(state, after)
    _timed("write", started)


def first_load_memory(count: int, columns: bool) -> list[tuple[str, float, float]]:
    """(step, RSS MB, seconds) after each step of a first load's commit of `count` files:
    with the listing, outcomes and manifest as columns, or (not `columns`) as objects."""
    process, steps = psutil.Process(), []
    started = time.perf_counter()

    def step(label: str) -> None:
        nonlocal started
        now = time.perf_counter()
        release_free_memory()  # as the load does after its columnar steps
        steps.append((label, process.memory_info().rss / 1e6, now - started))
        started = time.perf_counter()

    step("start")
    files = FileList.of(_listing(count)) if columns else list(_listing(count))
    step("listing")
    results = []
    for start in range(0, count, BATCH):
        batch = [_loaded(raw, start + i) for i, raw in enumerate(files[start : start + BATCH])]
        result = BatchResult(Outcomes.of(batch)) if columns else (batch, set())
        # Unpickled, as results come back from worker processes: their own copies.
        results.append(pickle.loads(pickle.dumps(result)))
    step("batch outcomes")
    if columns:
        outcomes = flag_identical_content(
            settle_duplicates(Outcomes.concat(r.outcomes for r in results))
        )
        step("duplicates settled")
        winner_keys_by_partition(outcomes)
        step("winner keys by partition")
        updated_manifest(Manifest(), outcomes, "load-1", NOW).to_table()
        step("manifest columns")
        # What ingest's _write_snapshot builds as long as it takes FileOutcome objects.
        winners = {o.article_id: o for o in outcomes if o.status == FileStatus.LOADED}
        step(f"+ {len(winners):,} FileOutcome winners (_write_snapshot today)")
    else:
        entries = {}
        for batch, _ in results:
            for o in batch:
                raw = o.raw
                entries[raw.source_file] = ManifestEntry(
                    raw.source_file, raw.size, raw.mtime_ns, o.sha256, o.status, o.detail,
                    o.article_id, o.published_date, "load-1", NOW, NOW,
                )  # fmt: skip
        step("manifest entries")
    return steps


def print_memory(count: int) -> None:
    """The two first-load runs side by side, each in a fresh process."""
    spawn = multiprocessing.get_context("spawn")
    runs = {}
    for columns in (False, True):
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            runs[columns] = pool.submit(first_load_memory, count, columns).result()
    print(f"\n| first load of {count:,} files: after | RSS MB, objects (before) |")
    print("|---|---|")
    for label, rss, _ in runs[False]:
        print(f"| {label} | {rss:,.0f} |")
    print(f"\n| first load of {count:,} files: after | RSS MB, columns (now) | s |")
    print("|---|---|---|")
    for label, rss, seconds in runs[True]:
        print(f"| {label} | {rss:,.0f} | {seconds:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="files (1,000,000)")
    args = parser.parse_args(argv)
    time_manifest(args.count)
    print_memory(args.count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
