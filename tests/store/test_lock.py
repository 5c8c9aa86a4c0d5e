"""One writer at a time (newsetl.store.lock)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsetl.load.ingest import Load
from newsetl.store.lock import WarehouseLocked, check_unlocked, writer_lock
from newsetl.store.paths import resolve_paths

HOLD = """
import sys, time
from pathlib import Path
from newsetl.store.lock import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""

TEXT: dict[str, Any] = {"stdout": subprocess.PIPE, "text": True}


def _holder(warehouse_dir: Path, seconds: float) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse_dir), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    return process


def test_second_writer_gets_a_clear_message(tmp_path: Path) -> None:
    holder = _holder(tmp_path, 30)
    try:
        with pytest.raises(WarehouseLocked) as caught, writer_lock(tmp_path):
            pass
        message = str(caught.value)
        assert f"is being written by pid {holder.pid} on " in message
        assert message.endswith("wait for that run to finish, then try again")
    finally:
        holder.kill()
        holder.wait()


def test_second_writer_can_wait_for_the_first(tmp_path: Path) -> None:
    holder = _holder(tmp_path, 1.0)
    started = time.monotonic()
    with writer_lock(tmp_path, wait_seconds=20):
        waited = time.monotonic() - started
    holder.wait()
    assert 0.3 < waited < 20


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = _holder(tmp_path, 60)
    holder.kill()  # SIGKILL: no cleanup code runs
    holder.wait()
    with writer_lock(tmp_path):
        assert (tmp_path / ".lock").read_text().startswith(f"pid {os.getpid()} ")


def test_a_load_refuses_to_start_while_another_writes(raw_dir: Path, warehouse_dir: Path) -> None:
    holder = _holder(warehouse_dir, 30)
    try:
        with pytest.raises(WarehouseLocked):
            Load(resolve_paths(raw_dir, warehouse_dir)).run()
    finally:
        holder.kill()
        holder.wait()
    assert not (warehouse_dir / "current").exists()


def test_the_check_refuses_while_another_writes_and_takes_nothing(tmp_path: Path) -> None:
    check_unlocked(tmp_path / "no-warehouse-yet")
    assert not (tmp_path / "no-warehouse-yet").exists()  # a check creates nothing
    holder = _holder(tmp_path, 30)
    try:
        with pytest.raises(WarehouseLocked, match=f"is being written by pid {holder.pid} on "):
            check_unlocked(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    check_unlocked(tmp_path)
    with writer_lock(tmp_path):  # the check held nothing: the lock is free
        pass


def test_a_lock_held_by_a_backup_names_it_not_the_last_run(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **TEXT)
    dead = int(finished.stdout)  # the last newsetl run, long ended, left its line behind
    lock = tmp_path / ".lock"
    lock.write_text(f"pid {dead} on {socket.gethostname()} since 2026-12-06 02:00:00 UTC\n")
    backup = subprocess.Popen(["flock", str(lock), "sh", "-c", "echo locked; sleep 30"], **TEXT)
    try:
        assert backup.stdout is not None and backup.stdout.readline() == "locked\n"
        with pytest.raises(WarehouseLocked) as caught:
            check_unlocked(tmp_path)
    finally:
        backup.kill()
        backup.wait()
    message = str(caught.value)
    assert message.startswith(
        f"the warehouse {tmp_path} is locked by another process, not a newsetl run (a backup's "
        f"flock?): pid {backup.pid} (flock /"  # its command line, cut at 80 characters
    )
    assert message.endswith(
        f"); wait for it to finish, then try again (`fuser -v {lock}` or `lsof {lock}` shows "
        "who holds it)"
    )
    assert str(dead) not in message.replace(str(tmp_path), "")
