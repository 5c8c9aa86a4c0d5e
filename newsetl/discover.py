"""List the raw article files and decide which of them a load must read."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from newsetl.manifest import ManifestEntry, as_manifest
from newsetl.raw_store import list_objects, local_path
from newsetl.settings import RAW_FILE_SUFFIX


@dataclass(frozen=True, slots=True)
class RawFile:
    """One candidate article file: its path relative to the raw dir, size and mtime."""

    source_file: str
    size: int
    mtime_ns: int


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


def list_raw_files(raw_dir: str | Path) -> Iterator[RawFile | tuple[str, str]]:
    """Every `*.txt` under raw_dir, sorted; hidden entries and other files are ignored.

    raw_dir is a local folder (a path or a file:// URL) or an fsspec URL such as
    `s3://bucket/raw`, listed through fsspec (newsetl.raw_store.list_objects) in the same order.
    Symlinks are not followed out of raw_dir, nor dangling: such an entry is yielded as
    (path, detail) so the caller can record it as rejected rather than lose track of it.
    Paths stay strings on the hot path: a nightly run lists every file of the archive.
    """
    local = local_path(raw_dir)
    if local is None:
        for relative, size, mtime_ns in list_objects(str(raw_dir), RAW_FILE_SUFFIX):
            yield RawFile(relative, size, mtime_ns)
        return
    root = Path(local).resolve()
    cut = len(str(root)) + 1
    stack = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=attrgetter("name"))
        except OSError as exc:
            yield (directory[cut:] or ".", f"cannot list directory: {exc}")
            continue
        subdirs: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            # A regular file is the common case (a million a night): one d_type check, no
            # symlink or directory probing before its stat.
            if entry.is_file(follow_symlinks=False):
                if name.endswith(RAW_FILE_SUFFIX):
                    stat = entry.stat(follow_symlinks=False)
                    yield RawFile(entry.path[cut:], stat.st_size, stat.st_mtime_ns)
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
    manifest = as_manifest(known)
    stats = manifest.stats()
    for raw in files:
        path = raw.source_file
        known_stat = stats.get(path)
        if known_stat is None or full_refresh:
            plan.to_read.append(raw)
            if known_stat is not None:
                plan.forced.add(path)
        elif backfill and _in_range(manifest.value(path, "published_date"), since, until):
            plan.to_read.append(raw)
            plan.forced.add(path)
        elif known_stat == (raw.size, raw.mtime_ns):
            plan.unchanged.append(raw)
        else:
            plan.to_read.append(raw)
    return plan


def _in_range(day: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if day is None:
        return False
    return (since is None or day >= since) and (until is None or day <= until)
