"""The Prefect flows on a temporary server: nightly, backfill, build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED, RawWriter

pytestmark = [
    pytest.mark.flow,
    pytest.mark.timeout(300),
    pytest.mark.usefixtures("prefect_harness"),
]


def test_nightly_flow_loads_then_builds(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    from flows.nightly import nightly_flow

    write_raw(SEED.name, SEED.read_bytes())
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Undated", published="")
    load, built = nightly_flow(str(raw_dir), str(warehouse_dir))
    assert (load.files_seen, load.files_loaded, load.files_rejected) == (2, 2, 0)
    assert load.kind == "incremental"
    assert built.database == warehouse_dir / "news.duckdb"
    with duckdb.connect(str(built.database), read_only=True) as con:
        assert con.sql("select count(*) from articles").fetchone() == (2,)
        assert con.sql("select load_id from loads").fetchall() == [(load.load_id,)]

    again, _ = nightly_flow(str(raw_dir), str(warehouse_dir))
    assert (again.files_seen, again.files_loaded, again.files_unchanged) == (2, 0, 2)


def test_backfill_flow_rereads_the_range(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    from flows.nightly import backfill_flow, nightly_flow

    write_raw(SEED.name, SEED.read_bytes())
    write_raw("001_aaaaaaaaaaaaaaaa.txt", published="2023-01-02")
    nightly_flow(str(raw_dir), str(warehouse_dir))
    load, _ = backfill_flow(
        dt.date(2022, 6, 1), dt.date(2022, 6, 30), str(raw_dir), str(warehouse_dir)
    )
    assert load.kind == "backfill"
    assert (load.files_loaded, load.files_unchanged) == (1, 1)


def test_backfill_flow_refuses_a_reversed_range(raw_dir: Path, warehouse_dir: Path) -> None:
    from flows.nightly import backfill_flow

    with pytest.raises(ValueError, match="before"):
        backfill_flow(dt.date(2022, 6, 30), dt.date(2022, 6, 1), str(raw_dir), str(warehouse_dir))
