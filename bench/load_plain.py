"""The load without Prefect, in a plain process: what `newsetl ingest` runs inside its flow.

    .venv/bin/python bench/load_plain.py RAW_DIR WAREHOUSE_DIR [--no-clean] [--batch-size N]

Prints the load's time and its seconds per step (`steps {...}`), which bench/run.py reads.
With `--no-clean`, the text cleaner is replaced by a stand-in that keeps the raw body as it
is: the bench's measure of what cleaning costs the load, so the most a faster cleaner (a
native one, say) could take off it. Its warehouse holds uncleaned text: a measure, not a load.
"""

from __future__ import annotations

import argparse
import json
import sys

import newsetl.load.process
from newsetl.load.ingest import Load
from newsetl.settings import BATCH_SIZE
from newsetl.store.paths import resolve_paths
from newsetl.text.clean import REPAIR_KINDS, CleanedBody, Repair

NO_CLEAN = "--no-clean"


def keep_raw_body(
    raw_body: str, title: str | None = None, trace: list[Repair] | None = None
) -> CleanedBody:
    """A stand-in for clean_body that does no cleaning: the raw body, split at blank lines."""
    paragraphs = tuple(p for p in raw_body.split("\n\n") if p.strip())
    return CleanedBody(raw_body, paragraphs, (), None, dict.fromkeys(REPAIR_KINDS, 0))


# At import rather than in main(): the pool's workers, which do the cleaning, are spawned and
# import this file again (as __mp_main__, with the parent's sys.argv).
if NO_CLEAN in sys.argv:
    newsetl.load.process.clean_body = keep_raw_body  # type: ignore[attr-defined]  # re-bound where used


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="load_plain.py", description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir")
    parser.add_argument("warehouse_dir")
    parser.add_argument(NO_CLEAN, action="store_true", help="replace the cleaner by a no-op")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="files per batch")
    args = parser.parse_args(argv)
    paths = resolve_paths(args.raw_dir, args.warehouse_dir)
    summary = Load(paths, batch_size=args.batch_size).run()
    print(f"load {summary.load_id} finished in {summary.seconds:.1f} s")
    print("steps", json.dumps(summary.steps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
