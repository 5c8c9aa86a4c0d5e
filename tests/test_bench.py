"""The benchmark's parts on a tiny corpus: read floor, crude DuckDB peer, nightly files."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from bench.crude_duckdb import index as crude_index
from bench.crude_duckdb import run as crude_run
from bench.read_floor import read_all
from bench.run import (
    NIGHTLY_DATE,
    ROOT,
    Measure,
    add_nightly_files,
    load_command,
    load_seconds,
    load_steps,
    median_of,
    table,
    versus,
)
from devtools.articles import write_corpus
from newsetl.settings import PROCESS_WORKERS_ENV
from newsetl.text.clean import REPAIR_KINDS

pytestmark = pytest.mark.slow


def test_read_floor_and_crude_peer_see_every_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 30, 3, gold=False, subdirs=2)
    files, total = read_all(str(raw))
    assert files == 30
    assert total == sum(p.stat().st_size for p in raw.rglob("*.txt"))
    out = tmp_path / "crude"
    assert crude_run(raw, out) == 30
    with duckdb.connect() as con:
        row = con.sql(
            f"select count(*) filter (where title = ''), count(distinct article_id) "
            f"from read_parquet('{out}/**/*.parquet')"
        ).fetchone()
    assert row == (0, 30)
    assert crude_index(out) == 30  # the fts extension's index over the same articles


def test_nightly_files_are_new_and_dated_in_one_month(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 5, 3, gold=False)
    new = add_nightly_files(raw, tmp_path, 4, 3)
    names = sorted(p.name for p in new.glob("*.txt"))
    assert len(names) == 4
    assert not {n[1:] for n in names} & {p.name for p in raw.glob("*.txt")}
    assert all(NIGHTLY_DATE in p.read_bytes()[:200] for p in new.glob("*.txt"))


def test_load_seconds_and_table() -> None:
    assert load_seconds("load x (incremental) finished in 12.5 s\n") == 12.5
    printed = 'load x finished in 3.0 s\nsteps {"discover": 0.5, "derived": 1.25}\n'
    assert load_steps(printed) == {"discover": 0.5, "derived": 1.25}
    assert load_steps("no steps printed") == {}
    text = table([("a", "1.0", "2", "3", "4", "5", "6")])
    assert text.splitlines()[2] == "| a | 1.0 | 2 | 3 | 4 | 5 | 6 |"


def test_nightly_bench_makes_the_warehouse_once_then_adds_new_files_each_night(
    tmp_path: Path,
) -> None:
    from bench.nightly import main as nightly_main

    out = tmp_path / "nightly.md"
    args = ["--count", "20", "--files", "3", "--nights", "2", "--workdir", str(tmp_path)]
    assert nightly_main([*args, "--out", str(out)]) == 0
    first = out.read_text()
    assert "one-time setup" in first and "holding 20 articles" in first
    assert "| 1 | 3 |" in first and "| 2 | 3 |" in first
    # a second run reuses the warehouse, with new files again (it fails loudly if not)
    assert nightly_main([*args, "--out", str(out)]) == 0
    second = out.read_text()
    assert "one-time setup" not in second and "holding 26 articles" in second
    assert not (tmp_path / "raw-20-1" / "nightly").exists()


def test_publish_bench_loads_builds_and_pulls_through_s3(tmp_path: Path) -> None:
    from bench.publish import main as publish_main

    out = tmp_path / "publish.md"
    args = ["--count", "20", "--files", "3", "--nights", "2", "--workdir", str(tmp_path)]
    assert publish_main([*args, "--out", str(out)]) == 0
    rows = {line.split(" | ")[0]: line.split(" | ")[1:] for line in out.read_text().splitlines()}
    full, night = rows["| full load"], rows["| night 2"]
    assert int(full[2]) > 0 and full[4] == "0"  # all uploaded, nothing to copy from
    assert int(night[4]) > 0  # the partitions the night left alone: copied on the store
    assert "| pull into an empty copy" in rows and "| build + published news.duckdb" in rows
    assert not (tmp_path / "publish-work").exists()
    assert "AWS_ENDPOINT_URL" not in os.environ


def test_plain_load_with_no_op_cleaner_reaches_the_workers(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 40, 3, gold=False)
    # Two workers and four batches: the batches are cleaned in spawned processes, which must
    # get the stand-in too.
    env = {**os.environ, PROCESS_WORKERS_ENV: "2"}
    totals = {}
    for name, options in (("cleaned", ()), ("uncleaned", ("--no-clean",))):
        warehouse = tmp_path / name
        done = subprocess.run(
            load_command(raw, warehouse, "--batch-size", "10", *options),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env=env,
        )
        assert load_steps(done.stdout)["batches"] > 0
        repairs = " + ".join(f"sum(repair_{kind})" for kind in REPAIR_KINDS)
        with duckdb.connect() as con:
            totals[name] = con.sql(
                f"select count(*), {repairs}, sum(photo_count) "
                f"from read_parquet('{warehouse}/current/articles/**/*.parquet')"
            ).fetchone()
    assert totals["uncleaned"] == (40, 0, 0)
    rows, repairs_made, _ = totals["cleaned"]
    assert rows == 40 and repairs_made > 0


def test_versus_gives_each_runs_time_over_its_peers_of_the_same_round() -> None:
    peers = [Measure("crude", s, 0, "") for s in (2.0, 4.0)]
    runs = [Measure("load", s, 0, "") for s in (1.0, 6.0)]
    assert versus(peers, runs) == "0.50, 1.50"


def test_median_of_runs_keeps_the_middle_run_and_the_highest_peak() -> None:
    runs = [
        Measure("x", s, rss, f"run {s}", cpu)
        for s, rss, cpu in ((3.0, 5, 1.0), (1.0, 9, 2.0), (2.0, 7, 3.0))
    ]
    middle = median_of(runs)
    assert (middle.seconds, middle.stdout, middle.cpu_seconds) == (2.0, "run 2.0", 3.0)
    assert middle.peak_rss == 9
    assert median_of(runs[:1]) == runs[0]


@pytest.mark.timeout(600)  # three rounds of loads, and three flows
def test_bench_times_every_step_and_pairs_the_crude_peer_with_the_loads(
    tmp_path: Path, prefect_harness: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.run import main as bench_main

    # Its flows run against the session's server, not four temporary ones started in turn.
    monkeypatch.setenv("PREFECT_API_URL", prefect_harness)
    out = tmp_path / "results.md"
    args = ["--count", "20", "--nightly", "3", "--repeat", "2", "--workdir", str(tmp_path)]
    assert bench_main([*args, "--out", str(out)]) == 0
    text = out.read_text()
    assert "each the median of 2 alternating runs" in text
    rows = {line.split(" | ")[0].lstrip("| ") for line in text.splitlines() if line.startswith("|")}
    assert {"crude duckdb", "newsetl ingest", "load without Prefect", "nothing new"} <= rows
    assert "the same load with a no-op text cleaner (what a free cleaner would leave)" in rows
    # One ratio per round, and the table's ratio is the median runs' wall times over each other.
    pairs = re.search(r"the load without Prefect ([0-9.]+, [0-9.]+); with a no-op", text)
    assert pairs is not None
    lines = (line.strip("| ").split(" | ") for line in text.splitlines())
    cells = {row[0]: row[1:] for row in lines}
    crude_s, plain_s = float(cells["crude duckdb"][0]), float(cells["load without Prefect"][0])
    assert cells["crude duckdb"][5] == "1.00"
    # Seconds are shown to 0.1 s, the ratio to 0.01: it lies within what the rounded times allow.
    ratio = float(cells["load without Prefect"][5])
    assert (plain_s - 0.05) / (crude_s + 0.05) - 0.005 <= ratio
    assert ratio <= (plain_s + 0.05) / max(crude_s - 0.05, 0.001) + 0.005
    # the last plain load's warehouse took the incremental runs; the scratch ones are gone
    assert (tmp_path / "warehouse" / "current").is_dir()
    assert not (tmp_path / "warehouse-no-clean").exists()
