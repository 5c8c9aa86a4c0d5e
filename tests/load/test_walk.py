"""Walking a local raw folder (newsetl.load.walk): no single entry stops the walk."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from newsetl.load.discover import RawFile, list_raw_columns, list_raw_files
from newsetl.load.walk import OddEntry, RawLocationUnreadable, walk_local
from tests.faults import python_as_plain_user

LIST = """
import json, sys
from newsetl.load.discover import list_raw_columns
try:
    listing = list_raw_columns(sys.argv[1])
except OSError as exc:
    print(json.dumps({"error": [type(exc).__name__, str(exc)]}))
else:
    print(json.dumps({
        "files": listing.files.paths().to_pylist(),
        "odd": [[o.source_file, o.reason, o.detail] for o in listing.odd],
        "unlisted": listing.unlisted,
    }))
"""


def _list_as_plain_user(raw: Path) -> dict[str, list[object]]:
    done = python_as_plain_user(LIST, str(raw))
    assert done.returncode == 0, done.stderr
    found: dict[str, list[object]] = json.loads(done.stdout)
    return found


def _files(raw: Path, *names: str) -> None:
    for name in names:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(name)


def _odd(raw: Path) -> list[OddEntry]:
    return [item for item in list_raw_files(raw) if isinstance(item, OddEntry)]


def _paths(raw: Path) -> list[str]:
    return [item.source_file for item in list_raw_files(raw) if isinstance(item, RawFile)]


def test_a_symlink_loop_is_one_bad_symlink_each(tmp_path: Path) -> None:
    _files(tmp_path, "001_x.txt", "sub/002_x.txt")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("self.md", tmp_path / "self.md")  # not an article name: ignored, loop or not
    loop = "symlink loop: the links never reach a file"
    assert _odd(tmp_path) == [
        OddEntry("a.txt", "bad_symlink", loop),
        OddEntry("b.txt", "bad_symlink", loop),
    ]
    assert _paths(tmp_path) == ["001_x.txt", "sub/002_x.txt"]


def test_a_link_to_a_parent_folder_is_not_walked(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _files(raw, "001_x.txt", "sub/002_x.txt")
    os.symlink("..", raw / "sub" / "up")
    os.symlink(tmp_path, raw / "sub" / "out")
    assert _paths(raw) == ["001_x.txt", "sub/002_x.txt"]  # each file once: no loop
    assert _odd(raw) == [
        OddEntry(
            "sub/out/",
            "bad_symlink",
            f"symlink to the folder {tmp_path}: links to folders are not followed (one to a "
            "parent would loop); move the folder itself under the raw dir. The files known "
            "under it keep their rows until it is a folder again",
        ),
        OddEntry(
            "sub/up/",
            "bad_symlink",
            f"symlink to the folder {raw}: links to folders are not followed (one to a "
            "parent would loop); move the folder itself under the raw dir. The files known "
            "under it keep their rows until it is a folder again",
        ),
    ]


def test_a_name_that_is_not_utf8_is_one_reject(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path)
    _files(tmp_path, "001_x.txt")
    for name in (b"caf\xe9.txt", b"caf\xe9.md", b"d\xe9j\xe0/002_x.txt"):
        os.makedirs(os.path.dirname(os.path.join(raw, name)), exist_ok=True)
        with open(os.path.join(raw, name), "wb") as handle:
            handle.write(b"x")
    odd = _odd(tmp_path)
    assert [(o.source_file, o.reason) for o in odd] == [
        ("caf\\xe9.txt", "bad_file_name"),
        ("d\\xe9j\\xe0/", "bad_file_name"),  # the folder once, not walked
    ]
    assert odd[0].detail.startswith("the name is not UTF-8")
    assert "convmv" in odd[0].detail
    assert _paths(tmp_path) == ["001_x.txt"]
    listing = list_raw_columns(tmp_path)  # the columns hold valid strings only
    assert listing.files.paths().to_pylist() == ["001_x.txt"]


def test_a_fifo_or_socket_named_like_an_article_is_rejected_unopened(tmp_path: Path) -> None:
    _files(tmp_path, "001_x.txt")
    os.mkfifo(tmp_path / "002_x.txt")
    os.mkfifo(tmp_path / "notes.fifo")  # not an article name: ignored
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "003_x.txt"))
        os.symlink("002_x.txt", tmp_path / "004_x.txt")
        assert _odd(tmp_path) == [
            OddEntry(
                "002_x.txt", "not_regular_file", "a FIFO (named pipe), not a regular file: not read"
            ),
            OddEntry("003_x.txt", "not_regular_file", "a socket, not a regular file: not read"),
            OddEntry(
                "004_x.txt", "not_regular_file", "a FIFO (named pipe), not a regular file: not read"
            ),
        ]
    finally:
        server.close()
    assert _paths(tmp_path) == ["001_x.txt"]


def test_a_folder_that_cannot_be_listed_is_reported_and_the_walk_goes_on(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _files(raw, "001_x.txt", "a/002_x.txt", "locked/003_x.txt", "z/004_x.txt")
    (raw / "locked").chmod(0o000)
    try:
        found = _list_as_plain_user(raw)
    finally:
        (raw / "locked").chmod(0o755)
    assert found == {
        "files": ["001_x.txt", "a/002_x.txt", "z/004_x.txt"],
        "odd": [
            [
                "locked/",
                "unreadable",
                "cannot list folder: PermissionError: Permission denied; the files known "
                "under it keep their rows until it can be listed again",
            ]
        ],
        "unlisted": ["locked/"],
    }


def test_a_folder_listed_but_not_searchable_rejects_its_files(tmp_path: Path) -> None:
    # r-- without x: the names can be read, the files cannot even be stat'ed.
    raw = tmp_path / "raw"
    _files(raw, "001_x.txt", "dim/002_x.txt")
    (raw / "dim").chmod(0o444)
    try:
        found = _list_as_plain_user(raw)
    finally:
        (raw / "dim").chmod(0o755)
    assert found["files"] == ["001_x.txt"]
    assert found["odd"] == [
        ["dim/002_x.txt", "unreadable", "cannot stat: PermissionError: Permission denied"]
    ]
    assert found["unlisted"] == []


def test_the_raw_dir_itself_must_be_there_and_listable(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist: pass --raw-dir"):
        list(walk_local(str(tmp_path / "nowhere")))
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        list(walk_local(str(tmp_path / "file.txt")))
    raw = tmp_path / "raw"
    _files(raw, "001_x.txt")
    raw.chmod(0o000)
    try:
        found = _list_as_plain_user(raw)
    finally:
        raw.chmod(0o755)
    assert found == {
        "error": [
            RawLocationUnreadable.__name__,
            f"cannot list raw dir {raw}: PermissionError: Permission denied: give the "
            "account that runs newsetl read access to it, or check its mount, then run again",
        ]
    }
