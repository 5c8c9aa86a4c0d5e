"""Processing one batch in a worker (newsetl.process): outcomes come back as Arrow columns."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from pathlib import Path

import pytest

from newsetl import process
from newsetl.discover import RawFile
from newsetl.outcome_table import OUTCOMES
from newsetl.parse import ParseError
from newsetl.process import BatchResult, process_batch, read_raw, staged_parts_by_partition
from tests.conftest import RawWriter

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_a_batch_returns_one_outcome_row_per_file(
    raw_dir: Path, tmp_path: Path, write_raw: RawWriter
) -> None:
    names = ["001_00000000000000a1.txt", "002_00000000000000a2.txt", "003_00000000000000a3.txt"]
    write_raw(names[0], published="2022-06-20")
    write_raw(names[1], content=b"")
    same = write_raw(names[2], title="Read before")
    files = [RawFile(name, (raw_dir / name).stat().st_size, 1) for name in names]
    result = process_batch(
        files,
        raw_dir=raw_dir,
        staging_dir=tmp_path / "staging",
        batch_name="batch-00000",
        load_id="load",
        ingested_at=NOW,
        known_sha={names[2]: hashlib.sha256(same.read_bytes()).hexdigest()},
        forced=set(),
    )
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
