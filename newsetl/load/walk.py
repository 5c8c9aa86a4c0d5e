"""Walk a local raw folder: its article files, the entries that cannot be read, the folders
that cannot be listed. No single entry stops the walk."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from newsetl.settings import RAW_FILE_SUFFIX
from newsetl.text.parse import RejectReason


class RawLocationUnreadable(OSError):
    """The raw folder itself cannot be listed (permissions, a failing mount)."""

    def __str__(self) -> str:
        return str(self.strerror)  # the message names the folder and what to do: no errno


@dataclass(frozen=True, slots=True)
class OddEntry:
    """An entry of the raw folder that is not read as an article, and why: a reject row.

    `source_file` is its path relative to the raw folder, a folder's with a trailing `/`; a
    name that is not UTF-8 is shown with its bad bytes escaped (`caf\\xe9.txt`).
    """

    source_file: str
    reason: str
    detail: str


@dataclass(slots=True)
class Folder:
    """One folder's share of the walk: its `*.txt` files (relative path, size, mtime_ns as
    three lists), its odd entries, and whether it could be listed at all."""

    paths: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    odd: list[OddEntry] = field(default_factory=list)
    unlisted: str | None = None
    # Subfolders replaced by a symlink (never followed): their files are unknown, not gone.
    linked: list[str] = field(default_factory=list)
    # This subfolder (relative, ending in `/`) when it was listed (the raw folder itself: None):
    # a folder listed with none of the files known there is held, as a share not mounted
    # (newsetl.load.discover.hold_vanished_folders).
    listed: str | None = None

    def add(self, relative: str, info: os.stat_result) -> None:
        self.paths.append(relative)
        self.sizes.append(info.st_size)
        self.mtimes.append(info.st_mtime_ns)


def walk_local(local: str) -> Iterator[Folder]:
    """The folders under `local`, each listed once: its files by name, then its subfolders.

    Symlinks are never followed out of the folder, nor to a folder (so the walk can neither
    loop nor leave it); a link to a file inside it is listed under the link's path. What
    cannot be read becomes an OddEntry: a bad link, a name that is not UTF-8, a FIFO or
    device named `*.txt`, an entry that cannot be stat'ed. A subfolder that cannot be listed
    is reported (`Folder.unlisted`) and the walk goes on; the folder itself must be listable
    (RawLocationUnreadable, FileNotFoundError, NotADirectoryError otherwise).
    """
    root = os.path.realpath(local)
    cut = len(root) + 1
    try:
        top = _entries(root)
    except OSError as exc:
        raise _root_error(root, exc) from None
    stack: list[tuple[str, list[os.DirEntry[str]] | None]] = [(root, top)]
    while stack:
        directory, entries = stack.pop()
        folder = Folder()
        if entries is None:
            try:
                entries = _entries(directory)
            except OSError as exc:
                relative = _shown(directory[cut:]) + "/"
                folder.unlisted = relative
                folder.odd.append(
                    OddEntry(
                        relative,
                        RejectReason.UNREADABLE,
                        f"cannot list folder: {_why(exc)}; the files known under it keep "
                        "their rows until it can be listed again",
                    )
                )
                yield folder
                continue
        if directory != root:
            folder.listed = _shown(directory[cut:]) + "/"
        subdirs: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            # A regular file is the common case (a million a night): one d_type check, no
            # symlink or directory probing before its stat.
            if entry.is_file(follow_symlinks=False):
                if name.endswith(RAW_FILE_SUFFIX):
                    _add_file(folder, entry, entry.path[cut:])
                continue
            try:
                if entry.is_symlink():
                    _add_link(folder, entry, entry.path[cut:], root)
                elif entry.is_dir(follow_symlinks=False):
                    if _utf8(name):
                        subdirs.append(entry.path)
                    else:
                        folder.odd.append(_bad_name(entry.path[cut:] + "/"))
                elif name.endswith(RAW_FILE_SUFFIX):
                    info = entry.stat(follow_symlinks=False)
                    folder.odd.append(_not_regular(_shown(entry.path[cut:]), info.st_mode))
            except FileNotFoundError:
                continue  # gone since the folder was listed: as if never listed
            except OSError as exc:
                folder.odd.append(_unreadable(entry.path[cut:], exc))
        yield folder
        stack.extend((path, None) for path in reversed(subdirs))


def check_listable(local: str) -> None:
    """Raise what walk_local would for the raw folder itself, reading one entry at most (a
    command checks this before its slow start)."""
    root = os.path.realpath(local)
    try:
        with os.scandir(root) as found:
            next(found, None)
    except OSError as exc:
        raise _root_error(root, exc) from None


def _root_error(root: str, exc: OSError) -> OSError:
    """The raw folder itself cannot be listed: why, and what to do."""
    if isinstance(exc, FileNotFoundError):
        return FileNotFoundError(
            f"raw dir {root} does not exist: pass --raw-dir or set NEWSETL_RAW_DIR"
        )
    if isinstance(exc, NotADirectoryError):
        return NotADirectoryError(
            f"raw dir {root} is a file, not a folder: pass the folder of the files"
        )
    return RawLocationUnreadable(
        exc.errno,
        f"cannot list raw dir {root}: {_why(exc)}: give the account that runs newsetl read "
        "access to it, or check its mount, then run again",
    )


def _entries(directory: str) -> list[os.DirEntry[str]]:
    with os.scandir(directory) as found:
        return sorted(found, key=attrgetter("name"))


def _add_file(folder: Folder, entry: os.DirEntry[str], relative: str) -> None:
    """A regular `*.txt` file: listed, unless its name is not UTF-8 or it cannot be stat'ed."""
    if not _utf8(entry.name):
        folder.odd.append(_bad_name(relative))
        return
    try:
        folder.add(relative, entry.stat(follow_symlinks=False))
    except FileNotFoundError:
        pass  # removed since the folder was listed: as if never listed
    except OSError as exc:
        folder.odd.append(_unreadable(relative, exc))


def _add_link(folder: Folder, entry: os.DirEntry[str], relative: str, root: str) -> None:
    """A symlink: listed when it names a regular file inside the raw folder, else odd.

    A link to a folder is never followed, whatever its name: a link to a parent would make the
    walk loop, and one elsewhere would read outside the raw folder. Other links not named
    `*.txt` are ignored, as any other file is.
    """
    named = entry.name.endswith(RAW_FILE_SUFFIX)
    try:
        info = os.stat(entry.path)
    except OSError as exc:
        if named:
            folder.odd.append(_broken_link(relative, entry.path, exc))
        return
    target = os.path.realpath(entry.path)
    if stat.S_ISDIR(info.st_mode):
        folder.linked.append(_shown(relative) + "/")
        folder.odd.append(
            OddEntry(
                _shown(relative) + "/",
                RejectReason.BAD_SYMLINK,
                f"symlink to the folder {_shown(target)}: links to folders are not followed "
                "(one to a parent would loop); move the folder itself under the raw dir. The "
                "files known under it keep their rows until it is a folder again",
            )
        )
    elif not named:
        return
    elif not _utf8(entry.name):
        folder.odd.append(_bad_name(relative))
    elif not _inside(target, root):
        folder.odd.append(
            OddEntry(
                relative,
                RejectReason.BAD_SYMLINK,
                f"symlink to {_shown(target)}, outside the raw dir: not followed",
            )
        )
    elif not stat.S_ISREG(info.st_mode):
        folder.odd.append(_not_regular(relative, info.st_mode))
    else:
        folder.add(relative, info)


def _broken_link(relative: str, path: str, exc: OSError) -> OddEntry:
    """A link that leads nowhere is a bad symlink; one that cannot be followed for now (a
    permission, an I/O error) is unreadable, and retried by every run."""
    if exc.errno == errno.ELOOP:
        return OddEntry(
            _shown(relative),
            RejectReason.BAD_SYMLINK,
            "symlink loop: the links never reach a file",
        )
    if exc.errno == errno.ENOENT:
        target = _shown(os.path.realpath(path))
        return OddEntry(
            _shown(relative), RejectReason.BAD_SYMLINK, f"symlink to {target}, which does not exist"
        )
    return OddEntry(
        _shown(relative), RejectReason.UNREADABLE, f"symlink that cannot be followed: {_why(exc)}"
    )


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip("/") + "/")


# What stat calls each kind of entry that is not a regular file.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def describe_mode(mode: int) -> str:
    """`a FIFO (named pipe)`, `a socket`, ...: what an entry that is not a regular file is."""
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def _not_regular(relative: str, mode: int) -> OddEntry:
    return OddEntry(
        relative,
        RejectReason.NOT_REGULAR_FILE,
        f"{describe_mode(mode)}, not a regular file: not read",
    )


def _unreadable(relative: str, exc: OSError) -> OddEntry:
    return OddEntry(_shown(relative), RejectReason.UNREADABLE, f"cannot stat: {_why(exc)}")


def _bad_name(relative: str) -> OddEntry:
    return OddEntry(
        _shown(relative),
        RejectReason.BAD_FILE_NAME,
        "the name is not UTF-8 (its bad bytes are shown escaped): rename it in UTF-8, "
        "e.g. convmv -f latin1 -t utf8 --notest, and the next run loads it",
    )


def _utf8(name: str) -> bool:
    """True when the name decoded from the disk is valid UTF-8 (os keeps bad bytes as
    lone surrogates, which no Arrow string can hold)."""
    if name.isascii():
        return True
    try:
        name.encode()
    except UnicodeEncodeError:
        return False
    return True


def _shown(relative: str) -> str:
    """The path as a valid string: bytes that are not UTF-8 escaped as `\\xNN`."""
    if _utf8(relative):
        return relative
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _why(exc: OSError) -> str:
    return f"{type(exc).__name__}: {exc.strerror or exc}"
