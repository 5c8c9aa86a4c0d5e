"""Raw locations given as fsspec URLs (s3://, gs://, memory://): open, list and read them."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsetl.text.parse import ParseError, RejectReason

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

# Protocols that name this machine's disk: they take the plain-path code (os.scandir, open).
LOCAL_PROTOCOLS = frozenset({"file", "local"})
# The optional dependency (pyproject's extras) that installs each protocol's fsspec package.
PROTOCOL_EXTRAS = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs"}
# Where backends report a modification time, in order of preference. `created` comes last: the
# memory filesystem has nothing else (a rewritten memory file is a new file, created anew).
TIME_KEYS = ("mtime", "LastModified", "last_modified", "modified", "updated", "created")
# A backend without any time: a content fingerprint stands in for the mtime (see modified_ns).
FINGERPRINT_KEYS = ("ETag", "etag", "md5Hash", "crc32c", "checksum", "content_md5", "generation")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+")


class RawLocationError(ValueError):
    """A raw location that cannot be opened: a missing package, an unknown protocol."""


def protocol(location: str | Path) -> str | None:
    """The location's (first) protocol, e.g. "s3"; None for a plain path."""
    if isinstance(location, Path):
        return None
    head = location.split("::", 1)[0]  # a chained URL (simplecache::s3://...) opens outward
    if "://" in head:
        name = head.split("://", 1)[0]
    elif "::" in location:
        name = head
    else:
        return None
    # Only a scheme-like name: a local folder may contain "::" ("/data/a::b") and stays a path.
    return name.lower() if SCHEME.fullmatch(name) else None


def is_url(location: str | Path) -> bool:
    """True for a location on another filesystem than this machine's disk (s3://, memory://).

    A plain path and a file:// URL are local: they keep the fast os.scandir/open code.
    """
    name = protocol(location)
    return name is not None and name not in LOCAL_PROTOCOLS


def local_path(location: str | Path) -> str | None:
    """A plain path or file:// URL as a local path (not made absolute); None for other URLs."""
    name = protocol(location)
    if name is None:
        return str(location)
    if name not in LOCAL_PROTOCOLS:
        return None
    from fsspec.implementations.local import LocalFileSystem

    return str(LocalFileSystem._strip_protocol(str(location)))


def normalise_location(location: str | Path) -> str:
    """An absolute local path for a path or file:// URL; any other URL as given, minus a
    trailing slash (so `s3://bucket/raw/` and `s3://bucket/raw` are one location)."""
    local = local_path(location)
    if local is not None:
        return str(Path(local).expanduser().resolve())
    text = str(location)
    stripped = text.rstrip("/")
    return text if stripped.endswith(":") else stripped  # keep a bare `memory://` whole


def filesystem(url: str) -> tuple[AbstractFileSystem, str]:
    """The fsspec filesystem of url and the root path on it.

    fsspec caches filesystem instances, so each process (a pool worker, a Dask worker) opens
    a location once however many files it reads. A missing package or an unknown protocol
    raises RawLocationError saying what to install.
    """
    from fsspec.core import url_to_fs

    name = protocol(url) or "file"
    try:
        fs, root = url_to_fs(url)
    except ImportError as exc:
        extra = PROTOCOL_EXTRAS.get(name)
        if extra is not None:
            raise RawLocationError(
                f"{name}:// needs the {extra} extra: pip install 'newsetl[{extra}]' "
                f"(or uv sync --extra {extra})"
            ) from exc
        raise RawLocationError(f"{name}:// needs a package that is not installed: {exc}") from exc
    except ValueError as exc:
        raise RawLocationError(f"{url}: {exc} (not a protocol fsspec knows)") from exc
    return fs, str(root)


def location_is_dir(location: str) -> bool:
    """Whether the location is an existing folder (a prefix holding objects, on a store).

    Raises RawLocationError when the protocol's package is missing; the backend's own error
    (credentials, network) otherwise.
    """
    local = local_path(location)
    if local is not None:
        return os.path.isdir(os.path.expanduser(local))
    fs, root = filesystem(location)
    return bool(fs.isdir(root))


def modified_ns(info: Mapping[str, Any]) -> int:
    """The object's modification time in integer nanoseconds, from whatever its backend reports.

    Times come as datetimes (S3's LastModified), epoch seconds (mtime) or ISO strings (GCS's
    updated); all are taken to the microsecond, so one object listed (find) and then stat'ed
    (info) gives the same number even where one reports a float and the other a datetime.
    A backend reporting no time at all gets a fingerprint of its ETag or checksum instead:
    stable while the object is unchanged, different once it is rewritten, which is all that
    the plan's "same size and mtime means unchanged" needs. With neither, 0: a rewrite of the
    same size then goes unnoticed until a full refresh.
    """
    for key in TIME_KEYS:
        value = info.get(key)
        if value is not None and (ns := _as_ns(value)) is not None:
            return ns
    for key in FINGERPRINT_KEYS:
        value = info.get(key)
        if value is not None:
            digest = hashlib.sha256(f"{key}={value}".encode()).digest()
            return int.from_bytes(digest[:8], "big") >> 1  # fits the manifest's int64
    return 0


def _as_ns(value: object) -> int | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return (moment - EPOCH) // dt.timedelta(microseconds=1) * 1000
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        ns = round(value * 1_000_000) * 1000
        return ns if abs(ns) < 2**63 else None  # not epoch seconds: the manifest holds int64
    return None


def _join(root: str, relative: str) -> str:
    return posixpath.join(root, relative) if root else relative


def list_objects(url: str, suffix: str) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every `*suffix` object under url, hidden ones skipped.

    In the order of the local walk (discover.list_raw_files): within a folder its files by
    name, then its subfolders by name, so a location lists the same way on any filesystem.
    A listing that fails (credentials, network) raises: a run that cannot see its input must
    stop, not record the whole location as one rejected file.
    """
    fs, root = filesystem(url)
    try:
        found: dict[str, dict[str, Any]] = fs.find(root, detail=True, withdirs=False)
    except Exception as exc:
        raise OSError(f"cannot list raw location {url}: {type(exc).__name__}: {exc}") from exc
    prefix = root.rstrip("/") + "/" if root.rstrip("/") else ""
    entries: list[tuple[str, dict[str, Any]]] = []
    for path, info in found.items():
        relative = (path[len(prefix) :] if path.startswith(prefix) else path).lstrip("/")
        if not relative.endswith(suffix) or info.get("type") == "directory":
            continue
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        entries.append((relative, info))
    entries.sort(key=lambda entry: _walk_order(entry[0]))
    for relative, info in entries:
        yield relative, int(info.get("size") or 0), modified_ns(info)


def _walk_order(relative: str) -> tuple[tuple[int, str], ...]:
    """Sort key putting a folder's files (0) before its subfolders (1), each by name."""
    *folders, name = relative.split("/")
    return (*((1, folder) for folder in folders), (0, name))


def read_object(
    fs: AbstractFileSystem, root: str, relative: str, max_bytes: int
) -> tuple[bytes, int, int]:
    """The object's bytes and its (size, mtime_ns) as read; raises ParseError with a reject reason.

    The same rules as a local read (process.read_raw): an object over the size limit is refused
    unread (its size is checked before any byte is fetched, and at most max_bytes + 1 are
    asked for), and one whose size or mtime differ before and after the read is refused as
    changed while read. Any backend error (missing, permission, network) rejects the file as
    unreadable: the next run, seeing it unchanged, does not retry it until it changes.
    `fs` and `root` are the location's filesystem(url), opened once by the caller.
    """
    path = _join(root, relative)
    try:
        fs.invalidate_cache(path)  # a listing's cached details must not stand in for a stat
        before = fs.info(path)
        size = int(before.get("size") or 0)
        # Size 0 is read as nothing: a ranged GET of an empty object is an error on some stores.
        too_big = size > max_bytes
        content = b"" if too_big or size == 0 else fs.cat_file(path, start=0, end=max_bytes + 1)
        fs.invalidate_cache(path)
        after = fs.info(path)
    except Exception as exc:  # backends raise their own types: all mean "could not read it"
        detail = f"{type(exc).__name__}: {exc}"[:300]
        raise ParseError(RejectReason.UNREADABLE, detail) from None
    if too_big or len(content) > max_bytes:
        raise ParseError(RejectReason.TOO_LARGE, f"grew past the limit of {max_bytes} bytes")
    stat_before = (size, modified_ns(before))
    stat_after = (int(after.get("size") or 0), modified_ns(after))
    if stat_before != stat_after or len(content) != stat_after[0]:
        raise ParseError(RejectReason.CHANGED_WHILE_READ, "size or mtime changed during the read")
    return bytes(content), stat_after[0], stat_after[1]
