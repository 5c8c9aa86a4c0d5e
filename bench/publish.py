"""`make bench-publish`: time a warehouse published to S3 (moto's S3 API on localhost).

A full load of the generated corpus into `s3://bench/warehouse`, its build (which publishes a
news.duckdb reading the store), nights of 500 new files, then a second machine's pull of the
store's snapshot into an empty working copy. The store is on this machine, so the numbers are
the client's work and the request count, without a network's latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import s3fs
from moto.server import ThreadedMotoServer

import newsetl.load.ingest
from bench.run import ROOT, add_nightly_files, corpus, table
from newsetl.load.ingest import Load
from newsetl.store.paths import Paths
from newsetl.store.publish import PublishSummary, pull_snapshot
from newsetl.warehouse.build import build_database

STORE = "s3://bench/warehouse"
HEADER = (
    "run",
    "wall s",
    "publish s",
    "files uploaded",
    "MiB uploaded",
    "files copied on the store",
    "snapshots pruned",
)


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the results table)."""
    print(f"bench-publish: {message}", file=sys.stderr, flush=True)


@contextmanager
def s3_on_localhost() -> Iterator[str]:
    """An S3 API on localhost (moto's server) for the length of the block, and the environment
    that points s3fs (botocore) at it; yields its `host:port`. The environment is restored after.
    The tests use it too (tests/conftest.py)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = f"127.0.0.1:{server.get_host_and_port()[1]}"
    settings = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://{endpoint}",  # read by botocore, under s3fs
    }
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    s3fs.S3FileSystem.clear_instance_cache()
    try:
        yield endpoint
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()


@contextmanager
def timed_publishes() -> Iterator[list[tuple[float, PublishSummary | None]]]:
    """Record each publish of a load (seconds, what it sent) by wrapping the load's call."""
    publishes: list[tuple[float, PublishSummary | None]] = []
    publish = newsetl.load.ingest.publish_snapshot

    def timed(warehouse_dir: Path, url: str) -> PublishSummary | None:
        started = time.perf_counter()
        sent = publish(warehouse_dir, url)
        publishes.append((time.perf_counter() - started, sent))
        return sent

    newsetl.load.ingest.publish_snapshot = timed
    try:
        yield publishes
    finally:
        newsetl.load.ingest.publish_snapshot = publish


def steps(raw: Path, work: Path, args: argparse.Namespace) -> list[tuple[str, ...]]:
    """Full load, build, nights, pull: one table row each."""
    rows: list[tuple[str, ...]] = []
    paths = Paths(str(raw), work / "writer", STORE)
    with timed_publishes() as publishes:
        progress(f"full load of {args.count:,} articles into {STORE} ...")
        started = time.perf_counter()
        Load(paths).run()
        rows.append(row("full load", time.perf_counter() - started, *publishes[-1]))
        started = time.perf_counter()
        built = build_database(paths)
        rows.append(row("build + published news.duckdb", time.perf_counter() - started))
        assert built.published is not None
        for number in range(args.nights):
            progress(f"night {number + 1}: {args.files} new files ...")
            # Each night's files stay, as in an archive: one gone would be a deletion.
            add_nightly_files(raw, args.workdir, args.files, number, f"nightly/{number}")
            started = time.perf_counter()
            Load(paths).run()
            rows.append(row(f"night {number + 1}", time.perf_counter() - started, *publishes[-1]))
    progress("a second machine pulls the store's snapshot ...")
    started = time.perf_counter()
    pull_snapshot(STORE, work / "reader")
    rows.append(row("pull into an empty copy", time.perf_counter() - started))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nights", type=int, default=3, help="nights of --files new files")
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "publish-results.md")
    args = parser.parse_args(argv)
    raw = corpus(args.workdir, args.count, args.seed)
    work = args.workdir / "publish-work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(raw / "nightly", ignore_errors=True)
    try:
        with s3_on_localhost():
            s3fs.S3FileSystem().mkdir(STORE.removeprefix("s3://").split("/")[0])
            rows = steps(raw, work, args)
    finally:
        shutil.rmtree(raw / "nightly", ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    now = dt.datetime.now(dt.UTC)
    text = "\n".join(
        [
            f"# Publishing to S3: {args.count:,} articles, then {args.nights} nights of "
            f"{args.files} files",
            "",
            f"Measured {now:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores with "
            f"`python bench/publish.py --count {args.count}`, against moto's S3 API on "
            "localhost (no network latency: the client's work and the request count).",
            "",
            table(rows, HEADER),
            "",
        ]
    )
    print(text)
    args.out.write_text(text)
    return 0


def row(
    label: str, seconds: float, publish: float | None = None, sent: PublishSummary | None = None
) -> tuple[str, ...]:
    """One line: a step's wall time, and for a load its publish's time and what it sent."""
    if publish is None:
        return (label, f"{seconds:.1f}", *[""] * (len(HEADER) - 2))
    if sent is None:
        return (label, f"{seconds:.1f}", f"{publish:.2f}", *["0"] * (len(HEADER) - 3))
    return (
        label,
        f"{seconds:.1f}",
        f"{publish:.2f}",
        f"{sent.uploaded:,}",
        f"{sent.uploaded_bytes / 2**20:.1f}",
        f"{sent.copied:,}",
        f"{sent.pruned}",
    )


if __name__ == "__main__":
    raise SystemExit(main())
