"""Bad input a real feed sends: every file ends loaded, unchanged, duplicate or rejected."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsetl.load import process
from newsetl.load.ingest import Load, LoadSummary
from newsetl.store.paths import resolve_paths
from newsetl.store.state import read_manifest, read_rejects
from newsetl.text.parse import ParseError, RejectReason, parse_article
from tests.conftest import RawWriter, raw_text


def _run(raw_dir: Path, warehouse_dir: Path) -> LoadSummary:
    summary = Load(resolve_paths(raw_dir, warehouse_dir)).run()
    states = (
        summary.files_loaded,
        summary.files_unchanged,
        summary.files_duplicate,
        summary.files_rejected,
    )
    assert summary.files_seen == sum(states)  # nothing is ever unaccounted for
    return summary


def _states(warehouse_dir: Path) -> dict[str, tuple[str, str | None]]:
    """Every file's state, with the reject reason or the manifest's detail."""
    rejects = read_rejects(warehouse_dir / "_state")
    return {
        path: (entry.status, rejects[path].reason if path in rejects else entry.detail)
        for path, entry in read_manifest(warehouse_dir / "_state").items()
    } | {path: ("rejected", r.reason) for path, r in rejects.items()}


def test_a_feed_of_bad_files(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    write_raw("001_0000000000000001.txt", content=b"")
    write_raw("002_0000000000000002.txt", content=os.urandom(64) + b"\x00" * 64)
    write_raw("003_0000000000000003.txt", content=b"Published Time: 2022-06-20\nTitle: T\n")
    write_raw("004_0000000000000004.txt", title="")
    write_raw("005_0000000000000005.txt", published="2022-13-45")
    write_raw("006_0000000000000006.txt", published="2022-06-20 14:35")
    write_raw("007_0000000000000007.txt", published="June 21, 2022")
    write_raw("008_0000000000000008.txt", content=raw_text().replace("\n", "\r\n").encode())
    write_raw("009_0000000000000009.txt", content=b"\xef\xbb\xbf" + raw_text().encode())
    write_raw("010_000000000000000a.txt", content=raw_text(title="Wide").encode("utf-16"))
    write_raw("011_000000000000000b.txt", content=raw_text(title="Caf\xe9").encode("cp1252"))
    write_raw("012_000000000000000c.txt", content=raw_text().encode() + "é".encode()[:1])
    huge = write_raw("013_000000000000000d.txt", content=b"")
    os.truncate(huge, 200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    (raw_dir / "014_x.txt").mkdir()
    write_raw("014_x.txt/015_000000000000000f.txt")
    write_raw(".DS_Store", content=b"\x00\x01")
    write_raw("README.md", content=b"# notes")
    outside = tmp_path / "outside.txt"
    outside.write_text(raw_text())
    os.symlink(outside, raw_dir / "016_0000000000000010.txt")
    write_raw("017_0000000000000011.txt", title="Same bytes")
    write_raw("018_0000000000000012.txt", title="Same bytes")

    summary = _run(raw_dir, warehouse_dir)
    assert summary.files_seen == 17
    assert _states(warehouse_dir) == {
        "001_0000000000000001.txt": ("rejected", "empty"),
        "002_0000000000000002.txt": ("rejected", "binary"),
        "003_0000000000000003.txt": ("rejected", "no_text_marker"),
        "004_0000000000000004.txt": ("rejected", "no_title"),
        "005_0000000000000005.txt": ("loaded", None),
        "006_0000000000000006.txt": ("loaded", None),
        "007_0000000000000007.txt": ("loaded", None),
        "008_0000000000000008.txt": ("loaded", None),
        "009_0000000000000009.txt": ("loaded", None),
        "010_000000000000000a.txt": ("loaded", None),
        "011_000000000000000b.txt": ("loaded", None),
        "012_000000000000000c.txt": ("loaded", None),
        "013_000000000000000d.txt": ("rejected", "too_large"),
        "014_x.txt/015_000000000000000f.txt": ("loaded", None),
        "016_0000000000000010.txt": ("rejected", "bad_symlink"),
        "017_0000000000000011.txt": ("loaded", "same content as 018_0000000000000012.txt"),
        "018_0000000000000012.txt": ("loaded", "same content as 017_0000000000000011.txt"),
    }
    # Rejected files stay untouched in raw/ (the big one was never even read).
    assert huge.stat().st_size == 200 * 1024 * 1024
    junk = raw_dir / "002_0000000000000002.txt"
    assert read_rejects(warehouse_dir / "_state")[junk.name].sha256 == (
        hashlib.sha256(junk.read_bytes()).hexdigest()
    )
    assert (raw_dir / "README.md").exists() and (raw_dir / ".DS_Store").exists()


def test_size_limit_is_configurable(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    write_raw("001_0000000000000001.txt")
    summary = Load(resolve_paths(raw_dir, warehouse_dir), max_file_bytes=50).run()
    assert [(r.reason, r.detail.endswith("limit of 50")) for r in summary.rejects] == [
        ("too_large", True)
    ]


def test_unreadable_file_is_rejected_then_retried(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = write_raw("001_0000000000000001.txt")
    write_raw("002_0000000000000002.txt")
    real_open = os.open

    def guarded_open(path: Any, *args: Any, **kwargs: Any) -> int:
        # Tests run as root, where chmod 000 does not stop a read: refuse it here instead.
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(process.os, "open", guarded_open)
    first = _run(raw_dir, warehouse_dir)
    assert (first.files_loaded, first.files_rejected) == (1, 1)
    assert first.rejects[0].reason == "unreadable"
    assert first.rejects[0].detail == "PermissionError: Permission denied"
    monkeypatch.setattr(process.os, "open", real_open)
    os.utime(locked, ns=(2 * 10**18, 2 * 10**18))  # fixed permissions touch the file
    second = _run(raw_dir, warehouse_dir)
    assert (second.files_loaded, second.files_unchanged, second.files_rejected) == (1, 1, 0)


def test_file_changing_while_read_is_not_loaded_torn(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_raw("001_0000000000000001.txt")
    real_fstat = os.fstat
    calls = {"n": 0}

    def growing_fstat(descriptor: int) -> os.stat_result:
        calls["n"] += 1
        result = real_fstat(descriptor)
        if calls["n"] == 2:  # the stat after the read sees a writer's append
            values = list(result)
            values[6] = result.st_size + 10
            return os.stat_result(values)
        return result

    monkeypatch.setattr(process.os, "fstat", growing_fstat)
    first = _run(raw_dir, warehouse_dir)
    assert [(r.reason, r.detail) for r in first.rejects] == [
        ("changed_while_read", "size or mtime changed during the read")
    ]
    monkeypatch.setattr(process.os, "fstat", real_fstat)
    os.utime(raw_dir / "001_0000000000000001.txt", ns=(2 * 10**18, 2 * 10**18))
    assert _run(raw_dir, warehouse_dir).files_loaded == 1


PARSER_REASONS = {
    RejectReason.EMPTY,
    RejectReason.BINARY,
    RejectReason.UNDECODABLE,
    RejectReason.NO_TEXT_MARKER,
    RejectReason.NO_TITLE,
}


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_parser_raises_only_its_own_reject_reasons(content: bytes) -> None:
    try:
        parse_article("000_0000000000000000.txt", content)
    except ParseError as error:
        # What the bytes alone can show; the other reasons come from reading the file.
        assert error.reason in PARSER_REASONS and error.detail


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=60))
def test_parser_handles_any_header_values(body: str, title: str) -> None:
    content = raw_text(title=title.replace("\n", " "), body=body).encode()
    try:
        parsed = parse_article("x.txt", content)
    except ParseError as error:
        assert error.reason in ("no_title", "binary")
    else:
        assert parsed.title
