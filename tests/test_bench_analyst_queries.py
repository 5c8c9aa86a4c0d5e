"""bench/analyst_queries.py (`make bench-queries`) on a few generated articles."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.analyst_queries import QUERIES, main


def test_the_bench_writes_the_warehouse_a_load_writes_and_times_every_query(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    assert main([str(warehouse), "--count", "300"]) == 0
    out = capsys.readouterr().out
    timed = [line.split("|")[1].strip() for line in out.splitlines() if line.startswith("| ")]
    assert timed == ["query", *QUERIES]
    assert "Peak RSS of this process: " in out and "after writing" in out
    # articles as a load writes them: by date, then id (search reads them by date)
    for path in (warehouse / "current" / "articles").glob("*/*/*.parquet"):
        rows = pq.read_table(path, columns=["published_date", "article_id"]).to_pylist()
        keys = [(row["published_date"], row["article_id"]) for row in rows]
        assert keys == sorted(keys)

    assert main([str(warehouse), "--queries-only"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Queries on the warehouse already written in {warehouse}")
    assert "after the build" in out and "after writing" not in out
