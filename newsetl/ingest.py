"""One load from raw/ into the warehouse: plan, process batches, merge partitions, commit."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from newsetl.discover import FileStatus, ManifestEntry, Plan, RawFile, list_raw_files, plan_load
from newsetl.outcomes import count_states, settle_duplicates, updated_manifest, updated_rejects
from newsetl.parse import RejectReason
from newsetl.process import BatchResult, FileOutcome, process_batch
from newsetl.schema import TABLE_SCHEMAS
from newsetl.settings import BATCH_SIZE, DATA_TABLES, PARTITION_FILE, Paths
from newsetl.state import (
    LoadRecord,
    Reject,
    append_load,
    read_manifest,
    read_rejects,
    write_manifest,
    write_rejects,
)
from newsetl.write import (
    PartitionKey,
    merge_partition,
    partition_key,
    partition_keys_on_disk,
    remove_tree,
)

SORT_KEYS = {
    "articles": [("article_id", "ascending")],
    "article_photos": [("article_id", "ascending"), ("position", "ascending")],
}


def new_load_id(now: dt.datetime) -> str:
    """Sortable and unique: UTC time of the start plus a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass(slots=True)
class LoadSummary:
    """What one load did: the counts every run prints and publishes."""

    load_id: str
    kind: str
    files_seen: int = 0
    files_loaded: int = 0
    files_unchanged: int = 0
    files_duplicate: int = 0
    files_rejected: int = 0
    articles_written: int = 0
    photos_written: int = 0
    partitions_written: int = 0
    table_rows: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0


class Load:
    """The steps of one ingest, each callable on its own so a flow can run them as tasks."""

    def __init__(
        self,
        paths: Paths,
        *,
        kind: str = "incremental",
        full_refresh: bool = False,
        since: dt.date | None = None,
        until: dt.date | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.paths = paths
        self.kind = kind
        self.full_refresh = full_refresh
        self.since, self.until = since, until
        self.batch_size = batch_size
        self.started_at = dt.datetime.now(dt.UTC)
        self.load_id = new_load_id(self.started_at)
        self.staging = paths.staging_dir / self.load_id
        self._clock = time.monotonic()
        self.manifest: dict[str, ManifestEntry] = {}
        self.plan = Plan()
        self.not_followed: list[FileOutcome] = []

    def discover(self) -> Plan:
        """List raw/, read the manifest, and decide which files to read."""
        if not self.paths.raw_dir.is_dir():
            raise FileNotFoundError(
                f"raw dir {self.paths.raw_dir} does not exist: "
                "pass --raw-dir or set NEWSETL_RAW_DIR"
            )
        self.manifest = read_manifest(self.paths.state_dir)
        files: list[RawFile] = []
        for item in list_raw_files(self.paths.raw_dir):
            if isinstance(item, RawFile):
                files.append(item)
            else:
                path, detail = item
                self.not_followed.append(
                    FileOutcome(
                        RawFile(path, 0, 0),
                        FileStatus.REJECTED,
                        reason=RejectReason.BAD_SYMLINK,
                        detail=detail,
                    )
                )
        self.plan = plan_load(
            files, self.manifest, full_refresh=self.full_refresh, since=self.since, until=self.until
        )
        return self.plan

    def batches(self) -> Iterator[tuple[str, list[RawFile]]]:
        """The files to read, in batches named `batch-00000`, ..."""
        for start in range(0, len(self.plan.to_read), self.batch_size):
            yield (
                f"batch-{start // self.batch_size:05d}",
                self.plan.to_read[start : start + self.batch_size],
            )

    def process(self, batch_name: str, batch: list[RawFile]) -> BatchResult:
        """Read, parse, clean and stage one batch."""
        known_sha = {path: entry.sha256 for path, entry in self.manifest.items()}
        return process_batch(
            batch,
            raw_dir=self.paths.raw_dir,
            staging_dir=self.staging,
            batch_name=batch_name,
            load_id=self.load_id,
            ingested_at=self.started_at,
            known_sha=known_sha,
            forced=self.plan.forced,
        )

    def finish(self, results: list[BatchResult]) -> LoadSummary:
        """Settle duplicate ids, replace touched partitions, then commit state (manifest last)."""
        outcomes = settle_duplicates(
            [*self.not_followed, *(outcome for result in results for outcome in result.outcomes)]
        )
        winners = {
            o.article_id: o for o in outcomes if o.status == FileStatus.LOADED and o.article_id
        }
        summary = LoadSummary(self.load_id, self.kind)
        keys: set[PartitionKey] = set().union(*(r.staged_keys for r in results))
        replaced_ids: set[str] | None = set(winners)
        if self.full_refresh:
            replaced_ids = None
            for table in DATA_TABLES:
                keys |= partition_keys_on_disk(self.paths.table_dir(table))
        else:
            keys |= {
                partition_key(entry.published_date)
                for entry in self.manifest.values()
                if entry.article_id in winners and entry.status == FileStatus.LOADED
            }
        winner_keys = [f"{o.article_id}\x00{o.raw.source_file}" for o in winners.values()]
        for table in DATA_TABLES:
            for key in sorted(keys):
                merge_partition(
                    self.paths.table_dir(table),
                    self.staging / table,
                    key,
                    TABLE_SCHEMAS[table],
                    winners=winner_keys,
                    replaced_ids=replaced_ids,
                    sort_keys=SORT_KEYS[table],
                )
        summary.partitions_written = len(keys)
        summary.articles_written = len(winners)
        summary.photos_written = sum(r.photos_staged for r in results)
        self._commit(outcomes, summary)
        remove_tree(self.staging)
        summary.table_rows = table_row_counts(self.paths)
        summary.seconds = time.monotonic() - self._clock
        return summary

    def run(self) -> LoadSummary:
        """All steps in order, without Prefect (benchmarks and library use)."""
        self.discover()
        return self.finish([self.process(name, batch) for name, batch in self.batches()])

    def _commit(self, outcomes: list[FileOutcome], summary: LoadSummary) -> None:
        """Rejects, then the ledger, then the manifest: the manifest marks the load as done."""
        state_dir, now = self.paths.state_dir, self.started_at
        previous = self.manifest
        rejects = {} if self.full_refresh else read_rejects(state_dir)
        if self.full_refresh:  # files gone from raw/ leave the manifest, as their rows did
            seen = {raw.source_file for raw in (*self.plan.to_read, *self.plan.unchanged)}
            previous = {path: entry for path, entry in previous.items() if path in seen}
        counts = count_states(outcomes, len(self.plan.unchanged))
        summary.files_loaded = counts[FileStatus.LOADED]
        summary.files_unchanged = counts[FileStatus.UNCHANGED]
        summary.files_duplicate = counts[FileStatus.DUPLICATE]
        summary.files_rejected = counts[FileStatus.REJECTED]
        summary.files_seen = sum(counts.values())
        rejects = updated_rejects(rejects, outcomes, self.load_id, now)
        summary.rejects = [r for r in rejects.values() if r.load_id == self.load_id]
        write_rejects(state_dir, rejects)
        append_load(state_dir, self._ledger_record(summary))
        write_manifest(state_dir, updated_manifest(previous, outcomes, self.load_id, now))

    def _ledger_record(self, summary: LoadSummary) -> LoadRecord:
        return LoadRecord(
            load_id=self.load_id,
            kind=self.kind,
            started_at=self.started_at,
            finished_at=dt.datetime.now(dt.UTC),
            status="completed",
            files_seen=summary.files_seen,
            files_loaded=summary.files_loaded,
            files_unchanged=summary.files_unchanged,
            files_duplicate=summary.files_duplicate,
            files_rejected=summary.files_rejected,
            articles_written=summary.articles_written,
            photos_written=summary.photos_written,
            partitions_written=summary.partitions_written,
        )


def table_row_counts(paths: Paths) -> dict[str, int]:
    """Rows per data table, from the Parquet footers."""
    return {
        table: sum(
            pq.ParquetFile(path).metadata.num_rows
            for path in sorted(
                Path(paths.table_dir(table)).glob(f"year=*/month=*/{PARTITION_FILE}")
            )
        )
        for table in DATA_TABLES
    }
