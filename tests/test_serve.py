"""`make serve` and `make worker` (flows.serve): a local address only without PREFECT_API_URL."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("target", ["serve", "worker"])
def test_make_passes_a_local_servers_address_only_without_prefect_api_url(target: str) -> None:
    def command(**env: str) -> str:
        base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        dry = subprocess.run(
            ["make", "-s", "-n", target], cwd=ROOT, env=base | env, capture_output=True, text=True
        )
        assert dry.returncode == 0, dry.stderr
        return [line for line in dry.stdout.splitlines() if "-m flows." in line][-1].strip()

    module = "flows.serve" if target == "serve" else "flows.worker start"
    assert command() == f".venv/bin/python -m {module} --host 127.0.0.1 --port 4200"
    assert command(PREFECT_API_URL="http://10.0.0.5:4200/api") == f".venv/bin/python -m {module}"
