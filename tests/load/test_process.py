"""Processing one batch in a worker (newsetl.load.process): outcomes come back as Arrow columns."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.ipc as ipc
import pytest

from newsetl.load import process
from newsetl.load.deadline import RawLocationHung
from newsetl.load.discover import RawFile
from newsetl.load.outcome_table import OUTCOMES
from newsetl.load.process import (
    BatchResult,
    process_batch,
    read_ahead,
    read_raw,
    staged_parts_by_partition,
)
from newsetl.settings import DEFAULT_READ_TIMEOUT_SECONDS
from newsetl.text.parse import ParseError
from tests.conftest import ROOT, RawWriter

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _process_files(
    raw_dir: Path, staging: Path, names: list[str], known_sha: dict[str, str | None] | None = None
) -> BatchResult:
    """process_batch over the named files of raw_dir, as batch-00000 of load `load`."""
    files = [RawFile(name, (raw_dir / name).stat().st_size, 1) for name in names]
    return process_batch(
        files,
        raw_dir=raw_dir,
        staging_dir=staging,
        batch_name="batch-00000",
        load_id="load",
        ingested_at=NOW,
        known_sha=known_sha or {},
        forced=set(),
    )


def test_a_batch_returns_one_outcome_row_per_file(
    raw_dir: Path, tmp_path: Path, write_raw: RawWriter
) -> None:
    names = ["001_00000000000000a1.txt", "002_00000000000000a2.txt", "003_00000000000000a3.txt"]
    write_raw(names[0], published="2022-06-20")
    write_raw(names[1], content=b"")
    same = write_raw(names[2], title="Read before")
    known = {names[2]: hashlib.sha256(same.read_bytes()).hexdigest()}
    result = _process_files(raw_dir, tmp_path / "staging", names, known)
    # What a worker sends back: a few Arrow buffers, unpickled intact by the parent.
    result = pickle.loads(pickle.dumps(result))
    assert isinstance(result, BatchResult) and result.outcomes.table.schema == OUTCOMES
    rows = result.outcomes.table.select(["source_file", "status", "article_id", "reason"])
    assert rows.to_pylist() == [
        {"source_file": names[0], "status": "loaded", "article_id": "00000000000000a1",
         "reason": None},
        {"source_file": names[1], "status": "rejected", "article_id": None, "reason": "empty"},
        {"source_file": names[2], "status": "unchanged", "article_id": None, "reason": None},
    ]  # fmt: skip
    assert result.outcomes[0].published_date == dt.date(2022, 6, 20)
    assert result.staged_keys == {("2022", "06")}
    # One staging file per table, the month's rows its first record batch (no photos: no file).
    assert result.staged == {"articles": {("2022", "06"): 0}, "article_photos": {}}
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "staging").rglob("*.*")) == [
        Path("staging/articles/batch-00000.arrow")
    ]
    assert staged_parts_by_partition([result], tmp_path / "staging") == {
        "articles": {("2022", "06"): [(f"{tmp_path}/staging/articles/batch-00000.arrow", 0)]},
        "article_photos": {},
    }


def test_a_local_read_takes_the_whole_file_and_refuses_one_past_the_limit(
    raw_dir: Path, write_raw: RawWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_raw("001_00000000000000a1.txt").read_bytes()
    listed = RawFile("001_00000000000000a1.txt", len(content), 0)
    assert read_raw(raw_dir, listed, len(content))[0] == content
    # Listed within the limit, past it when opened: refused, having read one byte more only.
    with pytest.raises(ParseError, match=f"grew past the limit of {len(content) - 1} bytes"):
        read_raw(raw_dir, RawFile(listed.source_file, 1, 0), len(content) - 1)
    # A read may return fewer bytes than asked for: the reader goes on to the end.
    real_read = process.os.read
    monkeypatch.setattr(process.os, "read", lambda fd, size: real_read(fd, min(size, 7)))
    data, seen = read_raw(raw_dir, listed, 10**6)
    assert (data, seen.size) == (content, len(content))


def test_read_ahead_groups_files_by_bytes_in_order_with_their_read_errors() -> None:
    sizes = {"a.txt": 3, "b.txt": 5, "gone.txt": 0, "c.txt": 4, "d.txt": 1}

    def read(raw: RawFile) -> tuple[bytes, RawFile]:
        if raw.source_file == "gone.txt":
            raise ParseError("unreadable", "gone")
        return b"x" * sizes[raw.source_file], RawFile(raw.source_file, sizes[raw.source_file], 7)

    files = [RawFile(name, size, 1) for name, size in sizes.items()]
    groups = list(process.read_ahead(files, read, limit_bytes=8))
    # A group closes once it holds the limit: a+b (8 bytes, the error between them carried
    # along), then c+d, the rest.
    assert [[(raw.source_file, len(c) if isinstance(c, bytes) else c.reason) for raw, c in g]
            for g in groups] == [
        [("a.txt", 3), ("b.txt", 5)],
        [("gone.txt", "unreadable"), ("c.txt", 4), ("d.txt", 1)],
    ]  # fmt: skip
    # The files as read (their mtime) travel with their bytes; a failed read keeps the listing.
    assert [raw.mtime_ns for group in groups for raw, _ in group] == [7, 7, 1, 7, 7]
    assert [len(g) for g in process.read_ahead(files, read, limit_bytes=1)] == [1, 1, 2, 1]


def test_a_bug_costs_one_file_and_outcomes_keep_the_batch_order_across_groups(
    raw_dir: Path, tmp_path: Path, write_raw: RawWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"00{n}_00000000000000b{n}.txt" for n in range(1, 6)]
    for name in names:
        write_raw(name, published="2022-06-20")
    real_parse, real_clean = process.parse_article, process.clean_body

    def parse(source_file: str, content: bytes, sha256: str, latest: dt.date) -> object:
        if source_file == names[1]:
            raise KeyError("parser bug")
        return real_parse(source_file, content, sha256, latest)

    def clean(raw_body: str, title: str | None = None) -> object:
        if title == "Cleaner bug":
            raise ValueError("cleaner bug")
        return real_clean(raw_body, title)

    write_raw(names[3], title="Cleaner bug")
    monkeypatch.setattr(process, "parse_article", parse)
    monkeypatch.setattr(process, "clean_body", clean)
    # Groups of two files (213 bytes each): the outcomes must not depend on where groups end.
    monkeypatch.setattr(process.read_ahead, "__defaults__", (400, DEFAULT_READ_TIMEOUT_SECONDS))
    result = _process_files(raw_dir, tmp_path / "staging", names)
    rows = result.outcomes.table.select(["source_file", "status", "reason", "detail"])
    assert rows.to_pylist() == [
        {"source_file": names[0], "status": "loaded", "reason": None, "detail": None},
        {"source_file": names[1], "status": "rejected", "reason": "internal_error",
         "detail": "KeyError: 'parser bug'"},
        {"source_file": names[2], "status": "loaded", "reason": None, "detail": None},
        {"source_file": names[3], "status": "rejected", "reason": "internal_error",
         "detail": "ValueError: cleaner bug"},
        {"source_file": names[4], "status": "loaded", "reason": None, "detail": None},
    ]  # fmt: skip
    # The file the cleaner failed on still has its hash: a later run can tell it unchanged.
    assert (
        result.outcomes[3].sha256 == hashlib.sha256((raw_dir / names[3]).read_bytes()).hexdigest()
    )
    with ipc.open_file(tmp_path / "staging" / "articles" / "batch-00000.arrow") as staged:
        assert staged.read_all().column("source_file").to_pylist() == names[::2]


def test_a_fifo_put_in_place_after_the_listing_is_rejected_unread(
    raw_dir: Path, tmp_path: Path, write_raw: RawWriter
) -> None:
    names = ["001_00000000000000a1.txt", "002_00000000000000a2.txt"]
    for name in names:
        write_raw(name)
    files = [RawFile(name, (raw_dir / name).stat().st_size, 1) for name in names]
    (raw_dir / names[0]).unlink()  # listed as a file; a FIFO by the time it is read
    os.mkfifo(raw_dir / names[0])
    (raw_dir / names[1]).unlink()
    (raw_dir / names[1]).mkdir()
    result = process_batch(
        files,
        raw_dir=raw_dir,
        staging_dir=tmp_path / "staging",
        batch_name="batch-00000",
        load_id="load",
        ingested_at=NOW,
        known_sha={},
        forced=set(),
        read_timeout=30,
    )
    rows = result.outcomes.table.select(["source_file", "reason", "detail"]).to_pylist()
    assert rows == [
        {
            "source_file": names[0],
            "reason": "not_regular_file",
            "detail": "a FIFO (named pipe), not a regular file: not read",
        },
        {
            "source_file": names[1],
            "reason": "not_regular_file",
            "detail": "a folder, not a regular file: not read",
        },
    ]


class _Pipes:
    """Reads that really block (on a pipe nobody writes to) for the chosen files."""

    def __init__(self, hanging: set[str]) -> None:
        self.hanging = hanging
        self.writers: list[int] = []

    def read(self, raw: RawFile) -> tuple[bytes, RawFile]:
        if raw.source_file in self.hanging:
            end, writer = os.pipe()
            self.writers.append(writer)
            try:
                os.read(end, 1)  # blocks in the kernel until the test lets go
            finally:
                os.close(end)
        return raw.source_file.encode(), raw

    def release(self) -> None:
        for writer in self.writers:
            os.write(writer, b"x")
            os.close(writer)


def test_a_read_past_its_deadline_rejects_that_file_and_the_rest_is_read() -> None:
    files = [RawFile(f"{n}.txt", 5, 1) for n in "abcd"]
    pipes = _Pipes({"b.txt"})
    try:
        groups = list(read_ahead(files, pipes.read, limit_bytes=10, timeout=0.5))
    finally:
        pipes.release()
    flat = [(raw.source_file, got) for group in groups for raw, got in group]
    assert [name for name, _ in flat] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert [got for name, got in flat if name != "b.txt"] == [b"a.txt", b"c.txt", b"d.txt"]
    timed_out = dict(flat)["b.txt"]
    assert isinstance(timed_out, ParseError) and timed_out.reason == "read_timeout"
    assert timed_out.detail == (
        "no answer within 0.5 s (NEWSETL_READ_TIMEOUT_SECONDS): a hung mount or device? "
        "It is read again by the next run"
    )


def test_a_second_hung_read_stops_the_batch_with_the_files_named() -> None:
    files = [RawFile(f"{n}.txt", 5, 1) for n in "abcd"]
    pipes = _Pipes({"b.txt", "c.txt"})
    try:
        with pytest.raises(RawLocationHung) as caught:
            list(read_ahead(files, pipes.read, timeout=0.5))
    finally:
        pipes.release()
    assert str(caught.value) == (
        "the raw location stopped answering: reads of b.txt, c.txt took over 0.5 s each "
        "(NEWSETL_READ_TIMEOUT_SECONDS); check its mount, then run again (nothing was committed)"
    )


# Holds a BatchPool with two busy workers, prints the pids of its children, then sleeps.
POOL_HOLDER = """
import os, sys, time
from newsetl.load.process import BatchPool
with BatchPool(2) as pool:
    busy = [pool._executor.submit(time.sleep, 120) for _ in range(2)]
    while len(pool._executor._processes) < 2:
        time.sleep(0.05)
    time.sleep(1)  # the initializers ran: the workers watch their parent
    print("ready", flush=True)
    busy[0].result()
"""


def _children(parent: int) -> set[int]:
    """The live (not zombie) processes whose parent is `parent`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rpartition(")")[2].split()[:2]
        if int(ppid) == parent and state != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_pool_workers_and_their_resource_tracker_end_when_the_parent_is_killed() -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", POOL_HOLDER], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    children: set[int] = set()
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "ready\n"
        children = _children(holder.pid)
        assert len(children) == 3  # two workers and multiprocessing's resource tracker
        holder.kill()
        holder.wait()
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in children if _alive(pid)] == []
    finally:
        holder.kill()
        holder.wait()
        for pid in children:  # orphans of a failed check
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
