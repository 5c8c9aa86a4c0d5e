"""Process one batch of raw files: read, parse, clean, and stage the rows by partition."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import stat
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from newsetl.load.deadline import RawReader, ReadResult, TimedReads
from newsetl.load.discover import RawFile
from newsetl.load.outcome_table import FileOutcome, Outcomes
from newsetl.load.rows import article_row, photo_rows, to_tables
from newsetl.load.walk import describe_mode
from newsetl.settings import (
    ARTICLES_TABLE,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_READ_TIMEOUT_SECONDS,
    DEFAULT_WORKERS,
    PARENT_POLL_SECONDS,
    PHOTOS_TABLE,
    READ_AHEAD_BYTES,
    latest_published_date,
)
from newsetl.store.manifest import FileStatus
from newsetl.store.raw import filesystem, local_path, read_object
from newsetl.store.write import PartitionKey, stage_by_partition, staged_file, staging_table_dir
from newsetl.text.clean import clean_body
from newsetl.text.parse import ParsedArticle, ParseError, RejectReason, parse_article

INTERNAL_ERROR = "internal_error"


@dataclass(slots=True)
class BatchResult:
    """Outcomes of one batch (Arrow columns: what travels back from a worker is a few buffers,
    not an object per file) and where it staged rows: by table, each partition's record batch
    in the batch's staging file (newsetl.store.write.stage_by_partition)."""

    outcomes: Outcomes = field(default_factory=Outcomes)
    batch_name: str = ""
    staged: dict[str, dict[PartitionKey, int]] = field(default_factory=dict)

    @property
    def staged_keys(self) -> set[PartitionKey]:
        """Every partition the batch staged rows for, in any table."""
        return set().union(*self.staged.values())


def staged_parts_by_partition(
    results: Iterable[BatchResult], staging_dir: str | Path
) -> dict[str, dict[PartitionKey, list[tuple[str, int]]]]:
    """By table and partition, where the batches staged rows: (staging file, record batch),
    what merge_partition reads. `staging_dir` is the one the batches were given."""
    parts: dict[str, dict[PartitionKey, list[tuple[str, int]]]] = {}
    for result in results:
        for table, numbers in result.staged.items():
            path = staged_file(staging_table_dir(staging_dir, table), result.batch_name)
            by_key = parts.setdefault(table, {})
            for key, number in numbers.items():
                by_key.setdefault(key, []).append((path, number))
    return parts


def read_raw(raw_dir: str | Path, raw: RawFile, max_bytes: int) -> tuple[bytes, RawFile]:
    """The file's bytes and its size/mtime as read; raises ParseError with a reject reason.

    raw_dir is a local folder (a path or file:// URL) or an fsspec URL, read through fsspec
    (newsetl.store.raw.read_object) by the same rules. A file over the size limit is refused
    unread. A file that changes while it is read (its size or mtime differ before and after)
    is refused too: a torn read must not be loaded, and the file, having changed, is read
    again by the next run.
    """
    return raw_reader(raw_dir, max_bytes)(raw)


def raw_reader(raw_dir: str | Path, max_bytes: int) -> RawReader:
    """read_raw for one location, resolved once: a batch opens its filesystem once, not per file.

    Opening a URL's filesystem here means a worker without the protocol's package (or given a
    bad URL) fails its batch, and so the run, instead of rejecting every file it was given.
    """
    local = local_path(raw_dir)
    if local is None:
        fs, root = filesystem(str(raw_dir))

        def read_remote(raw: RawFile) -> tuple[bytes, RawFile]:
            _check_listed_size(raw, max_bytes)
            content, size, mtime_ns = read_object(fs, root, raw.source_file, max_bytes)
            return content, RawFile(raw.source_file, size, mtime_ns)

        return read_remote
    return lambda raw: _read_local(local, raw, max_bytes)


def _check_listed_size(raw: RawFile, max_bytes: int) -> None:
    if raw.size > max_bytes:
        raise ParseError(RejectReason.TOO_LARGE, f"{raw.size} bytes > limit of {max_bytes}")


def _read_local(local: str, raw: RawFile, max_bytes: int) -> tuple[bytes, RawFile]:
    _check_listed_size(raw, max_bytes)
    try:
        # Never blocks in open: a FIFO put in place after the listing would wait for a writer.
        descriptor = os.open(os.path.join(local, raw.source_file), os.O_RDONLY | os.O_NONBLOCK)
        try:
            before = os.fstat(descriptor)
            if not stat.S_ISREG(before.st_mode):
                raise ParseError(
                    RejectReason.NOT_REGULAR_FILE,
                    f"{describe_mode(before.st_mode)}, not a regular file: not read",
                )
            # One byte past the size seen, to tell a file that grew (or past the limit).
            content = _read_up_to(descriptor, min(before.st_size, max_bytes) + 1)
            after = os.fstat(descriptor)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise ParseError(RejectReason.UNREADABLE, f"{type(exc).__name__}: {exc.strerror}") from None
    if len(content) > max_bytes:
        raise ParseError(RejectReason.TOO_LARGE, f"grew past the limit of {max_bytes} bytes")
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(
        content
    ) != after.st_size:
        raise ParseError(RejectReason.CHANGED_WHILE_READ, "size or mtime changed during the read")
    return content, RawFile(raw.source_file, after.st_size, after.st_mtime_ns)


def _read_up_to(descriptor: int, limit: int) -> bytes:
    """The file's bytes up to its end or `limit` bytes, whichever comes first.

    os.read asked for the size the file has, not a buffered file's read(max_bytes + 1): that
    one allocates the whole limit (16 MiB) for every file before shrinking it, and took 23.4 µs
    of CPU a file (warm page cache) against 6.9 µs. It loops, as a read may return less.
    """
    chunks: list[bytes] = []
    got = 0
    while got < limit:
        chunk = os.read(descriptor, limit - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_ahead(
    files: Iterable[RawFile],
    read: RawReader,
    limit_bytes: int = READ_AHEAD_BYTES,
    timeout: float = DEFAULT_READ_TIMEOUT_SECONDS,
) -> Iterator[list[ReadResult]]:
    """The files read in groups of about `limit_bytes` (at least one file a group): each
    file's bytes and its size/mtime as read, or the ParseError its read raised. A read gets
    `timeout` seconds (newsetl.load.deadline.TimedReads: past it, the file is rejected as
    read_timeout, and a second hung read stops the batch with RawLocationHung).

    Why: reading a group's files first, then parsing and cleaning them, took a batch ~10% less
    CPU than reading each file just before parsing it (one process, batches of 2,000 files of
    the bench corpus: 297-311 against 321-342 us a file): the system calls of a read, in
    between, evict the parser's and the cleaner's code and data from the CPU's caches. The
    limit keeps memory bounded whatever the files' sizes.
    """
    reads, pending = TimedReads(read, timeout), iter(files)
    while group := reads.group(pending, limit_bytes):
        yield group


def process_batch(
    batch: Sequence[RawFile],
    *,
    raw_dir: str | Path,
    staging_dir: str | Path,
    batch_name: str,
    load_id: str,
    ingested_at: dt.datetime,
    known_sha: Mapping[str, str | None],
    forced: set[str],
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    read_timeout: float = DEFAULT_READ_TIMEOUT_SECONDS,
) -> BatchResult:
    """Read, parse and clean every file of the batch; stage its rows under staging_dir.

    raw_dir is a local folder or an fsspec URL (see read_raw); staging_dir a local folder or a
    URL on the warehouse's store. Files are read a group at a time (read_ahead), then parsed,
    cleaned and turned into rows; outcomes keep the batch's order.
    """
    outcomes: list[FileOutcome] = []
    articles: list[dict[str, Any]] = []
    photos: list[dict[str, Any]] = []
    latest = latest_published_date(ingested_at)
    reader = raw_reader(raw_dir, max_file_bytes)
    for group in read_ahead(batch, reader, timeout=read_timeout):
        # Stage by stage here too: the group's files all parsed, then cleaned (another ~9%
        # less CPU: 264-281 us a file).
        parsed = [_parse(raw, content, known_sha, forced, latest) for raw, content in group]
        for (raw, _), result in zip(group, parsed, strict=True):
            if isinstance(result, ParsedArticle):
                result = _clean(result, raw, load_id, ingested_at, articles, photos)
            outcomes.append(result)
    articles_table, photos_table = to_tables(articles, photos)
    staged = {
        table: stage_by_partition(rows, staging_table_dir(staging_dir, table), batch_name)
        for table, rows in ((ARTICLES_TABLE, articles_table), (PHOTOS_TABLE, photos_table))
    }
    return BatchResult(Outcomes.of(outcomes), batch_name, staged)


def _parse(
    raw: RawFile,
    content: bytes | ParseError,
    known_sha: Mapping[str, str | None],
    forced: set[str],
    latest: dt.date,
) -> FileOutcome | ParsedArticle:
    """The file parsed (dates after `latest` are implausible), or its outcome when it is
    unchanged or rejected."""
    sha256: str | None = None
    try:
        if isinstance(content, ParseError):
            raise content
        sha256 = hashlib.sha256(content).hexdigest()
        if raw.source_file not in forced and known_sha.get(raw.source_file) == sha256:
            return FileOutcome(raw, FileStatus.UNCHANGED, sha256)
        return parse_article(raw.source_file, content, sha256, latest)
    except ParseError as exc:
        return FileOutcome(raw, FileStatus.REJECTED, sha256, reason=exc.reason, detail=exc.detail)
    except Exception as exc:  # a bug must cost one file, not the night
        return _internal_error(raw, sha256, exc)


def _clean(
    parsed: ParsedArticle,
    raw: RawFile,
    load_id: str,
    ingested_at: dt.datetime,
    articles: list[dict[str, Any]],
    photos: list[dict[str, Any]],
) -> FileOutcome:
    """A parsed file's outcome once cleaned; its rows go to `articles` and `photos`."""
    try:
        cleaned = clean_body(parsed.raw_body, parsed.title)
        article = article_row(parsed, cleaned, load_id, ingested_at)
        article_photos = photo_rows(parsed, cleaned, load_id)
    except Exception as exc:  # a bug must cost one file, not the night
        return _internal_error(raw, parsed.content_sha256, exc)
    articles.append(article)
    photos.extend(article_photos)
    return FileOutcome(
        raw, FileStatus.LOADED, parsed.content_sha256, parsed.article_id, parsed.published_date
    )


def _internal_error(raw: RawFile, sha256: str | None, exc: Exception) -> FileOutcome:
    detail = f"{type(exc).__name__}: {exc}"[:500]
    return FileOutcome(raw, FileStatus.REJECTED, sha256, reason=INTERNAL_ERROR, detail=detail)


@dataclass(frozen=True, slots=True)
class BatchJob:
    """One batch and exactly what processing it needs: pickled to a worker process or a Dask
    worker, so it carries the manifest's hashes of its own files only, never the whole manifest.

    `raw_location` (a local folder or an fsspec URL) is a string: each worker opens the
    filesystem itself (fsspec caches the instance per process). So is `staging_dir`. A
    `memory://` location exists in one process only, so a load from it must process in-process
    (`Load(..., workers=1)`).
    """

    batch_name: str
    files: tuple[RawFile, ...]
    raw_location: str
    staging_dir: str
    load_id: str
    ingested_at: dt.datetime
    known_sha: Mapping[str, str | None]
    forced: frozenset[str]
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    read_timeout: float = DEFAULT_READ_TIMEOUT_SECONDS


def run_job(job: BatchJob) -> BatchResult:
    """Process one batch job (in this process: the pool or Dask decide where that is)."""
    return process_batch(
        list(job.files),
        raw_dir=job.raw_location,
        staging_dir=job.staging_dir,
        batch_name=job.batch_name,
        load_id=job.load_id,
        ingested_at=job.ingested_at,
        known_sha=job.known_sha,
        forced=set(job.forced),
        max_file_bytes=job.max_file_bytes,
        read_timeout=job.read_timeout,
    )


def _exit_when_orphaned(parent: int, every: float) -> None:
    """Poll the parent's pid; once this process was handed to another (its parent died, even
    by kill -9), end at once."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)  # no cleanup: the run these results were for is gone


def exit_with_parent(parent: int, every: float = PARENT_POLL_SECONDS) -> None:
    """A pool worker's initializer: the worker exits within `every` seconds of its parent's
    death. (PR_SET_PDEATHSIG would fire when the parent's *thread* that spawned the worker
    ends, and the pool spawns workers from whichever thread submits.)"""
    threading.Thread(
        target=_exit_when_orphaned, args=(parent, every), name="exit-with-parent", daemon=True
    ).start()


class BatchPool:
    """A process pool for batch jobs: parse and clean are pure Python and CPU-bound, so threads
    would share one core; batches are independent and write their own staging files.

    Workers are spawned (not forked: the parent may run Prefect's threads and event loop, which
    a fork would copy mid-flight), and leave nothing behind when the pool closes: a forkserver
    (which saved them 0.2 s of imports) stayed alive through the commit, holding ~70 MB.
    Workers exit when the parent dies (kill -9 included): orphans would keep the run's stdout
    open, and a killed run would stay Running, without an alert, until they ended. With them
    gone, multiprocessing's resource tracker (held open by them) ends too.
    """

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> BatchPool:
        if self.workers > 1:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def submit(self, job: BatchJob) -> Future[BatchResult]:
        """Run the job in a worker process (or here, with one worker)."""
        if self._executor is None:
            done: Future[BatchResult] = Future()
            done.set_result(run_job(job))
            return done
        return self._executor.submit(run_job, job)

    def run(self, jobs: Iterable[BatchJob]) -> Iterator[BatchResult]:
        """Results in job order, with at most two jobs per worker in flight: memory stays
        bounded by the window, not by the corpus."""
        window: deque[Future[BatchResult]] = deque()
        for job in jobs:
            window.append(self.submit(job))
            if len(window) >= 2 * self.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
