"""Deletions, renames and duplicate ids: an incremental load gives a full refresh's tables."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.articles import write_corpus
from newsetl.load.ingest import Load, LoadSummary
from newsetl.store.paths import resolve_paths
from newsetl.store.state import read_loads, read_manifest
from tests.conftest import PARTITIONED_TABLES as TABLES
from tests.conftest import ROOT, raw_text
from tests.conftest import warehouse_contents as _contents

ID_A, ID_B, ID_C, ID_D = (letter * 16 for letter in "abcd")
OLD, MID, NEW, NEWER = (n * 10**18 for n in (1, 2, 3, 4))


def _write(path: Path, mtime_ns: int, **fields: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(raw_text(**fields))
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def _load(raw: Path, warehouse: Path, **options: object) -> LoadSummary:
    return Load(resolve_paths(raw, warehouse), workers=1, **options).run()  # type: ignore[arg-type]


def test_incremental_loads_give_the_full_refresh_tables_after_deletions_renames_and_copies(
    tmp_path: Path,
) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw / "gen", 40, seed=5, gold=False)
    generated = sorted((raw / "gen").glob("*.txt"))
    _write(raw / f"001_{ID_A}.txt", NEW, title="A as loaded", published="2022-06-01")
    _write(raw / f"dup/010_{ID_B}.txt", OLD, title="B older copy", published="2022-07-01")
    _write(raw / f"dup/020_{ID_B}.txt", NEW, title="B newer copy", published="2022-08-01")
    _write(raw / f"030_{ID_C}.txt", MID, title="C first", published="2022-09-01")
    _write(raw / f"040_{ID_D}.txt", MID, title="D goes bad", published="2022-10-01")
    incremental = tmp_path / "incremental"
    first = _load(raw, incremental)
    assert first.files_loaded == 44 and first.files_duplicate == 1

    # What an archive's week brings:
    generated[0].unlink()  # a file deleted: its article goes
    renamed = raw / "moved" / ("999" + generated[1].name[3:])
    renamed.parent.mkdir()
    generated[1].rename(renamed)  # renamed: same id, the article stays, from the new path
    (raw / f"dup/020_{ID_B}.txt").unlink()  # B's winner deleted: the older copy takes over
    _write(raw / f"late/050_{ID_A}.txt", OLD, title="A older copy", published="2021-01-01")
    _write(raw / f"late/060_{ID_C}.txt", NEWER, title="C newer copy", published="2023-01-01")
    (raw / f"040_{ID_D}.txt").write_text("")  # rejected now: no file carries D any more
    # a copy under the same id, older than the original: it loses; then the original is
    # touched to an even older mtime, and the copy wins although no byte changed
    twin = raw / "gen2" / generated[2].name
    twin.parent.mkdir()
    shutil.copy2(generated[2], twin)
    os.utime(twin, ns=(OLD + 1, OLD + 1))
    second = _load(raw, incremental)
    os.utime(generated[2], ns=(OLD, OLD))
    third = _load(raw, incremental)

    # gone: generated 0 and 1 (renamed) and B's newer copy; removed: generated 0's and D's
    assert (second.files_deleted, second.articles_removed) == (3, 2)
    # both copies read again (the contest), the twin wins
    assert (third.files_loaded, third.files_duplicate, third.files_deleted) == (1, 1, 0)
    assert [(r.files_deleted, r.articles_removed) for r in read_loads(incremental / "_state")] == [
        (0, 0),
        (3, 2),
        (0, 0),
    ]
    after = _contents(incremental)
    titles = {row[0]: row[3] for row in after["articles"]}  # article_id, ..., title
    assert titles[ID_A] == "A as loaded" and titles[ID_B] == "B older copy"
    assert titles[ID_C] == "C newer copy" and ID_D not in titles
    gone_id = generated[0].name[4:20]
    assert gone_id not in titles
    sources = {row[0]: row[1] for row in after["articles"]}
    assert sources[renamed.name[4:20]] == f"moved/{renamed.name}"
    assert sources[generated[2].name[4:20]] == f"gen2/{twin.name}"
    standing = {row[0]: (row[1], row[2]) for row in after["raw_files"]}
    assert standing[f"gen/{generated[0].name}"] == ("deleted", "gone from the raw dir")
    assert standing[f"gen/{generated[1].name}"] == ("deleted", "gone from the raw dir")
    assert standing[f"dup/020_{ID_B}.txt"] == ("deleted", "gone from the raw dir")
    assert standing[f"late/050_{ID_A}.txt"] == ("duplicate", f"superseded by 001_{ID_A}.txt")
    assert standing[f"030_{ID_C}.txt"] == ("duplicate", f"superseded by late/060_{ID_C}.txt")

    # A full refresh of a fresh warehouse: the same rows in every table (its manifest never
    # saw the deleted files).
    fresh = tmp_path / "fresh"
    _load(raw, fresh, full_refresh=True)
    refreshed = _contents(fresh)
    assert {t: refreshed[t] for t in TABLES} == {t: after[t] for t in TABLES}
    deleted = [row for row in after["raw_files"] if row[1] != "deleted"]
    assert refreshed["raw_files"] == deleted
    assert refreshed["rejected_files"] == after["rejected_files"]
    # And a full refresh of the incremental warehouse changes nothing at all.
    again = _load(raw, incremental, full_refresh=True)
    assert (again.files_deleted, again.articles_removed) == (0, 0)
    assert _contents(incremental) == after


def test_a_file_that_comes_back_is_read_again(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    path = _write(raw / f"001_{ID_A}.txt", MID, title="Back again")
    _load(raw, warehouse)
    parked = tmp_path / "parked.txt"
    path.rename(parked)
    gone = _load(raw, warehouse, allow_shrink=True)  # the only file: removed on purpose
    assert (gone.files_deleted, gone.articles_removed, gone.table_rows["articles"]) == (1, 1, 0)
    parked.rename(path)  # the same bytes, size and mtime as the manifest remembers
    back = _load(raw, warehouse)
    assert (back.files_loaded, back.files_deleted, back.table_rows["articles"]) == (1, 0, 1)
    assert read_manifest(warehouse / "_state")[path.name].status == "loaded"


# Loads in a process without the capabilities that let root read any folder: a folder chmod
# 000 then cannot be listed, as for an operator whose share went away.
UNPRIVILEGED_LOAD = """
import sys
from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths
paths = resolve_paths(sys.argv[1], sys.argv[2])
s = Load(paths, workers=1, full_refresh=sys.argv[3] == "full").run()
print(s.files_deleted, s.articles_removed, s.table_rows["articles"], s.files_rejected)
"""


def test_a_folder_that_cannot_be_listed_is_not_a_deletion(tmp_path: Path) -> None:
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv is needed: apt-get install util-linux (.ci/run installs it)")
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_corpus(raw / "share", 6, seed=8, gold=False)
    _write(raw / f"001_{ID_A}.txt", MID, title="Outside the share")
    assert _load(raw, warehouse).table_rows["articles"] == 7
    before = _contents(warehouse)
    (raw / "share").chmod(0)
    try:
        for kind in ("incremental", "full"):
            result = subprocess.run(
                ["setpriv", "--inh-caps=-all", "--bounding-set=-all", sys.executable, "-c",
                 UNPRIVILEGED_LOAD, str(raw), str(warehouse), kind],
                capture_output=True, text=True, cwd=ROOT, check=True, timeout=120,
            )  # fmt: skip
            # nothing gone, nothing removed, all seven articles, the folder rejected as unreadable
            assert result.stdout.split() == ["0", "0", "7", "1"], result.stderr
            after = _contents(warehouse)
            assert {t: after[t] for t in TABLES} == {t: before[t] for t in TABLES}
            files = [(path, status) for path, status, *_ in after["raw_files"]]
            assert files == sorted(
                [("share/", "rejected")]
                + [(path, status) for path, status, *_ in before["raw_files"]]
            )
            assert after["rejected_files"][0][:2] == ("share/", "unreadable")
    finally:
        (raw / "share").chmod(0o755)
