"""Production without a terminal: the deployments on a process work pool, and a worker.

`python -m flows.worker deploy` creates the work pool `newsetl` (type process), the four
deployments on it (the code is run from this checkout: their pull step sets the working
directory here) and the alert automations. It is idempotent: the worker's systemd unit runs it
before each start (deploy/newsetl-worker.service). `python -m flows.worker start` (`make worker`)
does the same, then runs a Prefect worker on the pool until Ctrl-C, starting a local Prefect
server first unless PREFECT_API_URL is set.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from flows.serve import ROOT, environment, local_server, stop, terminate
from newsetl.settings import WORK_POOL, Settings, SettingsError


def deploy(settings: Settings, pool: str = WORK_POOL, *, receive_alerts: bool = True) -> list[str]:
    """The work pool (created if missing), the deployments on it, and the alerts (written to a
    log file by this process when `receive_alerts` and no target is set); returns the
    deployments' names."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists
    from prefect.runner.storage import LocalStorage

    from flows.alerts import setup_alerts
    from flows.deployments import deployments
    from flows.runs import name_upcoming_runs

    # The pool may be there from an earlier deploy.
    with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
        client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
    names = []
    for deployment in deployments(settings):
        # The worker runs the flow from this checkout (its .venv runs the worker), not a copy.
        deployment.storage = LocalStorage(str(ROOT))
        deployment.entrypoint = _relative_entrypoint(deployment.entrypoint)
        deployment.apply(work_pool_name=pool)
        names.append(deployment.name)
    home = Path(os.environ["PREFECT_HOME"])
    print(setup_alerts(home, settings, receive=receive_alerts), flush=True)
    name_upcoming_runs()
    return names


def _relative_entrypoint(entrypoint: str | None) -> str:
    """`flows/nightly.py:nightly_flow`, from wherever this was started."""
    if entrypoint is None:
        raise ValueError("a deployment without an entrypoint")
    path, _, function = entrypoint.rpartition(":")
    return f"{Path(path).resolve().relative_to(ROOT)}:{function}"


def start_worker(pool: str = WORK_POOL) -> subprocess.Popen[bytes]:
    """`prefect worker start` on the pool, as a child process (this Python's Prefect)."""
    prefect = Path(sys.executable).parent / "prefect"
    command = [str(prefect), "worker", "start", "--pool", pool, "--type", "process"]
    command += ["--install-policy", "never"]  # the process worker is part of Prefect
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True)


def main(argv: Sequence[str] | None = None) -> int:
    """`deploy` once, or `start`: deploy, then run a worker until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m flows.worker", description=__doc__)
    parser.add_argument("command", choices=["deploy", "start"])
    parser.add_argument("--pool", default=WORK_POOL, help="work pool (default: %(default)s)")
    parser.add_argument("--host", default="127.0.0.1", help="a local server's address")
    parser.add_argument("--port", type=int, default=4200, help="a local server's port")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    environment()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, terminate)
    if args.command == "deploy":
        for name in deploy(settings, args.pool, receive_alerts=False):
            print(f"deployment {name} on work pool {args.pool}", flush=True)
        return 0
    worker = None
    with local_server(args.host, args.port):
        try:
            deploy(settings, args.pool)
            worker = start_worker(args.pool)
            print(f"worker polling work pool {args.pool!r} (pid {worker.pid})", flush=True)
            from flows.runs import keep_naming_upcoming_runs

            threading.Thread(target=keep_naming_upcoming_runs, daemon=True).start()
            worker.wait()
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                stop(worker)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
