"""The flows operators run: the nightly job and a backfill, each an ingest then a build."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from flows.build import build_flow
from flows.ingest import ingest_flow
from newsetl.build import BuildSummary
from newsetl.ingest import LoadSummary


@flow(name="nightly")
def nightly_flow(
    raw_dir: str | None = None, warehouse_dir: str | None = None, full_refresh: bool = False
) -> tuple[LoadSummary, BuildSummary]:
    """Ingest new and changed raw files, then rebuild the warehouse database."""
    load = ingest_flow(raw_dir, warehouse_dir, full_refresh=full_refresh)
    return load, build_flow(warehouse_dir)


@flow(name="backfill")
def backfill_flow(
    since: dt.date,
    until: dt.date,
    raw_dir: str | None = None,
    warehouse_dir: str | None = None,
) -> tuple[LoadSummary, BuildSummary]:
    """Reprocess the raw files whose articles fall between since and until, then rebuild."""
    if until < since:
        raise ValueError(f"--until {until} is before --since {since}")
    load = ingest_flow(raw_dir, warehouse_dir, since=since, until=until)
    return load, build_flow(warehouse_dir)
