"""Settling duplicate ids and applying a load's outcomes (newsetl.load.outcomes)."""

from __future__ import annotations

import datetime as dt

import pytest

from newsetl.load.discover import RawFile
from newsetl.load.outcome_table import OUTCOMES, Outcomes
from newsetl.load.outcomes import (
    count_states,
    flag_identical_content,
    loaded_article_ids,
    settle_duplicates,
    updated_manifest,
    updated_rejects,
    winner_keys_by_partition,
)
from newsetl.load.process import FileOutcome
from newsetl.store.manifest import FileStatus, ManifestEntry
from newsetl.store.state import Reject

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


def _dated(path: str, article_id: str, day: dt.date | None, status: str = "loaded") -> FileOutcome:
    return FileOutcome(RawFile(path, 10, 1), status, "sha-" + path, article_id, day)


def test_outcomes_are_columns_that_give_back_the_same_rows() -> None:
    rows = [
        _dated("a.txt", "x", dt.date(2022, 6, 1)),
        FileOutcome(RawFile("b.txt", 0, 3), FileStatus.REJECTED, None, reason="empty", detail=""),
    ]
    outcomes = Outcomes.of(rows)
    assert outcomes.table.schema == OUTCOMES
    assert (len(outcomes), list(outcomes), outcomes[1], outcomes[-2]) == (2, rows, rows[1], rows[0])
    both = Outcomes.concat([outcomes, Outcomes.of(rows[:1])])
    assert [o.raw.source_file for o in both] == ["a.txt", "b.txt", "a.txt"]
    assert list(Outcomes.concat([])) == [] and len(Outcomes.of([])) == 0
    with pytest.raises(IndexError):
        outcomes[2]


def test_a_shared_hash_prefix_is_not_identical_content() -> None:
    prefix = "0123456789abcdef"  # the first 16 characters, which settle most files at once
    one = FileOutcome(RawFile("a.txt", 10, 1), FileStatus.LOADED, prefix + "1", "x")
    other = FileOutcome(RawFile("b.txt", 10, 1), FileStatus.LOADED, prefix + "2", "y")
    copy = FileOutcome(RawFile("c.txt", 10, 1), FileStatus.LOADED, prefix + "2", "z")
    same_id = FileOutcome(RawFile("d.txt", 10, 1), FileStatus.LOADED, prefix + "1", "x")
    flagged = flag_identical_content([one, other, copy])
    assert [o.detail for o in flagged] == [None, "same content as c.txt", "same content as b.txt"]
    # Copies under one id are one article, not two: nothing to flag.
    assert [o.detail for o in flag_identical_content([one, same_id])] == [None, None]


def test_the_last_of_two_loaded_files_with_one_id_supersedes_the_manifest_entry() -> None:
    before = {
        "a.txt": ManifestEntry(
            "a.txt", 10, 1, "sha-a", "loaded", None, "x", None, "load-1", EARLIER, EARLIER
        )
    }
    after = updated_manifest(before, [_loaded("b.txt", "x", 2), _loaded("c.txt", "x", 1)], "l", NOW)
    assert after["a.txt"].detail == "superseded by c.txt"
    assert [(e.source_file, e.status, e.load_id) for e in after.values()] == [
        ("a.txt", "duplicate", "load-1"),
        ("b.txt", "loaded", "l"),
        ("c.txt", "loaded", "l"),
    ]


def test_winner_keys_by_partition_name_each_loaded_file_under_its_month() -> None:
    outcomes = [
        _dated("a.txt", "x", dt.date(2022, 6, 30)),
        _dated("b.txt", "y", None),
        _dated("c.txt", "z", dt.date(2022, 6, 1)),
        _dated("d.txt", "x", dt.date(2022, 7, 1), status=FileStatus.DUPLICATE),
        _dated("e.txt", "", dt.date(2022, 7, 1)),  # no id: nothing to merge
    ]
    keys = winner_keys_by_partition(outcomes)
    assert {key: array.to_pylist() for key, array in keys.items()} == {
        ("2022", "06"): ["x\x00a.txt", "z\x00c.txt"],
        ("__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__"): ["y\x00b.txt"],
    }
    assert sorted(loaded_article_ids(outcomes).to_pylist()) == ["x", "y", "z"]
