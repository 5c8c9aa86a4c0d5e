"""kill -9 a real `newsetl run` at many points: the warehouse is always the old or new state."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from devtools.articles import write_corpus

# 18 runs of `newsetl run`, and the session's Prefect server when this test starts it.
pytestmark = [pytest.mark.flow, pytest.mark.timeout(900)]

NEWSETL = Path(sys.executable).parent / "newsetl"
KILL_FRACTIONS = (0.15, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95)


def _run(raw: Path, warehouse: Path, api: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PREFECT_API_URL": api,
        "NEWSETL_RAW_DIR": str(raw),
        "NEWSETL_WAREHOUSE_DIR": str(warehouse),
    }
    return subprocess.Popen(
        [str(NEWSETL), "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _state(warehouse: Path) -> list[tuple[object, ...]]:
    """Every article row (minus load metadata), read through the published Parquet paths."""
    if not (warehouse / "articles").exists():
        return []
    glob = str(warehouse / "articles" / "*" / "*" / "*.parquet")
    with duckdb.connect() as con:
        return con.sql(
            f"select * exclude (load_id, ingested_at) from read_parquet('{glob}') order by all"
        ).fetchall()


def _ids(rows: list[tuple[object, ...]]) -> list[object]:
    return [row[0] for row in rows]


def test_kill_minus_9_leaves_old_or_new_state_and_the_next_run_finishes(
    tmp_path: Path, prefect_harness: str
) -> None:
    prefect_api = prefect_harness  # the session's server: each run skips a server's start-up
    raw = tmp_path / "raw"
    write_corpus(raw / "a", 1500, seed=11, gold=False)
    base = tmp_path / "base"
    assert _run(raw, base, prefect_api).wait(timeout=300) == 0
    old = _state(base)
    assert len(old) == 1500

    write_corpus(raw / "b", 1500, seed=12, gold=False)
    for changed in sorted((raw / "a").glob("*.txt"))[:100]:  # a year earlier: they move partition
        text = changed.read_text()
        year = int(text[len("Published Time: ") :][:4])
        changed.write_text(
            text.replace(f"Published Time: {year}", f"Published Time: {year - 1}", 1)
        )
    reference = tmp_path / "reference"
    shutil.copytree(base, reference, symlinks=True)
    started = time.monotonic()
    assert _run(raw, reference, prefect_api).wait(timeout=300) == 0
    duration = time.monotonic() - started
    new = _state(reference)
    assert len(new) == 3000 and new != old

    outcomes = []
    for fraction in KILL_FRACTIONS:
        warehouse = tmp_path / f"killed-{fraction}"
        shutil.copytree(base, warehouse, symlinks=True)
        run = _run(raw, warehouse, prefect_api)
        time.sleep(duration * fraction)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        after_kill = _state(warehouse)
        assert len(_ids(after_kill)) == len(set(_ids(after_kill))), "duplicated rows"
        assert after_kill in (old, new), f"a mixed state after kill at {fraction:.0%}"
        outcomes.append("new" if after_kill == new else "old")
        if (warehouse / "news.duckdb").exists():
            with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
                assert con.sql("select count(*) from articles").fetchone() in ((1500,), (3000,))
        assert _run(raw, warehouse, prefect_api).wait(timeout=300) == 0
        assert _state(warehouse) == new
        with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
            assert con.sql("select count(*) from articles").fetchone() == (3000,)
    # The kills landed both before and after the commit point.
    assert "old" in outcomes
