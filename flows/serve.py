"""`make serve`: a local Prefect server (data under .prefect/) and the newsetl deployments.

With PREFECT_API_URL set, no server is started: the deployments are served against that server
(a shared Prefect server or Prefect Cloud). Either way the alert automations are created first
(flows.alerts). Ctrl-C stops the deployments, then the server.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from newsetl.settings import WRITER_SLOT_RETRY_SECONDS, Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4200
STARTUP_SECONDS = 300  # a busy 2-core machine can take minutes


def environment() -> None:
    """Before Prefect is imported: no telemetry, and its home inside the project."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    home = Path(os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))).expanduser()
    home.mkdir(parents=True, exist_ok=True)


def wait_until_healthy(api_url: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    """Poll /health (open even with an auth string) until the server answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the Prefect server did not answer at {api_url} in {seconds:.0f} s")


def server_environment(host: str, port: int) -> dict[str, str]:
    """The environment of `prefect server start` for newsetl (also what deploy/ sets)."""
    api_url = f"http://{host}:{port}/api"
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_UI_URL")}
    env.update(
        # The UI asks the server for its API address: without these it would say port 4200.
        PREFECT_SERVER_API_HOST=host,
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_UI_API_URL=api_url,
        # The alerts' links to a run (Jinja's ui_url) are made by the server from this.
        PREFECT_UI_URL=f"http://{host}:{port}",
        # A run waiting for the writer slot tries again within this many seconds of it being
        # freed, instead of the default's up to 30 (the limit is not first come, first served).
        PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS=str(
            WRITER_SLOT_RETRY_SECONDS
        ),
    )
    return env


def start_server(host: str, port: int) -> tuple[subprocess.Popen[bytes], str]:
    """`prefect server start` on host:port; returns the process and its API URL."""
    prefect = Path(sys.executable).parent / "prefect"
    command = [str(prefect), "server", "start", "--host", host, "--port", str(port)]
    api_url = f"http://{host}:{port}/api"
    # A session of its own: Ctrl-C reaches only this process, which stops the deployments while
    # the server still answers (they pause their schedules), and then the server.
    server = subprocess.Popen(command, env=server_environment(host, port), start_new_session=True)
    try:
        wait_until_healthy(api_url, server, STARTUP_SECONDS)
    except BaseException:
        stop(server)
        raise
    return server, api_url


@contextmanager
def local_server(host: str, port: int) -> Iterator[None]:
    """A local Prefect server for the block, unless PREFECT_API_URL names one already."""
    if os.environ.get("PREFECT_API_URL"):
        print(f"Prefect server: {os.environ['PREFECT_API_URL']} (PREFECT_API_URL)", flush=True)
        yield
        return
    server, os.environ["PREFECT_API_URL"] = start_server(host, port)
    auth = os.environ.get("PREFECT_SERVER_API_AUTH_STRING")
    if auth:  # this process is a client of the server it started
        os.environ.setdefault("PREFECT_API_AUTH_STRING", auth)
    print(f"Prefect UI: http://{host}:{port} (server pid {server.pid})", flush=True)
    try:
        yield
    finally:
        stop(server)


def stop(server: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """Ask the process to stop (as Ctrl-C does), then kill it if it does not."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
    try:
        server.wait(seconds)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (systemd, kill) stops the process as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Start the server unless PREFECT_API_URL is set, then serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m flows.serve", description=__doc__)
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="(default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()  # the served runs read theirs as each starts
    except SettingsError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    environment()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    signal.signal(signal.SIGTERM, terminate)
    try:
        with local_server(args.host, args.port):
            from prefect import serve

            from flows.alerts import setup_alerts
            from flows.deployments import deployments
            from flows.runs import keep_naming_upcoming_runs

            served = deployments(settings)
            for deployment in served:  # before the alerts, which watch them by id
                deployment.apply()
            print(setup_alerts(Path(os.environ["PREFECT_HOME"]), settings), flush=True)
            threading.Thread(target=keep_naming_upcoming_runs, daemon=True).start()
            serve(*served)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
