"""Which articles partitions the SQL tests already passed on, so a build re-tests only the rest."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb

from newsetl.settings import ARTICLES_TABLE, NULL_PARTITION, PARTITION_FILE
from newsetl.store.paths import Paths
from newsetl.store.write import replace_atomically

# Where a test reads every article (a scan of all bodies: 12 s of a 16 s build at a million
# articles), its filter says `{{ partitions_to_test() }}`: the build puts there the partitions
# whose file changed since the last build that passed the same tests. A partition a load did not
# touch is the very same file (a hard link into the new snapshot), which passed already.
PLACEHOLDER_RE = re.compile(r"\{\{\s*partitions_to_test\(\s*\)\s*\}\}")
RECORD_FILE = ".news.duckdb.tested.json"
# Past this many changed partitions (a full refresh), one plain scan beats a long filter.
MAX_LISTED = 64

FileIdentity = tuple[int, int, int]  # inode, size, mtime_ns


def tests_digest(test_files: list[Path]) -> str:
    """What the tests' verdicts depend on besides the data: their text and DuckDB's version."""
    digest = hashlib.sha256(duckdb.__version__.encode())
    for path in test_files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def articles_files(snapshot: Path | None) -> dict[str, FileIdentity]:
    """Every articles partition file of a snapshot, by `year=/month=` path (none for None)."""
    if snapshot is None:
        return {}
    table_dir = snapshot / ARTICLES_TABLE
    files = {}
    for path in sorted(table_dir.glob(f"year=*/month=*/{PARTITION_FILE}")):
        status = path.stat()
        relative = path.parent.relative_to(table_dir).as_posix()
        files[relative] = (status.st_ino, status.st_size, status.st_mtime_ns)
    return files


def _record_path(paths: Paths) -> Path:
    return paths.warehouse_dir / RECORD_FILE


def _recorded(paths: Paths, digest: str) -> dict[str, FileIdentity]:
    """The files the last passing build tested with the same tests ({} when none did)."""
    try:
        record = json.loads(_record_path(paths).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get("tests") != digest:
        return {}
    files = record.get("files", {})
    return {name: tuple(identity) for name, identity in files.items()}


def _partition_predicate(partition: str) -> str:
    year, month = (part.split("=", 1)[1] for part in partition.split("/"))
    if NULL_PARTITION in (year, month):
        return "(published_year is null and published_month is null)"
    return f"(published_year = {int(year)} and published_month = {int(month)})"


def partitions_filter(
    paths: Paths, digest: str, current: dict[str, FileIdentity]
) -> tuple[str, list[str]]:
    """The SQL predicate for `{{ partitions_to_test() }}`, and the partitions it selects.

    `current` is articles_files of the snapshot the build reads. A predicate on the hive
    partition columns, so DuckDB opens only those files; `true` when there is no record of a
    passing build with these tests, or too many partitions changed.
    """
    tested = _recorded(paths, digest)
    changed = [name for name, identity in current.items() if tested.get(name) != identity]
    if not tested or len(changed) > MAX_LISTED:
        return "true", changed
    if not changed:
        return "false", changed
    return "(" + " or ".join(_partition_predicate(name) for name in changed) + ")", changed


def removed_partitions(paths: Paths, digest: str, current: dict[str, FileIdentity]) -> list[str]:
    """The partitions the last passing build tested that the snapshot no longer has (a load
    removed every article of them): nothing of them is left to test, but they did change."""
    return sorted(name for name in _recorded(paths, digest) if name not in current)


def record_passed(paths: Paths, digest: str, files: dict[str, FileIdentity]) -> None:
    """Remember that these files passed these tests (written after the new database is in)."""
    record = {"tests": digest, "files": {name: list(identity) for name, identity in files.items()}}
    text = json.dumps(record, sort_keys=True) + "\n"
    replace_atomically(_record_path(paths), lambda temporary: temporary.write_text(text))


def render_scope(sql: str, predicate: str) -> str:
    """Put the partitions to test into a test's `{{ partitions_to_test() }}`."""
    return PLACEHOLDER_RE.sub(predicate, sql)
