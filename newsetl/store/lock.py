"""One writer at a time: an advisory lock file in the warehouse."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
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


def _recorded(lock_path: Path) -> str:
    """The line the last newsetl writer left in the lock file: `pid N on HOST since TIME`."""
    try:
        return lock_path.read_text().strip()
    except OSError:
        return ""


def lock_holders(lock_path: Path) -> list[int] | None:
    """The pids holding an flock on `lock_path`, from /proc/locks; None where that cannot be
    read (not Linux). A pid in another pid namespace shows as 0 there and is left out."""
    try:
        stat = lock_path.stat()
        table = Path("/proc/locks").read_text()
    except OSError:
        return None
    device = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    pids = []
    for line in table.splitlines():
        fields = line.split()
        if "->" in fields or len(fields) < 6 or fields[1] != "FLOCK":
            continue  # a waiter, or another kind of lock
        if fields[5] == device and fields[4] != "0":
            pids.append(int(fields[4]))
    return pids


def _command_of(pid: int) -> str:
    """The command line of a process, shortened, or '' when it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    command = " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    return command if len(command) <= 80 else command[:77] + "..."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _recorded_holder_holds(recorded: str, holders: list[int] | None) -> bool:
    """True when the newsetl run named in the lock file is what holds the lock (or, on another
    host or without /proc/locks, cannot be ruled out)."""
    match = re.match(r"pid (\d+) on (\S+) since ", recorded)
    if match is None:
        return False
    pid, host = int(match.group(1)), match.group(2)
    if host != socket.gethostname():
        return True  # a lock over a network file system: its holder cannot be checked here
    return pid in holders if holders is not None else _alive(pid)


def _locked(lock_path: Path, doing: str) -> WarehouseLocked:
    recorded, holders = _recorded(lock_path), lock_holders(lock_path)
    if _recorded_holder_holds(recorded, holders):
        return WarehouseLocked(
            f"the warehouse {lock_path.parent} is being {doing} by {recorded}; "
            "wait for that run to finish, then try again"
        )
    # Not a newsetl run (those record themselves): a backup's `flock`, or another tool.
    found = ", ".join(
        f"pid {pid}" + (f" ({command})" if (command := _command_of(pid)) else "")
        for pid in holders or []
    )
    who = f": {found}" if found else ""
    return WarehouseLocked(
        f"the warehouse {lock_path.parent} is locked by another process, not a newsetl run (a "
        f"backup's flock?){who}; wait for it to finish, then try again (`fuser -v {lock_path}` "
        f"or `lsof {lock_path}` shows who holds it)"
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
