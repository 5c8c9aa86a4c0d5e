"""List the raw article files and decide which of them a load must read."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsetl.settings import RAW_FILE_SUFFIX


@dataclass(frozen=True, slots=True)
class RawFile:
    """One candidate article file: its path relative to the raw dir, size and mtime."""

    source_file: str
    size: int
    mtime_ns: int


class FileStatus:
    """The one state every raw file ends a load in."""

    LOADED = "loaded"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(slots=True)
class ManifestEntry:
    """What the manifest remembers of one raw file (a row of `_state/manifest.parquet`)."""

    source_file: str
    size: int
    mtime_ns: int
    sha256: str | None
    status: str
    detail: str | None
    article_id: str | None
    published_date: dt.date | None
    load_id: str
    first_seen: dt.datetime
    last_loaded: dt.datetime | None


@dataclass(slots=True)
class Plan:
    """The files a load reads (`to_read`) and those it can skip without reading."""

    to_read: list[RawFile] = field(default_factory=list)
    unchanged: list[RawFile] = field(default_factory=list)
    # Files read again although unchanged (a backfill or a full refresh).
    forced: set[str] = field(default_factory=set)

    @property
    def files_seen(self) -> int:
        return len(self.to_read) + len(self.unchanged)


def list_raw_files(raw_dir: Path) -> Iterator[RawFile | tuple[str, str]]:
    """Every `*.txt` under raw_dir, sorted; hidden entries and other files are ignored.

    Symlinks are not followed out of raw_dir, nor dangling: such an entry is yielded as
    (path, detail) so the caller can record it as rejected rather than lose track of it.
    Paths stay strings on the hot path: a nightly run lists every file of the archive.
    """
    root = raw_dir.resolve()
    cut = len(str(root)) + 1
    stack = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield (directory[cut:] or ".", f"cannot list directory: {exc}")
            continue
        subdirs: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            relative = entry.path[cut:]
            if entry.is_symlink():
                problem = _symlink_problem(Path(entry.path), root)
                if problem:
                    if name.endswith(RAW_FILE_SUFFIX):
                        yield (relative, problem)
                    continue
            if entry.is_dir():
                subdirs.append(entry.path)
            elif name.endswith(RAW_FILE_SUFFIX) and entry.is_file():
                stat = entry.stat()
                yield RawFile(relative, stat.st_size, stat.st_mtime_ns)
        stack.extend(reversed(subdirs))


def _symlink_problem(path: Path, root: Path) -> str | None:
    """Why a symlink in raw/ is not followed, or None when it may be."""
    target = path.resolve()
    if not target.is_relative_to(root):
        return f"symlink to {target}, outside the raw dir: not followed"
    if not target.exists():
        return f"symlink to {target}, which does not exist"
    return None


def plan_load(
    files: list[RawFile],
    known: Mapping[str, ManifestEntry],
    *,
    full_refresh: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Plan:
    """Split files into those to read (new, changed, forced) and those unchanged.

    A file whose size and mtime match the manifest is unchanged without being read. With
    `since`/`until`, files whose article falls in that range are read again (a backfill).
    """
    plan = Plan()
    backfill = since is not None or until is not None
    for raw in files:
        previous = known.get(raw.source_file)
        if previous is None or full_refresh:
            plan.to_read.append(raw)
            if previous is not None:
                plan.forced.add(raw.source_file)
        elif backfill and _in_range(previous.published_date, since, until):
            plan.to_read.append(raw)
            plan.forced.add(raw.source_file)
        elif previous.size == raw.size and previous.mtime_ns == raw.mtime_ns:
            plan.unchanged.append(raw)
        else:
            plan.to_read.append(raw)
    return plan


def _in_range(day: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if day is None:
        return False
    return (since is None or day >= since) and (until is None or day <= until)
