"""One writer at a time: an advisory lock file in the warehouse."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".lock"
# Builds of news.duckdb, one at a time (they read and write the record of the snapshots it reads).
BUILD_LOCK_FILE = ".build.lock"


class WarehouseLocked(Exception):
    """Another process holds the warehouse's writer lock."""


def _holder(lock_path: Path) -> str:
    try:
        text = lock_path.read_text().strip()
    except OSError:
        text = ""
    return text or "another process"


def _locked(lock_path: Path, doing: str) -> WarehouseLocked:
    return WarehouseLocked(
        f"the warehouse {lock_path.parent} is being {doing} by {_holder(lock_path)}; "
        "wait for that run to finish, then try again"
    )


def check_unlocked(warehouse_dir: Path) -> None:
    """Raise WarehouseLocked at once if another process holds the writer lock.

    A check, not the lock: a command that loads calls it before its slow start (Prefect's),
    so a second writer is refused in a moment; the run takes the lock itself later
    (writer_lock).
    """
    lock_path = warehouse_dir / LOCK_FILE
    try:
        handle = open(lock_path)  # noqa: SIM115 - closed below
    except OSError:
        return  # no lock file (no writer yet), or none to check: writer_lock decides
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _locked(lock_path, "written") from None
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def writer_lock(warehouse_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's writer lock for the block, waiting up to `wait_seconds` for it.

    The lock is an flock on `warehouse/.lock`, so it is released by the kernel when the holder
    dies, even by `kill -9`: a crashed run never leaves a stale lock behind.
    """
    with _flock(warehouse_dir / LOCK_FILE, wait_seconds, "written"):
        yield


@contextmanager
def build_lock(warehouse_dir: Path, wait_seconds: float = 600.0) -> Iterator[None]:
    """Hold the lock of news.duckdb's builds (`warehouse/.build.lock`, an flock like
    writer_lock's), waiting up to `wait_seconds` for a build under way to finish. Loads do not
    take it: a build and a load run side by side."""
    with _flock(warehouse_dir / BUILD_LOCK_FILE, wait_seconds, "built"):
        yield


@contextmanager
def _flock(lock_path: Path, wait_seconds: float, doing: str) -> Iterator[None]:
    warehouse_dir = lock_path.parent
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the whole block
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _locked(lock_path, doing) from None
                time.sleep(min(0.5, max(0.01, deadline - time.monotonic())))
        handle.seek(0)
        handle.truncate()
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {started}\n")
        handle.flush()
        yield
    finally:
        handle.close()
