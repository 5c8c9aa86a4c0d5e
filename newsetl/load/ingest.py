"""One load from raw/ into the warehouse: plan, process batches, then commit a new snapshot."""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsetl.load.changes import write_article_changes
from newsetl.load.derived import outdated_partitions, write_derived_tables
from newsetl.load.discover import (
    RETRIED_REASONS,
    FileList,
    Plan,
    RawFile,
    check_article_loss,
    check_shrink,
    hold_vanished_folders,
    list_raw_columns,
    plan_load,
)
from newsetl.load.outcome_table import FileOutcome, Outcomes
from newsetl.load.outcomes import (
    count_states,
    flag_identical_content,
    loaded_article_ids,
    marked_deleted,
    settle_against_standing,
    settle_duplicates,
    updated_manifest,
    updated_rejects,
    winner_keys_by_partition,
)
from newsetl.load.process import BatchJob, BatchPool, BatchResult, staged_parts_by_partition
from newsetl.load.removals import (
    DELETED_DETAIL,
    REREAD_DETAIL,
    folder_entries,
    removed_ids,
    standing_winners,
)
from newsetl.settings import (
    ARTICLES_TABLE,
    BATCH_SIZE,
    DATA_TABLES,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_READ_TIMEOUT_SECONDS,
    DEFAULT_WORKERS,
    DERIVED_TABLES,
    PARTITION_FILE,
    PHOTOS_TABLE,
    SNAPSHOT_RETENTION_HOURS,
    STATE_DIR,
    TABLE_SORT_KEYS,
    latest_published_date,
    row_group_size,
)
from newsetl.store.lock import writer_lock
from newsetl.store.manifest import FileStatus, Manifest
from newsetl.store.paths import Paths
from newsetl.store.publish import (
    PublishSummary,
    publish_snapshot,
    pull_snapshot,
    remove_store_staging,
    staging_url,
)
from newsetl.store.raw import location_is_dir
from newsetl.store.restore import adopt_restored_copy
from newsetl.store.schema import MANIFEST, TABLE_SCHEMAS
from newsetl.store.snapshot import (
    adopt_plain_directories,
    commit_snapshot,
    current_snapshot,
    link_or_copy,
    prune_snapshots,
    snapshot_dir,
)
from newsetl.store.state import (
    LoadRecord,
    Reject,
    read_loads,
    read_manifest,
    read_rejects,
    write_loads,
    write_manifest,
    write_rejects,
)
from newsetl.store.write import (
    PartitionKey,
    StagedFiles,
    merge_partition,
    partition_dir,
    partition_key,
    partition_keys_on_disk,
    remove_tree,
)

log = logging.getLogger(__name__)


# The steps a load times (LoadSummary.steps), with what each one does.
LOAD_STEPS = {
    "pull": "pull the store's snapshot",
    "discover": "list raw/, plan",
    "batches": "read, parse, clean, stage",
    "merge": "settle duplicates, merge partitions",
    "derived": "term counts, search index",
    "changes": "articles added, updated, removed",
    "commit": "state, commit",
    "publish": "publish to the store",
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
    # Files gone from raw/ since the last load (not among the files seen), and the articles
    # that left the warehouse with them (no other file carries their id).
    files_deleted: int = 0
    articles_removed: int = 0
    # The files whose article left, by why (`gone from the raw dir`, `empty`, `bad_symlink`...):
    # a removal is not always a deletion.
    removed_because: dict[str, int] = field(default_factory=dict)
    # Articles the committed snapshot holds that the one before did not, or with another
    # content hash (the change history, newsetl.load.changes).
    articles_added: int = 0
    articles_updated: int = 0
    articles_written: int = 0
    photos_written: int = 0
    partitions_written: int = 0
    committed: bool = False
    table_rows: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0
    # Seconds each step took, by LOAD_STEPS name, in the order they ran (steps a load skipped,
    # such as the writes of a run with nothing new, are absent).
    steps: dict[str, float] = field(default_factory=dict)
    # What was sent to the warehouse's URL, when it has one and was behind (warehouse_store).
    published: PublishSummary | None = None
    # Folders of the raw location that could not be listed (relative, ending in `/`), and how
    # many files the manifest knows under them: those keep their rows, neither seen nor gone.
    unlisted: list[str] = field(default_factory=list)
    files_not_listed: int = 0


class Load:
    """The steps of one ingest, each callable on its own so a flow can run them as tasks.

    Use it as a context manager (or call `run`): it holds the warehouse's writer lock from
    `discover` to the end, so two loads never interleave.
    """

    def __init__(
        self,
        paths: Paths,
        *,
        kind: str = "incremental",
        full_refresh: bool = False,
        since: dt.date | None = None,
        until: dt.date | None = None,
        batch_size: int = BATCH_SIZE,
        lock_wait_seconds: float = 0.0,
        started_at: dt.datetime | None = None,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        read_timeout: float = DEFAULT_READ_TIMEOUT_SECONDS,
        workers: int = DEFAULT_WORKERS,
        stage_on_store: bool = False,
        retention_hours: float = SNAPSHOT_RETENTION_HOURS,
        allow_shrink: bool = False,
    ) -> None:
        self.paths = paths
        self.kind = kind
        self.full_refresh = full_refresh
        self.since, self.until = since, until
        self.batch_size = batch_size
        self.lock_wait_seconds = lock_wait_seconds
        self.max_file_bytes = max_file_bytes
        self.read_timeout = read_timeout
        self.workers = workers
        # Accept a listing that lost most of the files the manifest knows (check_shrink).
        self.allow_shrink = allow_shrink
        self.retention_hours = retention_hours
        self.started_at = started_at or dt.datetime.now(dt.UTC)
        self.load_id = new_load_id(self.started_at)
        # Local, unless the batches run where the flow's disk is not (Dask workers on other
        # machines) and the warehouse has a store to meet on.
        store = paths.warehouse_url if stage_on_store else None
        self.stage_on_store = store is not None
        self.staging = (
            str(paths.staging_dir / self.load_id)
            if store is None
            else staging_url(store, self.load_id)
        )
        self._clock = time.monotonic()
        self._steps: dict[str, float] = {}
        # When the step under way began: discover ends it, and the batches run from there
        # (in this process's pool, or as the flow's tasks) until finish starts.
        self._step_started = self._clock
        self._lock = writer_lock(paths.warehouse_dir, lock_wait_seconds)
        self._locked = False
        self.manifest = Manifest()
        self.rejects: dict[str, Reject] = {}
        self.plan = Plan()
        self.not_followed: list[FileOutcome] = []
        # The article ids the load removes (newsetl.load.removals.removed_ids), known in finish.
        self.removed: pa.Array = pa.array([], pa.string())
        # The files rejected for now (transient_rejects), known in finish.
        self.for_now: pa.Array = pa.array([], pa.string())

    def __enter__(self) -> Load:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the writer lock, then clear what a load that died left behind."""
        if self._locked:
            return
        self._lock.__enter__()
        self._locked = True
        remove_tree(self.paths.staging_dir)  # what a load that died left
        try:  # a backup restored with its links followed: adopted, or refused unmoved
            adopt_restored_copy(self.paths.warehouse_dir)
        except BaseException:
            self.release()
            raise
        adopt_plain_directories(self.paths.warehouse_dir)
        if self.paths.warehouse_url is not None:
            # The same on the store; then the store's state is the one to load onto.
            self._remove_store_staging(staging_url(self.paths.warehouse_url))
            self._start_step()
            pull_snapshot(self.paths.warehouse_url, self.paths.warehouse_dir)
            self._timed("pull")
        prune_snapshots(self.paths.warehouse_dir, self.retention_hours)

    def release(self) -> None:
        """Drop the staging files and the writer lock."""
        if self._locked:
            try:
                remove_tree(self.paths.staging_dir)
                if self.stage_on_store:
                    self._remove_store_staging(self.staging)
            finally:  # the lock is let go whatever happened: a served process runs on
                self._locked = False
                self._lock.__exit__(None, None, None)

    def _remove_store_staging(self, location: str) -> None:
        """Staging files on the store; one that cannot be reached is a warning, not the run's
        error (the next load removes them)."""
        try:
            remove_store_staging(location)
        except Exception as exc:
            log.warning(
                "staging files on %s not removed (%s): the next load removes them",
                location,
                " ".join(str(exc).split()) or type(exc).__name__,
            )

    def discover(self) -> Plan:
        """List raw/, read the manifest, and decide which files to read."""
        if not location_is_dir(self.paths.raw_location):
            raise FileNotFoundError(
                f"raw dir {self.paths.raw_location} does not exist: "
                "pass --raw-dir or set NEWSETL_RAW_DIR"
            )
        self.acquire()
        self._start_step()
        self.manifest = read_manifest(self.paths.state_dir)
        self.rejects = read_rejects(self.paths.state_dir)
        # The listing goes into Arrow columns as it is walked: no RawFile is kept per file. A
        # folder that could not be listed is not a deletion: its files keep their rows.
        listing = list_raw_columns(self.paths.raw_location)
        retry = [path for path, reject in self.rejects.items() if reject.reason in RETRIED_REASONS]

        def plan() -> Plan:
            return plan_load(
                listing,
                self.manifest,
                full_refresh=self.full_refresh,
                since=self.since,
                until=self.until,
                latest=latest_published_date(self.started_at),
                retry=retry,
            )

        self.plan = plan()
        # Only files gone can make a folder look unmounted: a night with none plans once.
        if not self.allow_shrink and hold_vanished_folders(listing, self.manifest, self.plan.gone):
            self.plan = plan()
        self.not_followed = [
            FileOutcome(
                RawFile(odd.source_file, 0, 0),
                FileStatus.REJECTED,
                reason=odd.reason,
                detail=odd.detail,
            )
            for odd in listing.odd
        ]
        check_shrink(self.plan, self.paths.raw_location, allow=self.allow_shrink)
        release_free_memory()  # the listing and the plan's lookups: ~100 MB at a million files
        self._timed("discover")
        return self.plan

    def batches(self) -> Iterator[tuple[str, FileList]]:
        """The files to read, in batches named `batch-00000`, ..."""
        for start in range(0, len(self.plan.to_read), self.batch_size):
            name = f"batch-{start // self.batch_size:05d}"
            yield name, self.plan.to_read[start : start + self.batch_size]

    def job(self, batch_name: str, batch: FileList) -> BatchJob:
        """One batch as a self-contained, picklable job (for a worker process or Dask).

        `batch` is a slice of the plan's `to_read`: its rows carry each file's known hash and
        whether it is forced, so the job needs neither the manifest nor the whole plan.
        """
        rows = batch.table
        paths = rows.column("source_file")
        hashes = rows.column("known_sha256")
        known = pc.is_valid(hashes)
        known_sha = dict(
            zip(paths.filter(known).to_pylist(), hashes.filter(known).to_pylist(), strict=True)
        )
        forced = frozenset(paths.filter(rows.column("forced")).to_pylist())
        return BatchJob(
            batch_name=batch_name,
            files=tuple(batch),
            raw_location=self.paths.raw_location,
            staging_dir=self.staging,
            load_id=self.load_id,
            ingested_at=self.started_at,
            known_sha=known_sha,
            forced=forced,
            max_file_bytes=self.max_file_bytes,
            read_timeout=self.read_timeout,
        )

    def jobs(self) -> Iterator[BatchJob]:
        """Every batch as a job, made lazily: the pool's window bounds how many exist at once."""
        for name, batch in self.batches():
            yield self.job(name, batch)

    def finish(self, results: list[BatchResult]) -> LoadSummary:
        """Settle duplicate ids, write the new snapshot, commit it (and publish it to the
        warehouse's URL), and release the lock."""
        try:
            if self.plan.to_read:
                self._timed("batches")
            else:
                self._start_step()
            # The batches' tables side by side (not copied), then settled column by column.
            read = Outcomes.concat([Outcomes.of(self.not_followed), *(r.outcomes for r in results)])
            # Every id is won by the newest of its files (mtime, then path), those read now
            # and those loaded earlier alike (newsetl.load.removals): as a full refresh would.
            manifest = self.manifest.columns(list(MANIFEST.names))
            same = pc.equal(read.column("status"), FileStatus.UNCHANGED)
            unchanged = read.table.select(["source_file", "mtime_ns"]).filter(same)
            # A file rejected for now (unreadable, changed while read, timed out) keeps the
            # article it had: its state is unknown, as under a folder that could not be listed.
            self.for_now = transient_rejects(read)
            replaced = read.column("source_file").filter(
                pc.invert(pc.or_(same, pc.is_in(read.column("source_file"), self.for_now)))
            )
            standing = standing_winners(manifest, replaced, self.plan.gone, unchanged)
            outcomes = settle_against_standing(settle_duplicates(read), standing)
            outcomes = flag_identical_content(outcomes)
            touched = pa.chunked_array([*replaced.chunks, self.plan.gone], pa.string())
            self.removed = removed_ids(manifest, touched, loaded_article_ids(outcomes))
            release_free_memory()
            causes = self._removal_causes(read)
            self._check_article_loss(causes)
            summary = LoadSummary(self.load_id, self.kind)
            self._count(outcomes, summary)
            summary.removed_because = causes
            if self._changes_anything(outcomes):
                self._write_snapshot(results, outcomes, summary)
                summary.committed = True
            summary.table_rows = table_row_counts(self.paths)
            if self.paths.warehouse_url is not None:
                # Even with nothing new: a snapshot whose publish failed is sent now.
                self._start_step()
                summary.published = publish_snapshot(
                    self.paths.warehouse_dir, self.paths.warehouse_url
                )
                self._timed("publish")
            summary.steps = dict(self._steps)
            summary.seconds = time.monotonic() - self._clock
            return summary
        finally:
            self.release()

    def run(self) -> LoadSummary:
        """All steps in order, without Prefect (benchmarks and library use); the batches run on
        a process pool of `workers` processes."""
        with self:
            self.discover()
            # One batch gains nothing from a pool (and a pool's process start costs ~0.2 s).
            batches = -(-len(self.plan.to_read) // self.batch_size)
            with BatchPool(min(self.workers, batches)) as pool:
                results = list(pool.run(self.jobs()))
            return self.finish(results)

    def _removal_causes(self, read: Outcomes) -> dict[str, int]:
        """The files whose article the load removes, by why: gone from the raw dir, or read and
        rejected (their reject reason), or read and now carrying another article."""
        if not len(self.removed):
            return {}
        manifest = self.manifest.columns(["source_file", "status", "article_id"])
        carried = pc.and_(
            pc.equal(manifest.column("status"), FileStatus.LOADED),
            pc.is_in(manifest.column("article_id"), self.removed),
        )
        losers = manifest.column("source_file").filter(pc.fill_null(carried, False))
        causes = {DELETED_DETAIL: len(pc.filter(self.plan.gone, pc.is_in(self.plan.gone, losers)))}
        table = read.table.filter(pc.is_in(read.column("source_file"), losers))
        reasons = pc.fill_null(table.column("reason"), REREAD_DETAIL)
        for counted in pc.value_counts(reasons).to_pylist():
            causes[counted["values"]] = causes.get(counted["values"], 0) + counted["counts"]
        return {cause: count for cause, count in causes.items() if count}

    def _check_article_loss(self, causes: dict[str, int]) -> None:
        """Refuse, before anything is written, a load that removes most of the articles."""
        if not len(self.removed):
            return
        articles = table_row_counts(self.paths)[ARTICLES_TABLE]
        check_article_loss(len(self.removed), articles, causes, allow=self.allow_shrink)

    def _start_step(self) -> None:
        self._step_started = time.monotonic()

    def _timed(self, step: str) -> None:
        """Record the step that ends now (a LOAD_STEPS name); the next one starts now."""
        now = time.monotonic()
        self._steps[step] = now - self._step_started
        self._step_started = now

    def _count(self, outcomes: Outcomes, summary: LoadSummary) -> None:
        counts = count_states(outcomes, len(self.plan.unchanged))
        summary.files_loaded = counts[FileStatus.LOADED]
        summary.files_unchanged = counts[FileStatus.UNCHANGED]
        summary.files_duplicate = counts[FileStatus.DUPLICATE]
        summary.files_rejected = counts[FileStatus.REJECTED]
        summary.files_seen = sum(counts.values())
        summary.articles_written = counts[FileStatus.LOADED]
        gone = self.plan.gone
        summary.files_deleted = len(gone.filter(pc.invert(folder_entries(gone))))
        summary.articles_removed = len(self.removed)
        summary.unlisted = list(self.plan.unlisted)
        summary.files_not_listed = len(self.plan.unknown)

    def _changes_anything(self, outcomes: Outcomes) -> bool:
        """False for a run with nothing new: it then writes nothing at all.

        A reject read again (every run retries the unreadable ones) and rejected as before
        changes nothing; a reject whose file is gone does (it leaves rejected_files).
        """
        if (
            self.full_refresh
            or current_snapshot(self.paths.warehouse_dir) is None
            or self._derived_tables_missing()
        ):
            return True
        if len(self.plan.gone):
            return True  # files deleted: their articles and rejects leave
        table = outcomes.table
        rejected = table.filter(pc.equal(table.column("status"), FileStatus.REJECTED))
        if rejected.num_rows < table.num_rows:
            return True  # a file loaded, found unchanged or a duplicate: the manifest changes
        if not rejected.num_rows:
            return False
        # Rejected again: as before when listed as the manifest knows it, for the same reason.
        manifest = self.manifest.columns(["source_file", "size", "mtime_ns"])
        at = pc.index_in(rejected.column("source_file"), manifest.column("source_file"))
        same_stat = pc.and_(
            pc.equal(pc.take(manifest.column("size"), at), rejected.column("size")),
            pc.equal(pc.take(manifest.column("mtime_ns"), at), rejected.column("mtime_ns")),
        )
        # A loaded file rejected for now keeps its manifest entry (its older stat): only its
        # reject row is written, so an edit that met a fault is judged by that row alone.
        kept = pc.is_in(rejected.column("source_file"), self._loaded_paths())
        if not pc.all(pc.or_(pc.fill_null(same_stat, False), kept)).as_py():
            return True
        columns = ["source_file", "reason", "detail", "sha256"]
        return any(
            (known := self.rejects.get(row["source_file"])) is None
            or (known.reason, known.detail, known.sha256)
            != (row["reason"], row["detail"], row["sha256"])
            for row in rejected.select(columns).to_pylist()
        )

    def _derived_tables_missing(self) -> bool:
        """A snapshot from before a derived table existed, or before its DERIVED_VERSION (an
        upgrade): the next load writes it, even with nothing new, so the build never has to
        make up for it."""
        current = current_snapshot(self.paths.warehouse_dir)
        if current is None:
            return False
        articles = partition_keys_on_disk(current / ARTICLES_TABLE)
        return any(
            partition_keys_on_disk(current / table) != articles for table in DERIVED_TABLES
        ) or bool(outdated_partitions(current))

    def _write_snapshot(
        self, results: list[BatchResult], outcomes: Outcomes, summary: LoadSummary
    ) -> None:
        """Every partition of the new snapshot: touched ones merged, the rest hard-linked."""
        warehouse = self.paths.warehouse_dir
        old, new = current_snapshot(warehouse), snapshot_dir(warehouse, self.load_id)
        # The winners stay Arrow columns: as a FileOutcome each they held ~0.6 GB at a million.
        winner_ids = loaded_article_ids(outcomes)
        # The old rows to drop: the winners' earlier versions and the removed articles.
        dropped = pa.concat_arrays([winner_ids, self.removed.cast(pa.string())])
        touched: set[PartitionKey] = set().union(*(r.staged_keys for r in results))
        touched |= {
            partition_key(entry.published_date)
            for entry in self.manifest.loaded_with_article_ids(dropped)
        }
        added = self._merge_partitions(results, outcomes, old, new, touched, dropped)
        self._timed("merge")
        # The winners' ids (and the merges' keys, gone with them) end with the merges: ~70 MB at
        # a million. What the merges freed goes back to the OS too: DuckDB allocates apart from
        # Arrow, and the derived step is the load's peak.
        del winner_ids, dropped
        release_free_memory()
        # Derived from the articles just written: touched partitions recomputed, the rest linked.
        write_derived_tables(
            old,
            new,
            touched,
            full_refresh=self.full_refresh,
            load_id=self.load_id,
            spill_dir=self.paths.staging_dir / self.load_id / "duckdb",
        )
        self._timed("derived")
        # What changed between the two snapshots, kept with the history of the loads before.
        changes = write_article_changes(
            old, new, self.load_id, spill_dir=self.paths.staging_dir / self.load_id / "duckdb"
        )
        summary.articles_added, summary.articles_updated = changes.added, changes.updated
        summary.articles_removed = changes.removed
        self._timed("changes")
        summary.partitions_written = len(touched)
        summary.photos_written = added[PHOTOS_TABLE]
        self._write_state(new / STATE_DIR, outcomes, summary)
        commit_snapshot(warehouse, new)
        prune_snapshots(warehouse, self.retention_hours)
        self._timed("commit")

    def _merge_partitions(
        self,
        results: list[BatchResult],
        outcomes: Outcomes,
        old: Path | None,
        new: Path,
        touched: set[PartitionKey],
        dropped: pa.Array | pa.ChunkedArray,
    ) -> dict[str, int]:
        """Merge every touched partition of each data table into the new snapshot (its old rows
        minus the `dropped` ids, plus the winners) and link the others; returns the rows added
        per table."""
        # Winners by the partition their rows were staged in: each merge filters its staged rows
        # against its own few winners, not all of them (with one list for every partition,
        # building that set again per staged file was 40% of a 100k-article load). Their keys are
        # spelled out per merge: a million of them at once held ~100 MB through the whole merge.
        winners_by_key = winner_keys_by_partition(outcomes)
        # With no old snapshot there is no old row to replace, and a full refresh replaces them
        # all (but those of files in a folder it could not list, or rejected for now). Ids and
        # keys stay Arrow arrays: every merge matches its rows against them, and a million ids
        # turned into Python strings and back cost ~0.5 s per merge, of which a
        # million-article archive has ~170.
        everything = old is None or (
            self.full_refresh and not self.plan.unlisted and not len(self.for_now)
        )
        replaced_ids = None if everything else dropped
        staged_parts = staged_parts_by_partition(results, self.staging)
        merges: list[tuple[str, PartitionKey]] = []
        for table in DATA_TABLES:
            old_table = None if old is None else old / table
            old_keys = set() if old_table is None else partition_keys_on_disk(old_table)
            for key in sorted(touched | old_keys):
                if key in touched or self.full_refresh:
                    merges.append((table, key))
                elif old_table is not None:
                    relative = partition_dir(Path(), key) / PARTITION_FILE
                    link_or_copy(old_table / relative, new / table / relative)

        def merge(table: str, key: PartitionKey) -> int:
            return merge_partition(
                None if old is None else old / table,
                new / table,
                staged_parts.get(table, {}).get(key, []),
                key,
                TABLE_SCHEMAS[table],
                winners=winners_by_key.get(key, []),
                replaced_ids=replaced_ids,
                sort_keys=TABLE_SORT_KEYS[table],
                staged_files=staged_files,
                row_group_size=row_group_size(table),
            )

        # Partitions are independent files and Arrow's sort, Parquet encoding and compression
        # release the GIL: one thread per core, where one thread left a core idle for a third
        # of a million-article load.
        added = dict.fromkeys(DATA_TABLES, 0)
        with (
            StagedFiles() as staged_files,
            ThreadPoolExecutor(max(1, min(self.workers, len(merges)))) as pool,
        ):
            tables, keys = [table for table, _ in merges], [key for _, key in merges]
            for table, rows in zip(tables, pool.map(merge, tables, keys), strict=True):
                added[table] += rows
        return added

    def _write_state(self, state_dir: Path, outcomes: Outcomes, summary: LoadSummary) -> None:
        """Rejects, ledger and manifest of the new snapshot."""
        release_free_memory()  # what the merges and derived tables kept
        now = self.started_at
        # Files gone from raw/ stay in the manifest as deleted, and leave rejected_files.
        gone = set(self.plan.gone.to_pylist())
        rejects = {path: reject for path, reject in self.rejects.items() if path not in gone}
        rejects = updated_rejects(rejects, outcomes, self.load_id, now)
        summary.rejects = [r for r in rejects.values() if r.load_id == self.load_id]
        write_rejects(state_dir, rejects)
        write_loads(state_dir, [*read_loads(self.paths.state_dir), self._ledger_record(summary)])
        # A file loaded before and rejected for now keeps its loaded entry (its article stays);
        # rejected_files says why it could not be read, and the next run reads it again.
        table = outcomes.table
        kept = pc.and_(
            pc.is_in(table.column("source_file"), self.for_now),
            pc.is_in(table.column("source_file"), self._loaded_paths()),
        )
        outcomes = Outcomes(table.filter(pc.invert(kept)))
        manifest = updated_manifest(self.manifest, outcomes, self.load_id, now)
        write_manifest(state_dir, marked_deleted(manifest, self.plan.gone, self.load_id))

    def _loaded_paths(self) -> pa.Array:
        """The manifest's loaded files among those rejected for now."""
        known = self.manifest.columns(["source_file", "status"])
        mine = pc.and_(
            pc.is_in(known.column("source_file"), self.for_now),
            pc.equal(known.column("status"), FileStatus.LOADED),
        )
        return known.column("source_file").filter(mine).combine_chunks()

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
            files_deleted=summary.files_deleted,
            articles_removed=summary.articles_removed,
            articles_added=summary.articles_added,
            articles_updated=summary.articles_updated,
        )


def transient_rejects(outcomes: Outcomes) -> pa.Array:
    """The files rejected for a reason every run retries (RETRIED_REASONS): unreadable for
    now, not bad."""
    table = outcomes.table
    rejected = pc.and_(
        pc.equal(table.column("status"), FileStatus.REJECTED),
        pc.is_in(table.column("reason"), pa.array(sorted(RETRIED_REASONS), pa.string())),
    )
    return table.column("source_file").filter(pc.fill_null(rejected, False)).combine_chunks()


def release_free_memory() -> None:
    """Hand back to the OS the freed memory Arrow's allocator (mimalloc) keeps for reuse, and
    what the C allocator keeps in its per-thread arenas.

    After a columnar step over a million files Arrow keeps hundreds of MB that only Arrow can
    reuse; DuckDB and Python, which allocate elsewhere, would otherwise stack on top of it.
    A flow runs its steps in Prefect's worker threads, each with its own glibc arena, whose
    freed pages glibc returns only when asked (malloc_trim; other C libraries: nothing to do).
    """
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (the one with malloc_trim), else None."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 (absent outside glibc)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _glibc()


def table_row_counts(paths: Paths) -> dict[str, int]:
    """Rows per data table, from the Parquet footers of the committed snapshot."""
    return {
        table: sum(
            pq.ParquetFile(path).metadata.num_rows
            for path in sorted(paths.table_dir(table).glob(f"year=*/month=*/{PARTITION_FILE}"))
        )
        for table in DATA_TABLES
    }
