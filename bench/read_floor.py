"""The read floor: list and read every raw .txt file once, doing nothing with the bytes."""

from __future__ import annotations

import os
import sys
import time


def read_all(raw_dir: str) -> tuple[int, int]:
    """(files, bytes) read under raw_dir, recursively, with one thread."""
    files = total = 0
    stack = [raw_dir]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name.endswith(".txt"):
                    with open(entry.path, "rb") as handle:
                        total += len(handle.read())
                    files += 1
    return files, total


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: read_floor.py RAW_DIR", file=sys.stderr)
        return 2
    started = time.perf_counter()
    files, total = read_all(argv[0])
    seconds = time.perf_counter() - started
    print(f"read floor: {files} files, {total} bytes in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
