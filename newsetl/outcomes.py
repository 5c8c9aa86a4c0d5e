"""Apply one load's per-file outcomes to the manifest and the rejects, and count them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from newsetl.discover import RawFile
from newsetl.manifest import FileStatus, Manifest, ManifestEntry, as_manifest
from newsetl.process import FileOutcome
from newsetl.state import Reject

STATES = (FileStatus.LOADED, FileStatus.UNCHANGED, FileStatus.DUPLICATE, FileStatus.REJECTED)


def settle_duplicates(outcomes: list[FileOutcome]) -> list[FileOutcome]:
    """Of several loaded files with one article id, the newest (mtime, then path) wins.

    The others become duplicates, with the winner named in their detail.
    """
    best: dict[str, FileOutcome] = {}
    for outcome in outcomes:
        if outcome.status != FileStatus.LOADED or outcome.article_id is None:
            continue
        current = best.get(outcome.article_id)
        if current is None or _rank(outcome.raw) > _rank(current.raw):
            best[outcome.article_id] = outcome
    settled = []
    for outcome in outcomes:
        winner = best.get(outcome.article_id or "")
        if outcome.status == FileStatus.LOADED and winner is not None and winner is not outcome:
            outcome = dataclasses.replace(
                outcome,
                status=FileStatus.DUPLICATE,
                detail=f"superseded by {winner.raw.source_file}",
            )
        settled.append(outcome)
    return settled


def flag_identical_content(outcomes: list[FileOutcome]) -> list[FileOutcome]:
    """Loaded files with byte-identical content under different ids: each names the other.

    Both stay loaded (their ids differ, so both are articles), but an analyst should know.
    """
    by_sha: dict[str, list[FileOutcome]] = {}
    for outcome in outcomes:
        if outcome.status == FileStatus.LOADED and outcome.sha256:
            by_sha.setdefault(outcome.sha256, []).append(outcome)
    flagged = {}
    for group in by_sha.values():
        if len({o.article_id for o in group}) > 1:
            for outcome in group:
                others = ", ".join(o.raw.source_file for o in group if o is not outcome)
                flagged[id(outcome)] = f"same content as {others}"
    return [
        dataclasses.replace(o, detail=flagged[id(o)]) if id(o) in flagged else o for o in outcomes
    ]


def _rank(raw: RawFile) -> tuple[int, str]:
    return (raw.mtime_ns, raw.source_file)


def updated_manifest(
    manifest: Mapping[str, ManifestEntry],
    outcomes: Iterable[FileOutcome],
    load_id: str,
    now: dt.datetime,
) -> Manifest:
    """The manifest after a load: one entry per file read, older versions marked duplicate.

    A file read and found unchanged keeps its standing (loaded, duplicate or rejected). Only
    the entries the load touches are built and replaced: a nightly run on a million-file
    manifest neither loops over nor copies the rest.
    """
    outcomes = list(outcomes)
    before = as_manifest(manifest)
    changes: dict[str, ManifestEntry] = {}
    winners = {o.article_id: o.raw.source_file for o in outcomes if o.status == FileStatus.LOADED}
    for entry in before.loaded_with_article_ids({a for a in winners if a is not None}):
        winner = winners[entry.article_id or ""]
        if winner != entry.source_file:
            changes[entry.source_file] = dataclasses.replace(
                entry, status=FileStatus.DUPLICATE, detail=f"superseded by {winner}"
            )
    for outcome in outcomes:
        raw, previous = outcome.raw, before.get(outcome.raw.source_file)
        unchanged = outcome.status == FileStatus.UNCHANGED and previous is not None
        status = previous.status if unchanged and previous else outcome.status
        changes[raw.source_file] = ManifestEntry(
            source_file=raw.source_file,
            size=raw.size,
            mtime_ns=raw.mtime_ns,
            sha256=outcome.sha256,
            status=status,
            detail=previous.detail if unchanged and previous else outcome.detail,
            article_id=previous.article_id if unchanged and previous else outcome.article_id,
            published_date=(
                previous.published_date if unchanged and previous else outcome.published_date
            ),
            load_id=load_id,
            first_seen=previous.first_seen if previous else now,
            last_loaded=now
            if outcome.status == FileStatus.LOADED
            else (previous.last_loaded if previous else None),
        )
    return before.updated(changes)


def updated_rejects(
    rejects: Mapping[str, Reject], outcomes: Iterable[FileOutcome], load_id: str, now: dt.datetime
) -> dict[str, Reject]:
    """The rejects after a load: new ones added, files that now load dropped."""
    result = dict(rejects)
    for outcome in outcomes:
        path = outcome.raw.source_file
        if outcome.status == FileStatus.REJECTED:
            earlier = result.get(path)
            result[path] = Reject(
                source_file=path,
                sha256=outcome.sha256,
                reason=outcome.reason or "rejected",
                detail=outcome.detail or "",
                load_id=load_id,
                first_seen=earlier.first_seen if earlier else now,
            )
        elif outcome.status in (FileStatus.LOADED, FileStatus.DUPLICATE):
            result.pop(path, None)
    return result


def count_states(outcomes: Iterable[FileOutcome], skipped_unchanged: int) -> dict[str, int]:
    """Files per state; `skipped_unchanged` counts the files not even read."""
    counts = Counter({state: 0 for state in STATES})
    counts.update(outcome.status for outcome in outcomes)
    counts[FileStatus.UNCHANGED] += skipped_unchanged
    return dict(counts)
