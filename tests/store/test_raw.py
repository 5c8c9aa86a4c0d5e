"""Raw locations given as fsspec URLs (newsetl.store.raw): memory:// stands in for s3:// and gs://.

memory:// lives in one process, so every load here runs in-process (`workers=1`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from fsspec.implementations.memory import MemoryFileSystem
from pydantic import ValidationError

from devtools.articles import write_corpus
from flows.cli import main
from flows.params import NightlyParams
from newsetl.load.discover import RawFile, list_raw_columns, list_raw_files
from newsetl.load.ingest import Load, LoadSummary
from newsetl.load.process import process_batch, read_raw
from newsetl.store.paths import resolve_paths
from newsetl.store.raw import (
    RawLocationError,
    filesystem,
    is_url,
    location_is_dir,
    modified_ns,
    normalise_location,
)
from newsetl.store.state import read_manifest, read_rejects
from newsetl.text.parse import ParseError
from tests.conftest import raw_text, table_rows


@pytest.fixture
def memory_url(memory_root: str) -> str:
    """A fresh memory:// raw location (tests.conftest.memory_root)."""
    return f"{memory_root}/raw"


def _upload(local: Path, url: str) -> None:
    """Every file under local, hidden ones included, to the same relative path under url."""
    fs, root = filesystem(url)
    for path in sorted(local.rglob("*")):
        if path.is_file():
            fs.pipe_file(f"{root}/{path.relative_to(local).as_posix()}", path.read_bytes())


def _load(raw: str | Path, warehouse: Path, **options: Any) -> LoadSummary:
    return Load(resolve_paths(raw, warehouse), workers=1, **options).run()


def _rejects(warehouse: Path) -> dict[str, tuple[str, str]]:
    return {p: (r.reason, r.detail) for p, r in read_rejects(warehouse / "_state").items()}


@pytest.mark.slow
def test_memory_location_loads_what_a_local_folder_loads(tmp_path: Path, memory_url: str) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 60, 5, gold=False, subdirs=3)
    (raw / "part-001" / "900_ffffffffffffffff.txt").write_bytes(b"\x00\x01 not text")
    (raw / ".hidden").mkdir()
    (raw / ".hidden" / "901_eeeeeeeeeeeeeeee.txt").write_text(raw_text())
    (raw / "notes.md").write_text("not an article")
    _upload(raw, memory_url)

    local = _load(raw, tmp_path / "local")
    remote = _load(memory_url, tmp_path / "memory")
    assert (remote.files_seen, remote.files_loaded, remote.files_rejected) == (61, 60, 1)
    assert (local.files_seen, local.files_loaded, local.files_rejected) == (61, 60, 1)
    for table in ("articles", "article_photos"):
        assert table_rows(tmp_path / "memory", table) == table_rows(tmp_path / "local", table), (
            table
        )
    assert _rejects(tmp_path / "memory") == _rejects(tmp_path / "local")


def test_file_url_is_the_plain_path(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 3, 1, gold=False, subdirs=2)
    url = raw.as_uri()
    assert url.startswith("file://") and not is_url(url)
    assert not is_url("/data/a::b") and is_url("simplecache::s3://bucket/raw")
    assert resolve_paths(url, tmp_path / "wh").raw_location == str(raw)
    assert resolve_paths(url, tmp_path / "wh").raw_dir == raw
    assert normalise_location(raw) == str(raw)
    assert list(list_raw_files(url)) == list(list_raw_files(raw))
    first = next(item for item in list_raw_files(url) if isinstance(item, RawFile))
    assert read_raw(url, first, 10**6) == read_raw(raw, first, 10**6)


def test_listing_skips_hidden_and_other_files_in_the_local_order(
    tmp_path: Path, memory_url: str
) -> None:
    raw = tmp_path / "raw"
    for name, content in {
        "z_last.txt": "z",
        "a/002_x.txt": "a",
        "a/deeper/003_x.txt": "d",
        "a/b.txt": "ab",
        "c.txt/004_x.txt": "c",  # a folder named like an article is walked
        "001_x.txt": "1",
        "README.md": "not an article",
        ".DS_Store": "hidden",
        ".hidden/005_x.txt": "hidden too",
        "a/.006_x.txt": "hidden file",
    }.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(content)
    _upload(raw, memory_url)
    listed = list(list_raw_files(memory_url))
    assert all(isinstance(item, RawFile) for item in listed)
    files = [item for item in listed if isinstance(item, RawFile)]
    local = [item for item in list_raw_files(raw) if isinstance(item, RawFile)]
    assert [(f.source_file, f.size) for f in files] == [(f.source_file, f.size) for f in local]
    assert [f.source_file for f in files] == [
        "001_x.txt",
        "z_last.txt",
        "a/002_x.txt",
        "a/b.txt",
        "a/deeper/003_x.txt",
        "c.txt/004_x.txt",
    ]
    # Listing again, and stat'ing each object as a read does, give the same mtimes.
    assert list(list_raw_files(memory_url)) == listed
    listing = list_raw_columns(memory_url)
    assert list(listing.files) == files and (listing.odd, listing.unlisted) == ([], [])
    assert [read_raw(memory_url, f, 100)[1] for f in files] == files


def test_oversized_object_is_rejected_without_being_read(
    tmp_path: Path, memory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fs, root = filesystem(memory_url)
    fs.pipe_file(f"{root}/001_0000000000000001.txt", raw_text().encode())
    fs.pipe_file(f"{root}/002_0000000000000002.txt", raw_text(body="x" * 5000).encode())
    fetched: list[str] = []
    real_cat_file, real_open = MemoryFileSystem.cat_file, MemoryFileSystem._open

    def cat_file(self: MemoryFileSystem, path: str, *args: Any, **kwargs: Any) -> Any:
        fetched.append(path)
        return real_cat_file(self, path, *args, **kwargs)

    def _open(self: MemoryFileSystem, path: str, *args: Any, **kwargs: Any) -> Any:
        fetched.append(path)
        return real_open(self, path, *args, **kwargs)

    monkeypatch.setattr(MemoryFileSystem, "cat_file", cat_file)
    monkeypatch.setattr(MemoryFileSystem, "_open", _open)
    summary = _load(memory_url, tmp_path / "wh", max_file_bytes=1000)
    assert (summary.files_loaded, summary.files_rejected) == (1, 1)
    assert [(r.source_file, r.reason) for r in summary.rejects] == [
        ("002_0000000000000002.txt", "too_large")
    ]
    assert fetched == [f"{root}/001_0000000000000001.txt"]
    # An object that grew past the limit after the listing is refused unread too.
    listed = RawFile("002_0000000000000002.txt", 10, 0)
    with pytest.raises(ParseError, match="grew past the limit of 1000 bytes") as error:
        read_raw(memory_url, listed, 1000)
    assert error.value.reason == "too_large"
    assert fetched == [f"{root}/001_0000000000000001.txt"]


def test_a_second_run_with_nothing_changed_reads_nothing(
    tmp_path: Path, memory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 12, 3, gold=False)
    _upload(raw, memory_url)
    first = _load(memory_url, tmp_path / "wh")
    assert first.files_loaded == 12
    manifest = read_manifest(tmp_path / "wh" / "_state")
    listed = [item for item in list_raw_files(memory_url) if isinstance(item, RawFile)]
    assert {(f.source_file, f.size, f.mtime_ns) for f in listed} == {
        (path, manifest.value(path, "size"), manifest.value(path, "mtime_ns")) for path in manifest
    }

    def no_reads(self: MemoryFileSystem, path: str, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(MemoryFileSystem, "cat_file", no_reads)
    monkeypatch.setattr(MemoryFileSystem, "_open", no_reads)
    second = _load(memory_url, tmp_path / "wh")
    assert (second.files_seen, second.files_unchanged, second.files_loaded) == (12, 12, 0)
    assert not second.committed


def test_unreadable_and_changing_objects_become_rejects(
    tmp_path: Path, memory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fs, root = filesystem(memory_url)
    for number in (1, 2, 3):
        fs.pipe_file(f"{root}/00{number}_000000000000000{number}.txt", raw_text().encode())
    real_cat_file = MemoryFileSystem.cat_file

    def flaky_cat_file(self: MemoryFileSystem, path: str, *args: Any, **kwargs: Any) -> Any:
        if path.endswith("001_0000000000000001.txt"):
            raise PermissionError(13, "Access Denied")
        content = real_cat_file(self, path, *args, **kwargs)
        if path.endswith("002_0000000000000002.txt"):  # a writer appends during the read
            self.pipe_file(path, content + b"more")
        return content

    monkeypatch.setattr(MemoryFileSystem, "cat_file", flaky_cat_file)
    summary = _load(memory_url, tmp_path / "wh")
    assert summary.files_loaded == 1
    assert {r.source_file: (r.reason, r.detail) for r in summary.rejects} == {
        "001_0000000000000001.txt": ("unreadable", "PermissionError: [Errno 13] Access Denied"),
        "002_0000000000000002.txt": (
            "changed_while_read",
            "size or mtime changed during the read",
        ),
    }
    with pytest.raises(ParseError, match="FileNotFoundError") as error:
        read_raw(memory_url, RawFile("gone.txt", 1, 1), 100)
    assert error.value.reason == "unreadable"


def test_mtimes_are_normalised_to_integer_nanoseconds() -> None:
    moment = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
    ns = 1714979289123456000
    assert modified_ns({"created": moment}) == ns
    assert modified_ns({"created": moment.timestamp()}) == ns  # memory's find gives a float
    assert modified_ns({"LastModified": moment}) == ns  # S3
    assert modified_ns({"updated": "2024-05-06T07:08:09.123456Z"}) == ns  # GCS
    assert modified_ns({"mtime": 1714979289}) == 1714979289 * 10**9
    assert modified_ns({"mtime": moment, "created": 0}) == ns  # a modification time first
    etag = modified_ns({"ETag": '"abc"'})
    assert etag == modified_ns({"ETag": '"abc"'}) != modified_ns({"ETag": '"abd"'})
    assert 0 < etag < 2**63
    assert modified_ns({"size": 3}) == 0


@pytest.mark.usefixtures("without_s3fs")
def test_a_missing_protocol_package_says_which_extra_to_install(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    wanted = r"s3:// needs the s3 extra: pip install 'newsetl\[s3\]'"
    with pytest.raises(RawLocationError, match=wanted):
        location_is_dir("s3://news-bucket/raw")
    with pytest.raises(ValidationError, match=wanted):
        NightlyParams(raw_dir="s3://news-bucket/raw")
    assert main(["ingest", "--raw-dir", "s3://news-bucket/raw"]) == 1
    assert "newsetl ingest: error: s3:// needs the s3 extra" in capsys.readouterr().err
    with pytest.raises(RawLocationError, match="not a protocol fsspec knows"):
        filesystem("nosuch://bucket/raw")
    # A worker without the package fails its batch (and the run): its files are not rejected.
    with pytest.raises(RawLocationError, match=wanted):
        process_batch(
            [RawFile("001_0000000000000001.txt", 10, 1)],
            raw_dir="s3://news-bucket/raw",
            staging_dir=tmp_path,
            batch_name="batch-00000",
            load_id="load",
            ingested_at=dt.datetime.now(dt.UTC),
            known_sha={},
            forced=set(),
        )


def test_deployment_parameters_check_a_url_on_its_filesystem(memory_url: str) -> None:
    with pytest.raises(ValidationError, match="does not exist or is not a folder"):
        NightlyParams(raw_dir=memory_url)
    fs, root = filesystem(memory_url)
    fs.pipe_file(f"{root}/001_0000000000000001.txt", raw_text().encode())
    assert NightlyParams(raw_dir=memory_url).raw_dir == memory_url
    paths = resolve_paths(memory_url + "/", "warehouse")
    assert paths.raw_location == memory_url and not paths.raw_is_local
    with pytest.raises(ValueError, match="is a URL: this needs a local raw folder"):
        _ = paths.raw_dir


def test_a_load_from_a_missing_url_fails_before_anything(tmp_path: Path, memory_url: str) -> None:
    with pytest.raises(FileNotFoundError, match=f"raw dir {memory_url} does not exist"):
        _load(memory_url, tmp_path / "wh")
    assert not os.path.exists(tmp_path / "wh" / "_state")
