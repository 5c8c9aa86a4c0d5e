"""Where a run reads and writes: the raw location and the warehouse's folders, made absolute."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsetl.settings import DATABASE_FILE, STAGING_DIR, STATE_DIR, Settings
from newsetl.store.raw import is_url, normalise_location


@dataclass(frozen=True)
class Paths:
    """Resolved locations of the raw input and the warehouse.

    `raw_location` is an absolute local folder or an fsspec URL (`s3://bucket/raw`): a string,
    so it travels to pool and Dask workers as is and each opens it there (newsetl.store.raw).
    `warehouse_dir` is always a local folder; with `warehouse_url` set it is the working copy
    of the warehouse published there (newsetl.store.publish).
    """

    raw_location: str
    warehouse_dir: Path
    warehouse_url: str | None = None

    @property
    def raw_is_local(self) -> bool:
        """True when the raw files are in a folder on this machine (not behind a URL)."""
        return not is_url(self.raw_location)

    @property
    def raw_dir(self) -> Path:
        """The raw folder on this machine; ValueError when the raw location is a URL."""
        if not self.raw_is_local:
            raise ValueError(
                f"raw location {self.raw_location} is a URL: this needs a local raw folder"
            )
        return Path(self.raw_location)

    @property
    def state_dir(self) -> Path:
        return self.warehouse_dir / STATE_DIR

    @property
    def staging_dir(self) -> Path:
        return self.warehouse_dir / STAGING_DIR

    @property
    def database(self) -> Path:
        return self.warehouse_dir / DATABASE_FILE

    def table_dir(self, table: str) -> Path:
        return self.warehouse_dir / table


# What DuckDB reads a table path as a pattern with (globs), or as a URL's query: a warehouse
# folder whose path holds one of them would commit a load, then fail every build.
PATTERN_CHARS = "*?[]{}"


class UnusablePath(ValueError):
    """A location newsetl cannot work with as named: the message says what to do."""


def check_location(kind: str, location: str, *, patterns: bool) -> None:
    """Refuse a path that is not UTF-8 (nothing can name it in Arrow or SQL), and, with
    `patterns`, one that holds a character DuckDB takes for a pattern (PATTERN_CHARS)."""
    try:
        location.encode()
    except UnicodeEncodeError:
        shown = location.encode(errors="surrogateescape").decode(errors="backslashreplace")
        raise UnusablePath(
            f"{kind} {shown} has a byte that is not UTF-8 in its path: rename the folder in "
            "UTF-8 (e.g. convmv -f latin1 -t utf8 --notest), or pass another one"
        ) from None
    found = sorted({char for char in location if char in PATTERN_CHARS}) if patterns else []
    if found:
        raise UnusablePath(
            f"{kind} {location} has {' '.join(found)} in its path, which DuckDB reads as a "
            f"pattern or a URL's query ({PATTERN_CHARS}): choose a folder without them"
        )


def resolve_paths(
    raw_dir: str | Path | None = None,
    warehouse_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> Paths:
    """Paths from explicit values, else the settings' (NEWSETL_RAW_DIR, ...), made absolute.

    Without `settings`, the defaults: raw/ and warehouse/ in the working directory. Either
    may be an fsspec URL; a `file://` URL becomes the local path it names. A warehouse URL is
    worked on in a local copy (see work_dir_for). A path newsetl cannot work with is refused
    before anything runs (check_location: UnusablePath).
    """
    settings = settings or Settings()
    raw = raw_dir or settings.raw_dir
    warehouse = normalise_location(warehouse_dir or settings.warehouse_dir)
    check_location("warehouse dir", warehouse, patterns=not is_url(warehouse))
    check_location("raw dir", str(raw), patterns=False)
    if is_url(warehouse):
        work_dir = work_dir_for(warehouse, settings.warehouse_work_dir, settings.cache_home)
        return Paths(normalise_location(raw), work_dir, warehouse)
    return Paths(normalise_location(raw), Path(warehouse))


def work_dir_for(url: str, configured: str | None = None, cache_home: str | None = None) -> Path:
    """The local working copy of a published warehouse: `configured`
    ($NEWSETL_WAREHOUSE_WORK_DIR), else a folder named after the URL under the user's cache
    (`cache_home`, $XDG_CACHE_HOME, else ~/.cache): ~/.cache/newsetl/warehouses/s3/bucket/wh.
    """
    if configured:
        return Path(configured).expanduser().resolve()
    cache = Path(cache_home).expanduser() if cache_home else Path.home() / ".cache"
    scheme, _, rest = url.partition("://")
    parts = [re.sub(r"[^A-Za-z0-9._-]", "_", part) for part in rest.split("/") if part]
    return (cache / "newsetl" / "warehouses" / scheme).joinpath(*parts).resolve()


# Why a folder cannot be made, by errno (the file system's own words can mislead: /proc says
# "No such file or directory" of a folder it will not create).
_CANNOT_MAKE = {
    errno.EACCES: "this user may not write there",
    errno.EPERM: "this user may not write there",
    errno.EROFS: "it is a read-only file system",
    errno.ENOSPC: "its disk is full",
    errno.EDQUOT: "the disk quota is used up",
}


def unwritable(folder: Path) -> str | None:
    """Why the local warehouse folder `folder` cannot be written (or created), or None.

    A real probe, not a permission check (root passes those, a read-only or virtual file system
    ignores them): a folder is made and removed in `folder`, or, when it does not exist yet, in
    its nearest existing ancestor, where it would be created.
    """
    folder = Path(os.path.abspath(folder.expanduser()))
    place = folder
    while not place.is_dir():
        if place.exists() or place.is_symlink():
            what = "is a file" if place.exists() else "is a link to nowhere"
            if place == folder:
                return f"{folder} {what}, not a folder: move it aside or choose another place"
            return (
                f"{folder} cannot be created: {place} {what}, not a folder: move it aside or "
                "choose another place"
            )
        place = place.parent
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".newsetl-probe-", dir=place))
    except OSError as exc:
        why = _CANNOT_MAKE.get(exc.errno or 0, "its file system does not take new folders")
        reason = f"[Errno {exc.errno}] {exc.strerror}" if exc.errno else str(exc)
        doing = "written" if place == folder else f"created in {place}"
        to_do = "choose another place"
        if exc.errno in (errno.EACCES, errno.EPERM):
            to_do = f"give the account that runs newsetl write access to {place}, or {to_do}"
        return f"{folder} cannot be {doing}: a trial folder failed with {reason} ({why}); {to_do}"
    return None
