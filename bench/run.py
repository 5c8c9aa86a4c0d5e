"""`make bench`: generate a corpus, time the read floor, the crude DuckDB peer and newsetl."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from newsetl.compiled import compiled_files

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH = ROOT / "bench"
# An empty flow on a temporary server: what Prefect costs a run before any task.
EMPTY_FLOW = "from prefect import flow\n@flow\ndef empty() -> None: pass\nempty()\n"
NIGHTLY_DATE = b"Published Time: 2023-12-15"
# The nightly flow's second step without Prefect: rebuild news.duckdb over the new snapshot.
BUILD = (
    "from newsetl.warehouse.build import build_database\n"
    "from newsetl.store.paths import resolve_paths\n"
    "build_database(resolve_paths(warehouse_dir={warehouse!r}))\n"
)


@dataclass
class Measure:
    """One timed command: wall seconds, peak RSS of its whole process tree, its stdout, and
    the CPU seconds (user + system) of every process of the tree that was waited for."""

    label: str
    seconds: float
    peak_rss: int
    stdout: str
    cpu_seconds: float = float("nan")


def children_cpu_seconds() -> float:
    """CPU seconds of this process's descendants that have ended and been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_command(raw: Path | str, warehouse: Path | str, *options: str) -> list[str]:
    """The load without Prefect (bench/load_plain.py) as a command."""
    return [str(BIN / "python"), str(BENCH / "load_plain.py"), str(raw), str(warehouse), *options]


def measure(label: str, command: list[str], env: dict[str, str] | None = None) -> Measure:
    """Run command, sampling the RSS of it and every descendant (workers, Prefect's server)."""
    print(f"bench: {label} ...", file=sys.stderr, flush=True)
    started, cpu_before = time.perf_counter(), children_cpu_seconds()
    # stdout goes to a file, not a pipe: a chatty command would fill the pipe and block while
    # this loop only samples memory.
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(command, stdout=out, text=True, env=env, cwd=ROOT)
        parent, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        out.seek(0)
        stdout = out.read()
    if proc.returncode != 0:
        raise SystemExit(f"bench: {label} failed ({proc.returncode}):\n{stdout}")
    return Measure(label, seconds, peak, stdout, children_cpu_seconds() - cpu_before)


def median_of(runs: list[Measure]) -> Measure:
    """The run of median wall time (with its CPU and stdout), holding the highest peak RSS."""
    middle = sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]
    return dataclasses.replace(middle, peak_rss=max(run.peak_rss for run in runs))


def versus(peers: list[Measure], runs: list[Measure]) -> str:
    """Each run's wall time over its peer's, the run of the same round: `0.97, 1.02`."""
    pairs = zip(peers, runs, strict=True)
    return ", ".join(f"{run.seconds / peer.seconds:.2f}" for peer, run in pairs)


def load_seconds(stdout: str) -> float:
    """The load's own time, as `newsetl ingest` prints it (`... finished in 12.3 s`)."""
    found = re.search(r"finished in ([0-9.]+) s", stdout)
    return float(found.group(1)) if found else float("nan")


def load_steps(stdout: str) -> dict[str, float]:
    """The load's seconds per step, as the load without Prefect prints them (`steps {...}`)."""
    found = re.search(r"^steps (\{.*\})$", stdout, re.MULTILINE)
    return json.loads(found.group(1)) if found else {}


def corpus(workdir: Path, count: int, seed: int) -> Path:
    """The generated corpus, made once per (count, seed) and reused by later runs."""
    raw = workdir / f"raw-{count}-{seed}"
    done = raw / ".complete"
    if not done.exists():
        shutil.rmtree(raw, ignore_errors=True)
        subdirs = max(1, count // 1000)
        measure(
            "generate",
            [
                str(BIN / "python"),
                "-m",
                "devtools",
                "generate",
                str(raw),
                "--count",
                str(count),
                "--seed",
                str(seed),
                "--no-gold",
                "--subdirs",
                str(subdirs),
            ],
        )
        done.touch()
    return raw


def add_nightly_files(
    raw: Path, workdir: Path, count: int, seed: int, folder: str = "nightly"
) -> Path:
    """`count` new articles dated in one recent month, as a night's scrape would bring, in
    `raw/folder` (a new folder)."""
    new = raw / folder
    scratch = workdir / "nightly-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "devtools",
            "generate",
            str(scratch),
            "--count",
            str(count),
            "--seed",
            str(seed + 10_000),
            "--no-gold",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    new.mkdir(parents=True)
    for path in sorted(scratch.glob("*.txt")):
        data = re.sub(rb"Published Time: [^\r\n]*", NIGHTLY_DATE, path.read_bytes(), count=1)
        (new / f"n{path.name}").write_bytes(data)
    shutil.rmtree(scratch)
    return new


RESULTS_HEADER = (
    "step",
    "wall s",
    "CPU s",
    "articles/s",
    "MB/s",
    "peak RSS MB",
    "vs crude",
    "vs read floor",
)


def table(rows: list[tuple[str, ...]], header: tuple[str, ...] = RESULTS_HEADER) -> str:
    """A Markdown table of `rows` under `header`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def cleaner_build() -> str:
    """Whether the parser and the text cleaner ran compiled, as a sentence for the results."""
    names = sorted(source.name for source in compiled_files().values())
    if not names:
        return "The parser and the text cleaner ran as plain Python (`make install` compiles them)."
    return f"The parser and the text cleaner ran compiled by Cython: {', '.join(names)}."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__)
    parser.add_argument("--count", "-n", type=int, default=20_000, help="articles (20,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nightly", type=int, default=500, help="files a nightly run adds")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "bench")
    parser.add_argument("--out", type=Path, default=BENCH / "results.md")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="alternating runs of the crude peer and the loads compared with it (3)",
    )
    args = parser.parse_args(argv)
    python, newsetl = str(BIN / "python"), str(BIN / "newsetl")
    crude_duckdb = [python, str(BENCH / "crude_duckdb.py")]
    args.workdir.mkdir(parents=True, exist_ok=True)
    raw = corpus(args.workdir, args.count, args.seed)
    shutil.rmtree(raw / "nightly", ignore_errors=True)
    mb = sum(p.stat().st_size for p in raw.rglob("*.txt")) / 1e6
    warehouse, crude_out = args.workdir / "warehouse", args.workdir / "crude"
    uncleaned = args.workdir / "warehouse-no-clean"
    shutil.rmtree(warehouse, ignore_errors=True)
    env = {**os.environ, "PREFECT_HOME": str(args.workdir / "prefect")}
    ingest = [newsetl, "ingest", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse)]

    floor = measure("read floor", [python, str(BENCH / "read_floor.py"), str(raw)])
    full = measure("newsetl ingest", ingest, env)
    # The crude peer and the loads compared with it, alternating: the machine's speed drifts
    # from minute to minute (the crude peer took 22.8 s and 34.8 s in two runs 18 minutes
    # apart), so each is the median of `--repeat` runs, and each pair's ratio is printed.
    crudes, plains, no_cleans = [], [], []
    for _ in range(max(1, args.repeat)):
        for path in (crude_out, warehouse, uncleaned):
            shutil.rmtree(path, ignore_errors=True)
        crudes.append(measure("crude duckdb", [*crude_duckdb, str(raw), str(crude_out)]))
        # The same load in a plain process: without Prefect's server taking CPU from it.
        plains.append(measure("load without Prefect", load_command(raw, warehouse)))
        # What cleaning costs the load: the same load with a cleaner that does nothing.
        no_cleans.append(
            measure(
                "the same load with a no-op text cleaner (what a free cleaner would leave)",
                load_command(raw, uncleaned, "--no-clean"),
            )
        )
    shutil.rmtree(uncleaned)
    crude, plain, no_clean = median_of(crudes), median_of(plains), median_of(no_cleans)
    fts = measure(
        "the fts extension's index over the crude output",
        [*crude_duckdb, "--fts-index", str(crude_out)],
    )
    # After the first run, so that neither pays for creating Prefect's database.
    empty = measure("prefect empty flow", [python, "-c", EMPTY_FLOW], env)
    noop = measure("newsetl ingest, nothing new", ingest, env)
    add_nightly_files(raw, args.workdir, args.nightly, args.seed)
    nightly = measure(f"newsetl ingest, {args.nightly} new files", ingest, env)
    # The nightly flow then rebuilds news.duckdb (views, comments, the SQL tests).
    build = measure("build news.duckdb", [python, "-c", BUILD.format(warehouse=str(warehouse))])
    shutil.rmtree(raw / "nightly")

    def row(
        label: str, s: float, peak_rss: int | None = None, cpu: float | None = None
    ) -> tuple[str, ...]:
        return (
            label,
            f"{s:.1f}",
            "" if cpu is None else f"{cpu:.1f}",
            f"{args.count / s:,.0f}",
            f"{mb / s:.1f}",
            "" if peak_rss is None else f"{peak_rss / 1e6:,.0f}",
            f"{s / crude.seconds:.2f}",
            f"{s / floor.seconds:.1f}",
        )

    def measured(m: Measure) -> tuple[str, ...]:
        return row(m.label, m.seconds, m.peak_rss, m.cpu_seconds)

    prefect_cost = full.seconds - plain.seconds
    # Like for like: the crude peer computes no term counts and no search index, the load does.
    derived = load_steps(plain.stdout).get("derived", float("nan"))
    rows = [
        measured(floor),
        measured(crude),
        row(
            "crude duckdb, then the fts extension's index over its output",
            crude.seconds + fts.seconds,
            max(crude.peak_rss, fts.peak_rss),
            crude.cpu_seconds + fts.cpu_seconds,
        ),
        measured(full),
        row("... the load's own time in that flow", load_seconds(full.stdout)),
        measured(plain),
        row("... of which term counts and search index", derived),
        row("... the rest: read, parse, clean, write the tables", plain.seconds - derived),
        measured(no_clean),
    ]
    text = "\n".join(
        [
            f"# newsetl benchmark: {args.count:,} articles ({mb:,.0f} MB), seed {args.seed}",
            "",
            f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
            f"warm page cache, with `python bench/run.py --count {args.count}`. Peak RSS is the "
            "sum over the command's whole process tree (workers and Prefect's temporary server "
            "included); CPU s is the user + system time of that tree. The crude peer, the load "
            f"without Prefect and the no-op cleaner are each the median of {len(crudes)} "
            f"alternating runs. {cleaner_build()}",
            "",
            table(rows),
            "",
            f"Run by run, vs crude: the load without Prefect {versus(crudes, plains)}; with a "
            f"no-op text cleaner {versus(crudes, no_cleans)}.",
            "",
            "| incremental run | wall s | the load's own s | peak RSS MB |",
            "|---|---|---|---|",
            f"| nothing new | {noop.seconds:.1f} | {load_seconds(noop.stdout):.2f} | "
            f"{noop.peak_rss / 1e6:,.0f} |",
            f"| {args.nightly} new files | {nightly.seconds:.1f} | "
            f"{load_seconds(nightly.stdout):.2f} | "
            f"{nightly.peak_rss / 1e6:,.0f} |",
            f"| then the build of news.duckdb (views, comments, SQL tests) | "
            f"{build.seconds:.1f} | {build.seconds:.2f} | {build.peak_rss / 1e6:,.0f} |",
            "",
            "| Prefect's own cost per run | wall s | CPU s |",
            "|---|---|---|",
            f"| empty flow (temporary server start, flow run, shutdown) | {empty.seconds:.1f} | "
            f"{empty.cpu_seconds:.1f} |",
            f"| full ingest minus the load without Prefect | {prefect_cost:.1f} | "
            f"{full.cpu_seconds - plain.cpu_seconds:.1f} |",
            f"| beyond the empty flow: task bookkeeping, the server's CPU taken from the load "
            f"(below 0 = within noise) | {prefect_cost - empty.seconds:.1f} | "
            f"{full.cpu_seconds - plain.cpu_seconds - empty.cpu_seconds:.1f} |",
            "",
        ]
    )
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
