"""Typed parameters of the deployed flows: the Prefect UI renders each model as a form.

The JSON schema (types, dates, required fields) is checked by the Prefect server when a run is
created, so a malformed value is refused before any run exists; the checks below (folders that
must exist, a range that must not be reversed) run when the flow starts, before any task.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from newsetl.settings import (
    DASK_ADDRESS_ENV,
    RAW_DIR_ENV,
    TASK_RUNNER_ENV,
    WAREHOUSE_DIR_ENV,
    WAREHOUSE_WORK_DIR_ENV,
)
from newsetl.store.raw import RawLocationError, filesystem, is_url, local_path, location_is_dir


def _existing_dir(value: str | None) -> str | None:
    """A raw folder, or an fsspec URL checked on its own filesystem (fs.isdir)."""
    if value is None:
        return None
    try:
        exists = location_is_dir(value)
    except RawLocationError:
        raise  # a ValueError already, saying which extra to install
    except Exception as exc:  # credentials, network: the backend's own error, in one line
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ValueError(f"raw dir {value} cannot be checked: {reason}") from None
    if not exists:
        raise ValueError(f"raw dir {value} does not exist or is not a folder")
    return value


def _writable_place(value: str | None) -> str | None:
    """A local warehouse folder (or one to create), or an fsspec URL whose package is here."""
    if value is None:
        return None
    if is_url(value):
        filesystem(value)  # RawLocationError (a ValueError) says which extra to install
        return value
    path = Path(local_path(value) or value).expanduser()
    if path.exists() and not path.is_dir():
        raise ValueError(f"warehouse dir {value} exists and is not a folder")
    if not path.exists() and not path.parent.is_dir():
        raise ValueError(f"warehouse dir {value}: its parent folder {path.parent} does not exist")
    return value


RawDir = Annotated[
    str | None,
    Field(
        description="Folder of raw article .txt files, searched recursively, or an fsspec URL "
        "(s3://bucket/raw with the s3 extra, gs://bucket/raw with the gcs extra). Empty: "
        f"${RAW_DIR_ENV} of the serving process, else ./raw.",
        examples=["/data/news/raw", "s3://news-bucket/raw"],
    ),
    AfterValidator(_existing_dir),
]
WarehouseDir = Annotated[
    str | None,
    Field(
        description="Folder of the Parquet tables and news.duckdb (created if missing), or an "
        "fsspec URL (s3://bucket/warehouse) to publish them to from a local working copy "
        f"(${WAREHOUSE_WORK_DIR_ENV}). Empty: ${WAREHOUSE_DIR_ENV} of the serving process, "
        "else ./warehouse.",
        examples=["/data/news/warehouse", "s3://news-bucket/warehouse"],
    ),
    AfterValidator(_writable_place),
]
TaskRunnerName = Annotated[
    Literal["local", "dask"] | None,
    Field(
        description="Where the parse/clean batches run: local (a process pool on the worker "
        "machine) or dask (a Dask cluster). Empty: "
        f"${TASK_RUNNER_ENV} of the serving process, else local.",
    ),
]
AllowShrink = Annotated[
    bool,
    Field(
        description="Accept a listing of the raw dir that lost more than half of the files "
        "the warehouse knows there (removed on purpose: their articles leave the warehouse). "
        "Off: such a run is refused, as an unmounted share or a mistyped folder looks the same.",
    ),
]
DaskAddress = Annotated[
    str | None,
    Field(
        description="Scheduler of the Dask cluster (task runner dask). Empty: "
        f"${DASK_ADDRESS_ENV}, else a local cluster started for the run.",
        examples=["tcp://dask-scheduler:8786"],
    ),
]


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BuildParams(_Params):
    """Where the warehouse is: news.duckdb is rebuilt over its Parquet tables."""

    warehouse_dir: WarehouseDir = None
    only_if_changed: bool = Field(
        default=False,
        description="Skip the build when news.duckdb was already built from the current data "
        "and the current models (the nightly run sets this).",
    )


class NightlyParams(_Params):
    """Ingest new and changed raw files (or all of them), then rebuild news.duckdb."""

    raw_dir: RawDir = None
    warehouse_dir: WarehouseDir = None
    full_refresh: bool = Field(
        default=False,
        description="Re-read every raw file and rewrite every partition, ignoring the manifest.",
    )
    allow_shrink: AllowShrink = False
    task_runner: TaskRunnerName = None
    dask_address: DaskAddress = None


# Checked by the server when a run is created (JSON schema has no date check of its own).
ISO_DAY: JsonDict = {"pattern": r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"}


class BackfillParams(_Params):
    """Re-read the raw files whose articles were published in a date range, then rebuild."""

    since: dt.date = Field(
        description="First publication day to re-read (inclusive).", json_schema_extra=ISO_DAY
    )
    until: dt.date = Field(
        description="Last publication day to re-read (inclusive).", json_schema_extra=ISO_DAY
    )
    raw_dir: RawDir = None
    warehouse_dir: WarehouseDir = None
    allow_shrink: AllowShrink = False
    task_runner: TaskRunnerName = None
    dask_address: DaskAddress = None

    @model_validator(mode="after")
    def _range_in_order(self) -> Self:
        if self.until < self.since:
            raise ValueError(f"until {self.until} is before since {self.since}")
        return self
