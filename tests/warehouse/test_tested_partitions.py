"""Whole-table SQL tests on changed partitions only (newsetl.warehouse.tested_partitions)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from newsetl.load.ingest import Load
from newsetl.report import build_text
from newsetl.settings import SQL_DIR
from newsetl.store.paths import Paths, resolve_paths
from newsetl.store.write import write_parquet_atomic
from newsetl.warehouse.build import build_database
from newsetl.warehouse.tested_partitions import RECORD_FILE, render_scope
from tests.conftest import RawWriter

pytestmark = pytest.mark.slow

JUNE, JULY = "year=2022/month=06", "year=2022/month=07"
UNDATED = "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__"


def _loaded(raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter) -> Paths:
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Panda news", published="2022-06-01")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-07-01")
    write_raw("003_cccccccccccccccc.txt", title="Undated news", published="")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths).run()
    return paths


def _plant_stray_character(paths: Paths, partition: str) -> None:
    """Rewrite one articles file (a new file, as a load would) with a zero-width space."""
    path = paths.table_dir("articles") / partition / "part-0.parquet"
    table = pq.read_table(path)
    bodies = pc.binary_join_element_wise(table["body"], "\u200b", "")
    write_parquet_atomic(
        table.set_column(table.schema.get_field_index("body"), "body", bodies), path
    )


def test_the_first_build_tests_every_partition_then_only_changed_ones(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    paths = _loaded(raw_dir, warehouse_dir, write_raw)
    assert build_database(paths).partitions_tested == [JUNE, JULY, UNDATED]
    assert build_database(paths).partitions_tested == []
    # the July article moves to June: June's file is new, July's is gone, the undated one is
    # the same file (a hard link into the new snapshot)
    write_raw(
        "002_bbbbbbbbbbbbbbbb.txt", title="Harbor news", published="2022-06-02", mtime_ns=2 * 10**18
    )
    Load(paths).run()
    summary = build_database(paths)
    assert summary.partitions_tested == [JUNE]
    assert "no_stray_chars_in_body" in summary.tests
    passed = f"{len(summary.tests)} SQL tests passed (whole-table tests on 1 articles partitions,"
    assert passed in build_text(summary)
    assert build_text(summary).count("; 1 articles partitions removed)") == 1
    record = json.loads((warehouse_dir / RECORD_FILE).read_text())
    assert sorted(record["files"]) == [JUNE, UNDATED]


def test_a_build_after_every_article_left_says_so(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    paths = _loaded(raw_dir, warehouse_dir, write_raw)
    build_database(paths)
    empty = tmp_path / "emptied"
    empty.mkdir()
    Load(resolve_paths(empty, warehouse_dir), allow_shrink=True).run()
    summary = build_database(paths)
    assert (summary.partitions_tested, summary.partitions_removed) == ([], [JUNE, JULY, UNDATED])
    assert (
        "(no articles partition to test: 3 articles partitions removed since the last passing "
        "build)" in build_text(summary)
    )


def test_a_changed_file_is_tested_and_warned_about_until_it_is_fixed(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    paths = _loaded(raw_dir, warehouse_dir, write_raw)
    build_database(paths)
    _plant_stray_character(paths, JULY)
    first = build_database(paths)
    assert first.partitions_tested == [JULY]
    [warning] = first.warnings
    assert warning.startswith("no_stray_chars_in_body: 1 failing rows")
    assert "source files: 002_bbbbbbbbbbbbbbbb.txt\n" in warning
    # a partition with warned rows is not recorded as passed: the next build tests July again
    again = build_database(paths)
    assert (again.partitions_tested, again.warnings) == ([JULY], [warning])
    record = json.loads((warehouse_dir / RECORD_FILE).read_text())
    assert sorted(record["files"]) == [JUNE, UNDATED]


def test_other_tests_test_every_partition_again(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter, tmp_path: Path
) -> None:
    paths = _loaded(raw_dir, warehouse_dir, write_raw)
    build_database(paths)
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    (sql_dir / "tests" / "zz_no_articles_named_x.sql").write_text(
        "select article_id from articles where {{ partitions_to_test() }} and title = 'x'"
    )
    assert build_database(paths, sql_dir).partitions_tested == [JUNE, JULY, UNDATED]


def test_the_placeholder_becomes_the_predicate() -> None:
    sql = "select 1 from articles where {{ partitions_to_test() }} and {{partitions_to_test()}}"
    assert render_scope(sql, "false") == "select 1 from articles where false and false"
