"""Listing raw files and planning which ones a load reads (newsetl.load.discover)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from newsetl.load import discover
from newsetl.load.discover import (
    FileList,
    ListingShrank,
    RawFile,
    RawListing,
    check_article_loss,
    check_shrink,
    list_raw_columns,
    list_raw_files,
    plan_load,
)
from newsetl.load.walk import OddEntry
from newsetl.store.manifest import FileStatus, ManifestEntry

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _entry(raw: RawFile, published: dt.date | None = None) -> ManifestEntry:
    return ManifestEntry(
        raw.source_file,
        raw.size,
        raw.mtime_ns,
        "ab" * 32,
        FileStatus.LOADED,
        None,
        f"id-{raw.source_file}",  # each file its own article
        published,
        "load-1",
        NOW,
        NOW,
    )


def test_lists_txt_files_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "002_x.txt").write_text("b")
    (tmp_path / "001_x.txt").write_text("a")
    (tmp_path / "c.txt").mkdir()  # a directory named like an article is walked, not read
    (tmp_path / "c.txt" / "003_x.txt").write_text("c")
    (tmp_path / "README.md").write_text("not an article")
    (tmp_path / ".DS_Store").write_text("hidden")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "004_x.txt").write_text("hidden too")
    listed = list(list_raw_files(tmp_path))
    assert [item.source_file for item in listed if isinstance(item, RawFile)] == [
        "001_x.txt",
        "b/002_x.txt",
        "c.txt/003_x.txt",
    ]
    assert all(isinstance(item, RawFile) for item in listed)
    assert listed[0] == RawFile("001_x.txt", 1, (tmp_path / "001_x.txt").stat().st_mtime_ns)


def test_a_string_or_file_url_lists_like_the_path(tmp_path: Path) -> None:
    # Paths.raw_location is a string (it may be a URL): the local walk takes it unchanged.
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "002_x.txt").write_text("b")
    (tmp_path / "001_x.txt").write_text("a")
    expected = list(list_raw_files(tmp_path))
    assert [item.source_file for item in expected if isinstance(item, RawFile)] == [
        "001_x.txt",
        "sub/002_x.txt",
    ]
    assert list(list_raw_files(str(tmp_path))) == expected
    assert list(list_raw_files(tmp_path.as_uri())) == expected


def test_symlink_out_of_raw_dir_is_reported_not_followed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    os.symlink(outside, raw / "005_x.txt")
    os.symlink(raw / "missing", raw / "006_x.txt")
    (raw / "007_x.txt").write_text("inside")
    os.symlink(raw / "007_x.txt", raw / "008_x.txt")
    listed = list(list_raw_files(raw))
    files = [item.source_file for item in listed if isinstance(item, RawFile)]
    flagged = [item for item in listed if isinstance(item, OddEntry)]
    assert files == ["007_x.txt", "008_x.txt"]
    assert flagged == [
        OddEntry(
            "005_x.txt", "bad_symlink", f"symlink to {outside}, outside the raw dir: not followed"
        ),
        OddEntry("006_x.txt", "bad_symlink", f"symlink to {raw / 'missing'}, which does not exist"),
    ]


def test_the_columnar_listing_lists_what_the_listing_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discover, "LISTING_FLUSH", 2)  # columns made once 2 files wait
    raw = tmp_path / "raw"
    for name in ("001_x.txt", "a/002_x.txt", "a/003_x.txt", "a/004_x.txt", "b/c/005_x.txt"):
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(name)
    os.symlink(tmp_path / "missing", raw / "a" / "000_x.txt")
    listed = list(list_raw_files(raw))
    listing = list_raw_columns(raw)
    files, not_followed = listing.files, listing.odd
    assert list(files) == [item for item in listed if isinstance(item, RawFile)]
    assert [f.source_file for f in files] == [
        "001_x.txt",
        "a/002_x.txt",
        "a/003_x.txt",
        "a/004_x.txt",
        "b/c/005_x.txt",
    ]
    assert not_followed == [item for item in listed if isinstance(item, OddEntry)]
    assert [odd.source_file for odd in not_followed] == ["a/000_x.txt"]
    # raw/ leaves 1 file waiting, a/ brings 4 (made columns), b/ none, b/c/ the last one.
    assert [len(chunk) for chunk in files.paths().chunks] == [4, 1]
    assert listing.unlisted == []
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = list_raw_columns(empty)
    assert len(nothing.files) == 0 and nothing.files.table.schema == FileList().table.schema


def test_plan_reads_new_and_changed_files_only() -> None:
    same = RawFile("a.txt", 10, 100)
    touched = RawFile("b.txt", 10, 200)
    resized = RawFile("c.txt", 11, 100)
    new = RawFile("d.txt", 5, 100)
    known = {
        "a.txt": _entry(same),
        "b.txt": _entry(RawFile("b.txt", 10, 100)),
        "c.txt": _entry(RawFile("c.txt", 10, 100)),
    }
    plan = plan_load([same, touched, resized, new], known)
    assert list(plan.to_read) == [touched, resized, new]
    assert list(plan.unchanged) == [same]
    assert plan.forced == set()
    assert plan.files_seen == 4


def test_full_refresh_reads_everything() -> None:
    same = RawFile("a.txt", 10, 100)
    plan = plan_load([same], {"a.txt": _entry(same)}, full_refresh=True)
    assert list(plan.to_read) == [same]
    assert plan.forced == {"a.txt"}


def test_backfill_forces_files_in_the_date_range() -> None:
    files = [RawFile(f"{day}.txt", 1, 1) for day in ("may", "june", "july", "undated")]
    dates = [dt.date(2022, 5, 31), dt.date(2022, 6, 15), dt.date(2022, 7, 1), None]
    known = {raw.source_file: _entry(raw, day) for raw, day in zip(files, dates, strict=True)}
    plan = plan_load(files, known, since=dt.date(2022, 6, 1), until=dt.date(2022, 6, 30))
    assert [raw.source_file for raw in plan.to_read] == ["june.txt"]
    assert plan.forced == {"june.txt"}
    assert [raw.source_file for raw in plan.unchanged] == ["may.txt", "july.txt", "undated.txt"]


def test_a_file_list_is_columns_that_give_back_raw_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover, "CHUNK", 2)  # chunks of two files: five files make three
    files = [RawFile(f"{i}.txt", i, 10 * i) for i in range(5)]
    listed = FileList.of(iter(files))
    assert listed.table.column("source_file").num_chunks == 3
    assert (len(listed), list(listed), listed[1], listed[-1]) == (5, files, files[1], files[4])
    assert list(listed[1:3]) == files[1:3] and list(listed[4:9]) == files[4:]
    assert listed.paths().to_pylist() == [f"{i}.txt" for i in range(5)]
    assert list(FileList.of([])) == [] and len(FileList()) == 0
    with pytest.raises(IndexError):
        listed[5]


def test_each_file_to_read_carries_its_known_hash_and_whether_it_is_forced() -> None:
    june, july = RawFile("june.txt", 1, 1), RawFile("july.txt", 1, 1)
    known = {
        "june.txt": _entry(june, dt.date(2022, 6, 15)),
        "july.txt": _entry(RawFile("july.txt", 1, 0), dt.date(2022, 7, 1)),  # touched since
    }
    new = RawFile("new.txt", 1, 1)
    plan = plan_load(
        [june, july, new], known, since=dt.date(2022, 6, 1), until=dt.date(2022, 6, 30)
    )
    sha = "ab" * 32
    assert plan.to_read.table.to_pylist() == [
        {"source_file": "june.txt", "size": 1, "mtime_ns": 1, "forced": True, "known_sha256": sha},
        {"source_file": "july.txt", "size": 1, "mtime_ns": 1, "forced": False, "known_sha256": sha},
        {"source_file": "new.txt", "size": 1, "mtime_ns": 1, "forced": False, "known_sha256": None},
    ]
    assert (plan.forced, len(plan.unchanged)) == ({"june.txt"}, 0)


def _known(*paths: str) -> dict[str, ManifestEntry]:
    return {path: _entry(RawFile(path, 1, 1)) for path in paths}


def test_the_plan_tells_gone_files_from_files_under_unlisted_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "001_x.txt").write_text("x")
    os.symlink("b.txt", tmp_path / "c.txt")
    listing = list_raw_columns(tmp_path)
    listing.unlisted.append("locked/")  # as if locked/ had failed to list
    known = _known("a/001_x.txt", "c.txt", "deleted.txt", "locked/002_x.txt", "lockedness.txt")
    plan = plan_load(listing, known)
    assert plan.gone.to_pylist() == ["deleted.txt", "lockedness.txt"]
    assert plan.unknown.to_pylist() == ["locked/002_x.txt"]
    assert (plan.unlisted, plan.known) == (["locked/"], 5)


def test_retried_rejects_are_read_although_unchanged() -> None:
    same, other = RawFile("a.txt", 1, 1), RawFile("b.txt", 1, 1)
    plan = plan_load([same, other], _known("a.txt", "b.txt"), retry=["b.txt", "gone.txt"])
    assert [raw.source_file for raw in plan.to_read] == ["b.txt"]
    assert (plan.forced, list(plan.unchanged)) == (set(), [same])


@pytest.mark.parametrize(
    ("listed", "known", "refused"),
    [
        (0, 7, True),  # an empty or unmounted folder
        (3, 7, True),  # 4 of 7 gone: most of them
        (4, 7, False),  # 3 of 7 gone
        (1, 2, False),  # half gone: allowed
        (0, 0, False),  # a first run over an empty folder
    ],
)
def test_a_listing_that_lost_most_known_files_is_refused(
    listed: int, known: int, refused: bool
) -> None:
    files = [RawFile(f"{i:03d}.txt", 1, 1) for i in range(listed)]
    plan = plan_load(files, _known(*(f"{i:03d}.txt" for i in range(known))))
    if not refused:
        check_shrink(plan, "/data/raw")
        return
    with pytest.raises(ListingShrank) as caught:
        check_shrink(plan, "/data/raw")
    lost = known - listed
    assert str(caught.value).startswith(
        f"refusing to load: the raw dir /data/raw lists {listed} of the {known} files the "
        f"warehouse knows there ({lost} gone, {lost / known:.0%}; a run accepts up to 50%). "
    )
    assert "--allow-shrink" in str(caught.value)
    check_shrink(plan, "/data/raw", allow=True)


def test_files_under_unlisted_folders_do_not_count_as_lost() -> None:
    listing = RawListing(FileList.of([RawFile("a.txt", 1, 1)]), unlisted=["big/"])
    plan = plan_load(listing, _known("a.txt", *(f"big/{i}.txt" for i in range(10))))
    assert (len(plan.gone), len(plan.unknown)) == (0, 10)
    check_shrink(plan, "/data/raw")  # 1 of 1 judged file listed


@pytest.mark.parametrize(
    ("causes", "said", "unsaid"),
    [
        ({"gone from the raw dir": 3}, "Files deleted from the raw dir", "still listed"),
        ({"bad_symlink": 3}, "Files still listed but unusable", "deleted from"),
        (
            {"gone from the raw dir": 2, "empty": 1},
            "Files deleted from the raw dir (a sync that removed them, a wrong folder) or files "
            "still listed but unusable",
            "none named",
        ),
    ],
)
def test_the_article_guard_words_its_refusal_from_the_causes(
    causes: dict[str, int], said: str, unsaid: str
) -> None:
    with pytest.raises(ListingShrank) as refused:
        check_article_loss(3, 4, causes)
    message = str(refused.value)
    why = ", ".join(f"{cause} {count}" for cause, count in causes.items())
    assert "would remove 3 of the 4 articles in the warehouse (75%; " in message
    assert f"their files: {why}. {said}" in message
    assert unsaid not in message
