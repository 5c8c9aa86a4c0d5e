"""Typed parameters of the deployed flows: the Prefect UI renders each model as a form.

The JSON schema (types, dates, required fields) is checked by the Prefect server when a run is
created, so a malformed value is refused before any run exists; the checks below (folders that
must exist, a range that must not be reversed) run when the flow starts, before any task.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from newsetl.settings import RAW_DIR_ENV, WAREHOUSE_DIR_ENV


def _existing_dir(value: str | None) -> str | None:
    if value is not None and not Path(value).expanduser().is_dir():
        raise ValueError(f"raw dir {value} does not exist or is not a folder")
    return value


def _writable_place(value: str | None) -> str | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise ValueError(f"warehouse dir {value} exists and is not a folder")
    if not path.exists() and not path.parent.is_dir():
        raise ValueError(f"warehouse dir {value}: its parent folder {path.parent} does not exist")
    return value


RawDir = Annotated[
    str | None,
    Field(
        description="Folder of raw article .txt files, searched recursively. Empty: "
        f"${RAW_DIR_ENV} of the serving process, else ./raw.",
        examples=["/data/news/raw"],
    ),
    AfterValidator(_existing_dir),
]
WarehouseDir = Annotated[
    str | None,
    Field(
        description="Folder of the Parquet tables and news.duckdb (created if missing). Empty: "
        f"${WAREHOUSE_DIR_ENV} of the serving process, else ./warehouse.",
        examples=["/data/news/warehouse"],
    ),
    AfterValidator(_writable_place),
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

    @model_validator(mode="after")
    def _range_in_order(self) -> Self:
        if self.until < self.since:
            raise ValueError(f"until {self.until} is before since {self.since}")
        return self
