"""Typed parameters of the flows: one model per flow, and the flat form fields they come from.

The deployed flows take flat fields (the Prefect UI draws each as a plain box or a date picker),
then build their model first thing. The JSON schema (types, dates, required fields) is checked by
the Prefect server when a run is created, so a malformed value is refused before any run exists;
the model's checks (folders that must exist, a range that must not be reversed) need the worker's
file systems, so they run when the flow starts, and a failed one refuses the run before any step.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.config import JsonDict

from newsetl.settings import (
    BATCH_SIZE,
    DASK_ADDRESS_ENV,
    RAW_DIR_ENV,
    TASK_RUNNER_ENV,
    WAREHOUSE_DIR_ENV,
    WAREHOUSE_WORK_DIR_ENV,
    Settings,
)
from newsetl.store.paths import unwritable
from newsetl.store.raw import RawLocationError, filesystem, is_url, local_path, location_is_dir


def _existing_dir(value: str | None) -> str | None:
    """A raw folder, or an fsspec URL checked on its own filesystem (fs.isdir); empty: None."""
    if not value:
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
    """A local warehouse folder that can be written (or created: a real probe, in its nearest
    existing ancestor), or an fsspec URL whose package is here; empty: None."""
    if not value:
        return None
    if is_url(value):
        filesystem(value)  # RawLocationError (a ValueError) says which extra to install
        return value
    problem = unwritable(Path(local_path(value) or value))
    if problem is not None:
        raise ValueError(f"warehouse dir {problem}")
    return value


_RAW_HELP = (
    "Folder of raw article .txt files, searched recursively, or an fsspec URL "
    "(s3://bucket/raw with the s3 extra, gs://bucket/raw with the gcs extra). Empty: "
    f"${RAW_DIR_ENV} of the worker, else ./raw."
)
_WAREHOUSE_HELP = (
    "Folder of the Parquet tables and news.duckdb (created if missing), or an fsspec URL "
    "(s3://bucket/warehouse) to publish them to from a local working copy "
    f"(${WAREHOUSE_WORK_DIR_ENV}). Empty: ${WAREHOUSE_DIR_ENV} of the worker, else ./warehouse."
)
_RUNNER_HELP = (
    "Where the parse/clean batches run: local (a process pool on the worker machine) or dask "
    f"(a Dask cluster). Empty: ${TASK_RUNNER_ENV} of the worker, else local."
)
_DASK_HELP = (
    f"Scheduler of the Dask cluster (task runner dask). Empty: ${DASK_ADDRESS_ENV}, else a local "
    "cluster started for the run."
)
_ONLY_IF_CHANGED_HELP = (
    "Skip the build when news.duckdb was already built from the current data and the current "
    "models (the nightly run sets this)."
)
_FULL_REFRESH_HELP = "Re-read every raw file and rewrite every partition, ignoring the manifest."
_ALLOW_SHRINK_HELP = (
    "Accept a listing of the raw dir that lost more than half of the files the warehouse knows "
    "there (removed on purpose: their articles leave the warehouse). Off: such a run is refused, "
    "as an unmounted share, an empty or a mistyped folder looks the same."
)
# Checked by the server when a run is created (JSON schema has no date check of its own).
ISO_DAY: JsonDict = {"pattern": r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"}

# The form's fields: plain text boxes (an empty text means the default), no "str | None" toggle.
# The folders are checked by the models below, on the worker, when the run starts.
RawDirField = Annotated[str, Field(description=_RAW_HELP, examples=["/data/news/raw"])]
WarehouseDirField = Annotated[
    str, Field(description=_WAREHOUSE_HELP, examples=["/data/news/warehouse"])
]
TaskRunnerField = Annotated[Literal["", "local", "dask"], Field(description=_RUNNER_HELP)]
DaskAddressField = Annotated[
    str, Field(description=_DASK_HELP, examples=["tcp://dask-scheduler:8786"])
]
FullRefreshField = Annotated[bool, Field(description=_FULL_REFRESH_HELP)]
AllowShrinkField = Annotated[bool, Field(description=_ALLOW_SHRINK_HELP)]
SinceField = Annotated[
    dt.date,
    Field(description="First publication day to re-read (inclusive).", json_schema_extra=ISO_DAY),
]
UntilField = Annotated[
    dt.date,
    Field(description="Last publication day to re-read (inclusive).", json_schema_extra=ISO_DAY),
]
OnlyIfChangedField = Annotated[bool, Field(description=_ONLY_IF_CHANGED_HELP)]

# Each form field's help text. Prefect takes a parameter's description from the flow's docstring
# only, not from its annotation: flows.deployments puts these into the deployments' forms.
FORM_HELP = {
    "raw_dir": _RAW_HELP,
    "warehouse_dir": _WAREHOUSE_HELP,
    "full_refresh": _FULL_REFRESH_HELP,
    "allow_shrink": _ALLOW_SHRINK_HELP,
    "task_runner": _RUNNER_HELP,
    "dask_address": _DASK_HELP,
    "since": "First publication day to re-read (inclusive).",
    "until": "Last publication day to re-read (inclusive).",
    "only_if_changed": _ONLY_IF_CHANGED_HELP,
}

# The models' fields: the same, with the checks that need the worker's file systems.
RawDir = Annotated[str | None, Field(description=_RAW_HELP), AfterValidator(_existing_dir)]
WarehouseDir = Annotated[
    str | None, Field(description=_WAREHOUSE_HELP), AfterValidator(_writable_place)
]
TaskRunnerName = Annotated[
    Literal["local", "dask"] | None,
    Field(description=_RUNNER_HELP),
    BeforeValidator(lambda value: value or None),
]
DaskAddress = Annotated[
    str | None, Field(description=_DASK_HELP), BeforeValidator(lambda value: value or None)
]


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BuildParams(_Params):
    """Where the warehouse is: news.duckdb is rebuilt over its Parquet tables."""

    warehouse_dir: WarehouseDir = None
    only_if_changed: bool = Field(default=False, description=_ONLY_IF_CHANGED_HELP)


class _Loading(_Params):
    raw_dir: RawDir = None
    warehouse_dir: WarehouseDir = None
    allow_shrink: bool = Field(default=False, description=_ALLOW_SHRINK_HELP)
    task_runner: TaskRunnerName = None
    dask_address: DaskAddress = None

    def runner(self, settings: Settings) -> str:
        """The task runner asked for, else $NEWSETL_TASK_RUNNER (`settings`), else local."""
        return self.task_runner or settings.task_runner

    def address(self, settings: Settings) -> str | None:
        """The Dask scheduler asked for, else $NEWSETL_DASK_ADDRESS (`settings`), else None
        (a local cluster)."""
        return self.dask_address or settings.dask_address


class NightlyParams(_Loading):
    """Ingest new and changed raw files (or all of them), then rebuild news.duckdb."""

    full_refresh: bool = Field(default=False, description=_FULL_REFRESH_HELP)


class BackfillParams(_Loading):
    """Re-read the raw files whose articles were published in a date range, then rebuild."""

    since: dt.date = Field(
        description="First publication day to re-read (inclusive).", json_schema_extra=ISO_DAY
    )
    until: dt.date = Field(
        description="Last publication day to re-read (inclusive).", json_schema_extra=ISO_DAY
    )

    @model_validator(mode="after")
    def _range_in_order(self) -> Self:
        if self.until < self.since:
            raise ValueError(
                f"until {self.until} is before since {self.since}: the range holds no day; "
                "give the first day as since and the last as until"
            )
        return self


class IngestParams(_Loading):
    """One ingest: new and changed files, a date range (backfill), or everything (full refresh)."""

    full_refresh: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    batch_size: int = Field(default=BATCH_SIZE, gt=0)

    @property
    def kind(self) -> str:
        """full-refresh, backfill or incremental: the ledger's `kind` of the load."""
        if self.full_refresh:
            return "full-refresh"
        return "backfill" if self.since or self.until else "incremental"

    @classmethod
    def of(cls, params: NightlyParams | BackfillParams) -> IngestParams:
        """The ingest a nightly or backfill run starts, with the same locations and runner."""
        common = params.model_dump(
            include={"raw_dir", "warehouse_dir", "allow_shrink", "task_runner", "dask_address"}
        )
        if isinstance(params, BackfillParams):
            return cls(**common, since=params.since, until=params.until)
        return cls(**common, full_refresh=params.full_refresh)


M = TypeVar("M", bound=_Params)


def checked(model: type[M], **fields: Any) -> M:
    """The flow's model from its form fields; a value the worker cannot use refuses the run
    (flows.failures.RunRefused, one line: which field, and why)."""
    from flows.failures import refusal

    try:
        return model(**fields)
    except ValidationError as error:
        raise refusal(error) from None
