"""Process one batch of raw files: read, parse, clean, and stage the rows by partition."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsetl.clean import clean_body
from newsetl.discover import FileStatus, RawFile
from newsetl.parse import ParseError, RejectReason, parse_article
from newsetl.rows import article_row, photo_rows, to_tables
from newsetl.settings import ARTICLES_TABLE, MAX_FILE_BYTES, PHOTOS_TABLE
from newsetl.write import PartitionKey, stage_by_partition

INTERNAL_ERROR = "internal_error"


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What a load did with one file it read."""

    raw: RawFile
    status: str
    sha256: str | None = None
    article_id: str | None = None
    published_date: dt.date | None = None
    reason: str | None = None
    detail: str | None = None


@dataclass(slots=True)
class BatchResult:
    """Outcomes of one batch and the partitions it staged rows for."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    staged_keys: set[PartitionKey] = field(default_factory=set)
    photos_staged: int = 0


def read_raw(raw_dir: Path, raw: RawFile, max_bytes: int) -> tuple[bytes, RawFile]:
    """The file's bytes and its size/mtime as read; raises ParseError with a reject reason.

    A file over the size limit is refused unread. A file that changes while it is read (its
    size or mtime differ before and after) is refused too: a torn read must not be loaded, and
    the file, having changed, is read again by the next run.
    """
    if raw.size > max_bytes:
        raise ParseError(RejectReason.TOO_LARGE, f"{raw.size} bytes > limit of {max_bytes}")
    try:
        with open(raw_dir / raw.source_file, "rb") as handle:
            before = os.fstat(handle.fileno())
            content = handle.read(max_bytes + 1)
            after = os.fstat(handle.fileno())
    except OSError as exc:
        raise ParseError(RejectReason.UNREADABLE, f"{type(exc).__name__}: {exc.strerror}") from None
    if len(content) > max_bytes:
        raise ParseError(RejectReason.TOO_LARGE, f"grew past the limit of {max_bytes} bytes")
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(
        content
    ) != after.st_size:
        raise ParseError(RejectReason.CHANGED_WHILE_READ, "size or mtime changed during the read")
    return content, RawFile(raw.source_file, after.st_size, after.st_mtime_ns)


def process_batch(
    batch: list[RawFile],
    *,
    raw_dir: Path,
    staging_dir: Path,
    batch_name: str,
    load_id: str,
    ingested_at: dt.datetime,
    known_sha: Mapping[str, str | None],
    forced: set[str],
    max_file_bytes: int = MAX_FILE_BYTES,
) -> BatchResult:
    """Read, parse and clean every file of the batch; stage its rows under staging_dir."""
    result = BatchResult()
    articles: list[dict[str, Any]] = []
    photos: list[dict[str, Any]] = []
    for raw in batch:
        sha256: str | None = None
        try:
            content, raw = read_raw(raw_dir, raw, max_file_bytes)
            sha256 = hashlib.sha256(content).hexdigest()
            if raw.source_file not in forced and known_sha.get(raw.source_file) == sha256:
                result.outcomes.append(FileOutcome(raw, FileStatus.UNCHANGED, sha256))
                continue
            parsed = parse_article(raw.source_file, content)
            cleaned = clean_body(parsed.raw_body, parsed.title)
            articles.append(article_row(parsed, cleaned, load_id, ingested_at))
            photos.extend(photo_rows(parsed, cleaned, load_id))
        except ParseError as exc:
            result.outcomes.append(
                FileOutcome(raw, FileStatus.REJECTED, sha256, reason=exc.reason, detail=exc.detail)
            )
            continue
        except Exception as exc:  # a bug must cost one file, not the night
            detail = f"{type(exc).__name__}: {exc}"[:500]
            result.outcomes.append(
                FileOutcome(raw, FileStatus.REJECTED, sha256, reason=INTERNAL_ERROR, detail=detail)
            )
            continue
        result.outcomes.append(
            FileOutcome(raw, FileStatus.LOADED, sha256, parsed.article_id, parsed.published_date)
        )
    articles_table, photos_table = to_tables(articles, photos)
    result.staged_keys |= stage_by_partition(
        articles_table, staging_dir / ARTICLES_TABLE, batch_name
    )
    result.staged_keys |= stage_by_partition(photos_table, staging_dir / PHOTOS_TABLE, batch_name)
    result.photos_staged = photos_table.num_rows
    return result
