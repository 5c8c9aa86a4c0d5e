"""Settling duplicate ids and applying a load's outcomes (newsetl.outcomes)."""

from __future__ import annotations

import datetime as dt

from newsetl.discover import RawFile
from newsetl.manifest import FileStatus, ManifestEntry
from newsetl.outcomes import (
    count_states,
    flag_identical_content,
    settle_duplicates,
    updated_manifest,
    updated_rejects,
)
from newsetl.process import FileOutcome
from newsetl.state import Reject

EARLIER = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


def _loaded(path: str, article_id: str, mtime_ns: int) -> FileOutcome:
    return FileOutcome(RawFile(path, 10, mtime_ns), FileStatus.LOADED, "sha-" + path, article_id)


def test_newest_file_wins_and_names_the_winner() -> None:
    old, new, other = _loaded("a.txt", "x", 1), _loaded("b.txt", "x", 2), _loaded("c.txt", "y", 1)
    settled = settle_duplicates([new, old, other])
    assert [(o.raw.source_file, o.status) for o in settled] == [
        ("b.txt", "loaded"),
        ("a.txt", "duplicate"),
        ("c.txt", "loaded"),
    ]
    assert settled[1].detail == "superseded by b.txt"


def test_equal_mtimes_are_settled_by_path() -> None:
    settled = settle_duplicates([_loaded("b.txt", "x", 1), _loaded("a.txt", "x", 1)])
    assert [o.status for o in settled] == ["loaded", "duplicate"]


def test_manifest_marks_an_older_file_superseded_by_a_new_one() -> None:
    before = {
        "a.txt": ManifestEntry(
            "a.txt", 10, 1, "sha-a", "loaded", None, "x", None, "load-1", EARLIER, EARLIER
        )
    }
    after = updated_manifest(before, [_loaded("b.txt", "x", 2)], "load-2", NOW)
    assert (after["a.txt"].status, after["a.txt"].detail) == ("duplicate", "superseded by b.txt")
    assert before["a.txt"].status == "loaded"  # the input is not mutated
    assert (after["b.txt"].status, after["b.txt"].first_seen, after["b.txt"].last_loaded) == (
        "loaded",
        NOW,
        NOW,
    )


def test_unchanged_file_keeps_its_standing_and_first_seen() -> None:
    before = {
        "a.txt": ManifestEntry(
            "a.txt", 10, 1, "sha-a", "rejected", "empty", None, None, "load-1", EARLIER, None
        )
    }
    touched = FileOutcome(RawFile("a.txt", 10, 5), FileStatus.UNCHANGED, "sha-a")
    after = updated_manifest(before, [touched], "load-2", NOW)
    assert (after["a.txt"].status, after["a.txt"].mtime_ns, after["a.txt"].first_seen) == (
        "rejected",
        5,
        EARLIER,
    )


def test_rejects_keep_first_seen_and_drop_files_that_load() -> None:
    earlier = {
        "a.txt": Reject("a.txt", "s1", "empty", "", "load-1", EARLIER),
        "b.txt": Reject("b.txt", "s2", "empty", "", "load-1", EARLIER),
    }
    outcomes = [
        FileOutcome(
            RawFile("a.txt", 1, 2), FileStatus.REJECTED, "s3", reason="binary", detail="NUL"
        ),
        _loaded("b.txt", "x", 2),
    ]
    after = updated_rejects(earlier, outcomes, "load-2", NOW)
    assert after == {"a.txt": Reject("a.txt", "s3", "binary", "NUL", "load-2", EARLIER)}


def test_counts_always_cover_every_state() -> None:
    assert count_states([_loaded("a.txt", "x", 1)], skipped_unchanged=3) == {
        "loaded": 1,
        "unchanged": 3,
        "duplicate": 0,
        "rejected": 0,
    }


def test_identical_content_under_two_ids_is_flagged_on_both() -> None:
    one, other = _loaded("a.txt", "x", 1), _loaded("b.txt", "y", 1)
    other = FileOutcome(other.raw, other.status, one.sha256, other.article_id)
    third = _loaded("c.txt", "z", 1)
    flagged = flag_identical_content([one, other, third])
    assert [(o.status, o.detail) for o in flagged] == [
        ("loaded", "same content as b.txt"),
        ("loaded", "same content as a.txt"),
        ("loaded", None),
    ]
