"""Real faults for tests: a process without root's file access, a small tmpfs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Root reads and lists whatever the permission bits say: a process that is to meet them has
# the two capabilities that bypass them dropped (it stays uid 0, so it owns what it writes).
DROP_FILE_ACCESS = [
    "setpriv",
    "--inh-caps=-all",
    "--bounding-set=-dac_override,-dac_read_search",
]


def as_plain_user(command: Sequence[str]) -> list[str]:
    """The command, run so that permission bits apply to it (setpriv when root)."""
    if os.geteuid() != 0:
        return list(command)
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to drop root's file access in this test")
    return [*DROP_FILE_ACCESS, *command]


def python_as_plain_user(
    code: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -c code args...` from the repository root, as as_plain_user runs it."""
    return subprocess.run(
        as_plain_user([sys.executable, "-c", code, *args]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


@contextmanager
def small_tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on path (created) for the block."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"LOUD SKIP: cannot mount a tmpfs here ({mounted.stderr.strip()}): "
            "run the suite as root on Linux to test a full disk"
        )
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)
