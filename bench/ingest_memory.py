"""Peak RSS and CPU of `newsetl ingest` by process role (flow, workers, Prefect server).

    .venv/bin/python bench/ingest_memory.py .cache/bench/raw-1000000-1 /tmp/wh-1m-rss

Runs the command `bench/run.py` times (same PREFECT_HOME, so the same Prefect server start),
samples every process of its tree, and prints the tree's peak (the issue #7 figure), each role's
own peak and CPU seconds (user + system, as last sampled before each process ended), and the RSS
over time (a line every `--every` seconds) to show which step holds the memory. `--load`
measures the load without Prefect instead (bench/load_plain.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.run import BIN, ROOT, load_command


def role(process: psutil.Process, root: int) -> str:
    """What a process of the tree is: the command itself, a pool worker, Prefect's server."""
    if process.pid == root:
        return "flow"
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return "other"
    if "resource_tracker" in command:
        return "other"
    if "forkserver" in command and process.ppid() == root:
        return "forkserver"
    if "multiprocessing" in command:  # spawned, or forked by a forkserver (its command line)
        return "workers"
    if "uvicorn" in command or "prefect" in command:
        return "prefect server"
    return "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument(
        "--load", action="store_true", help="bench/load_plain.py: the load without Prefect"
    )
    parser.add_argument("--every", type=float, default=10.0, help="seconds between lines")
    args = parser.parse_args(argv)
    raw, warehouse = str(args.raw.resolve()), str(args.warehouse.resolve())
    if args.load:
        command = load_command(raw, warehouse)
    else:
        command = [str(BIN / "newsetl"), "ingest", "--raw-dir", raw, "--warehouse-dir", warehouse]
    env = {**os.environ, "PREFECT_HOME": str(ROOT / ".cache" / "bench" / "prefect")}
    print("command:", " ".join(command))
    started = time.perf_counter()
    # stdout goes to a file, not a pipe (as in bench/run.py's measure): a chatty command would
    # fill the pipe and block while this loop only samples memory.
    with tempfile.TemporaryFile("w+") as out_file:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out_file, text=True)
        parent = psutil.Process(proc.pid)
        peak, peaks, roles, next_line = 0, dict[str, int](), dict[int, str](), 0.0
        cpu: dict[int, float] = {}  # each process's CPU seconds when last sampled
        while proc.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                by_role: dict[str, int] = {}
                for process in tree:
                    if process.pid not in roles:
                        roles[process.pid] = role(process, parent.pid)
                    name = roles[process.pid]
                    by_role[name] = by_role.get(name, 0) + process.memory_info().rss
                    times = process.cpu_times()
                    cpu[process.pid] = times.user + times.system
            except psutil.Error:  # a process ended while sampled: sample again
                time.sleep(0.05)
                continue
            peak = max(peak, sum(by_role.values()))
            for name, rss in by_role.items():
                peaks[name] = max(peaks.get(name, 0), rss)
            elapsed = time.perf_counter() - started
            if elapsed >= next_line:
                parts = ", ".join(
                    f"{name} {rss / 1e6:,.0f}" for name, rss in sorted(by_role.items())
                )
                print(f"{elapsed:7.1f} s  tree {sum(by_role.values()) / 1e6:,.0f} MB  ({parts})")
                next_line += args.every
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        out_file.seek(0)
        out = out_file.read()
    print(out.strip())
    print(f"exit {proc.returncode}, wall {seconds:.1f} s, tree peak {peak / 1e6:,.0f} MB")
    cpu_by_role: dict[str, float] = {}
    for pid, seconds_used in cpu.items():
        cpu_by_role[roles[pid]] = cpu_by_role.get(roles[pid], 0.0) + seconds_used
    for name, rss in sorted(peaks.items()):
        print(f"  {name}: peak {rss / 1e6:,.0f} MB, CPU {cpu_by_role.get(name, 0.0):.1f} s")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
