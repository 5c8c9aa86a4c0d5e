"""bench/search_profile.py on a small warehouse: two sql/ directories side by side."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.search_profile import main
from newsetl.load.ingest import Load
from newsetl.settings import SQL_DIR
from newsetl.store.paths import resolve_paths
from tests.conftest import raw_text

QUERY = "select article_id, score from search_matches('trade')"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search_profile")
    raw = root / "raw"
    raw.mkdir()
    for number, title in enumerate(["Trade talks", "Trade deal", "Zoo news"]):
        text = raw_text(title=title, body=f"{title} today.", published="2022-06-10")
        (raw / f"{number:03d}_{number:016x}.txt").write_text(text)
    paths = resolve_paths(raw, root / "warehouse")
    Load(paths).run()
    return paths.warehouse_dir


def test_results_are_compared_side_by_side(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "sql"
    shutil.copytree(SQL_DIR, changed)
    matches = changed / "macros" / "search_matches.sql"
    text = matches.read_text()
    matches.write_text(text.replace("title_weight := 3", "title_weight := 1", 1))
    assert main([str(warehouse), str(SQL_DIR), str(SQL_DIR), "--results", "--query", QUERY]) == 0
    (row,) = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith(f"| {QUERY}")
    ]
    assert row.endswith("| yes |") and row.count("2 rows") == 2
    assert main([str(warehouse), str(SQL_DIR), str(changed), "--results", "--query", QUERY]) == 0
    (row,) = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith(f"| {QUERY}")
    ]
    assert row.endswith("| NO |") and row.count("2 rows") == 2


def test_times_are_printed_for_both_sides(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main([str(warehouse), str(SQL_DIR), str(SQL_DIR), "--repeat", "1", "--query", QUERY]) == 0
    )
    (row,) = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith(f"| {QUERY}")
    ]
    cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
    assert len(cells) == 6 and all(float(cell) >= 0 for cell in cells)
    assert float(cells[0]) > 0 and float(cells[1]) > 0


def test_the_new_side_may_read_another_warehouse(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "raw"
    other.mkdir()
    (other / "000_0000000000000009.txt").write_text(raw_text(title="Trade fair", body="Trade."))
    paths = resolve_paths(other, tmp_path / "warehouse")
    Load(paths).run()
    argv = [str(warehouse), str(SQL_DIR), str(SQL_DIR), "--results", "--query", QUERY]
    assert main([*argv, "--new-warehouse", str(paths.warehouse_dir)]) == 0
    (row,) = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith(f"| {QUERY}")
    ]
    assert row.count("2 rows") == 1 and row.count("1 rows") == 1 and row.endswith("| NO |")
