"""The Arrow-backed manifest (newsetl.store.manifest) and its state file (newsetl.store.state)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pyarrow as pa

from newsetl.store.manifest import FileStatus, Manifest, ManifestEntry
from newsetl.store.state import read_manifest, write_manifest

NOW = dt.datetime(2026, 1, 1, 2, 30, tzinfo=dt.UTC)


def _entry(path: str, article_id: str | None, status: str = FileStatus.LOADED) -> ManifestEntry:
    return ManifestEntry(
        path, 10, 7, "ab" * 32, status, None, article_id, dt.date(2024, 3, 9), "load-1", NOW, None
    )


def _on_disk(tmp_path: Path, *entries: ManifestEntry) -> Manifest:
    write_manifest(tmp_path, {entry.source_file: entry for entry in entries})
    return read_manifest(tmp_path)


def test_entries_survive_a_write_and_read_exactly(tmp_path: Path) -> None:
    entries = [_entry("b.txt", "x"), _entry("a.txt", None, FileStatus.REJECTED)]
    manifest = _on_disk(tmp_path, *entries)
    assert list(manifest) == ["a.txt", "b.txt"]  # stored sorted by path
    assert manifest["b.txt"] == entries[0]
    assert manifest["a.txt"] == entries[1]
    assert manifest.value("b.txt", "mtime_ns") == 7
    assert "c.txt" not in manifest and manifest.get("c.txt") is None


def test_a_missing_file_is_an_empty_manifest(tmp_path: Path) -> None:
    manifest = read_manifest(tmp_path)
    assert len(manifest) == 0 and list(manifest) == []


def test_updated_overlays_changes_and_leaves_the_original_alone(tmp_path: Path) -> None:
    before = _on_disk(tmp_path, _entry("a.txt", "x"), _entry("b.txt", "y"))
    replaced = dataclasses.replace(before["a.txt"], status=FileStatus.DUPLICATE)
    after = before.updated({"a.txt": replaced, "c.txt": _entry("c.txt", "z")})
    assert before["a.txt"].status == FileStatus.LOADED and "c.txt" not in before
    assert after["a.txt"].status == FileStatus.DUPLICATE
    assert len(after) == 3 and sorted(after) == ["a.txt", "b.txt", "c.txt"]
    write_manifest(tmp_path, after)
    table = read_manifest(tmp_path).to_table()
    assert table.column("source_file").to_pylist() == ["a.txt", "b.txt", "c.txt"]
    assert table.column("status").to_pylist() == ["duplicate", "loaded", "loaded"]


def test_loaded_with_article_ids_scans_base_rows_and_changes(tmp_path: Path) -> None:
    base = _on_disk(
        tmp_path,
        _entry("a.txt", "x"),
        _entry("b.txt", "x", FileStatus.DUPLICATE),
        _entry("c.txt", "y"),
        _entry("d.txt", None, FileStatus.REJECTED),
    )
    manifest = base.updated(
        {
            "c.txt": dataclasses.replace(base["c.txt"], status=FileStatus.REJECTED),
            "e.txt": _entry("e.txt", "y"),
        }
    )
    found = manifest.loaded_with_article_ids({"x", "y"})
    assert sorted(entry.source_file for entry in found) == ["a.txt", "e.txt"]
    assert manifest.loaded_with_article_ids(set()) == []


def test_restricted_to_keeps_only_the_given_paths(tmp_path: Path) -> None:
    base = _on_disk(tmp_path, _entry("a.txt", "x"), _entry("b.txt", "y"))
    kept = base.updated({"c.txt": _entry("c.txt", "z")}).restricted_to({"b.txt", "c.txt"})
    assert sorted(kept) == ["b.txt", "c.txt"]
    assert kept["b.txt"] == base["b.txt"]


def test_with_rows_replaces_and_adds_entries_from_columns(tmp_path: Path) -> None:
    before = _on_disk(tmp_path, _entry("b.txt", "x"), _entry("d.txt", "y"))
    rows = Manifest.from_entries(
        [_entry("d.txt", "y", FileStatus.DUPLICATE), _entry("a.txt", "z")]
    ).to_table()
    after = before.with_rows(rows)
    assert list(after) == ["a.txt", "b.txt", "d.txt"]
    assert [after[p].status for p in after] == ["loaded", "loaded", "duplicate"]
    assert before["d.txt"].status == FileStatus.LOADED and len(before) == 2
    assert after.columns(["source_file", "article_id"]).to_pylist() == [
        {"source_file": "a.txt", "article_id": "z"},
        {"source_file": "b.txt", "article_id": "x"},
        {"source_file": "d.txt", "article_id": "y"},
    ]
    laid_over = after.updated({"c.txt": _entry("c.txt", "w")})
    assert laid_over.columns(["source_file"]).column(0).to_pylist() == [
        "a.txt",
        "b.txt",
        "c.txt",
        "d.txt",
    ]


def test_lookups_take_arrow_arrays_as_well_as_python_collections(tmp_path: Path) -> None:
    base = _on_disk(tmp_path, _entry("a.txt", "x"), _entry("b.txt", "y"))
    manifest = base.updated({"c.txt": _entry("c.txt", "x")})
    ids = pa.array(["x"])
    assert [e.source_file for e in manifest.loaded_with_article_ids(ids)] == ["c.txt", "a.txt"]
    assert manifest.loaded_with_article_ids(pa.array([], pa.string())) == []
    kept = manifest.restricted_to(pa.chunked_array([["b.txt"], ["c.txt", "z.txt"]]))
    assert sorted(kept) == ["b.txt", "c.txt"]
