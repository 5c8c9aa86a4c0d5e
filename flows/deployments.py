"""The deployments operators see in the Prefect UI: nightly, backfill, rebuild, full refresh."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.utilities.callables import ParameterSchema

from flows.build import build_flow
from flows.nightly import backfill_flow, nightly_flow
from flows.params import FORM_HELP
from newsetl.settings import NIGHTLY_CRON, Settings

TAGS = ["newsetl", "writes-warehouse"]


def one_at_a_time() -> ConcurrencyLimitConfig:
    """One run of the deployment at a time; a second one waits in the queue (not cancelled)."""
    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


class ClosedForm(ParameterSchema):
    """A form that refuses fields it does not have: the server answers 409 to a misspelt
    parameter when the run is created, instead of a run that fails at its start."""

    additionalProperties: bool = False


def _sync(deployment: RunnerDeployment | Coroutine[Any, Any, RunnerDeployment]) -> RunnerDeployment:
    """to_deployment() is dual sync/async in its type; called from sync code it is sync. The
    form's fields get their help texts (Prefect reads them from docstrings only)."""
    assert isinstance(deployment, RunnerDeployment)
    form = ClosedForm(
        **deployment._parameter_openapi_schema.model_dump(), additionalProperties=False
    )
    for name, field in form.properties.items():
        if name in FORM_HELP:
            field["description"] = FORM_HELP[name]
    deployment._parameter_openapi_schema = form
    return deployment


def deployments(settings: Settings) -> list[RunnerDeployment]:
    """Every deployment, each writing the warehouse, so each limited to one run at a time; the
    nightly one on the schedule's time zone in `settings`."""
    made = [
        nightly_flow.to_deployment(
            name="nightly",
            schedule=Cron(NIGHTLY_CRON, timezone=settings.schedule_timezone),
            concurrency_limit=one_at_a_time(),
            description="Every night: ingest new and changed raw files, then rebuild news.duckdb. "
            "The day it closes comes from its scheduled time, so a late or retried run agrees.",
            tags=TAGS,
        ),
        backfill_flow.to_deployment(
            name="backfill",
            concurrency_limit=one_at_a_time(),
            description="Re-read the raw files whose articles were published between since and "
            "until (inclusive), and any new or changed file, then rebuild news.duckdb.",
            tags=TAGS,
        ),
        build_flow.to_deployment(
            name="rebuild-warehouse",
            concurrency_limit=one_at_a_time(),
            description="Only rebuild news.duckdb (models and SQL tests) over the Parquet tables.",
            tags=TAGS,
        ),
        nightly_flow.to_deployment(
            name="full-refresh",
            parameters={"full_refresh": True},
            concurrency_limit=one_at_a_time(),
            description="Re-read every raw file and rewrite every partition, then rebuild.",
            tags=TAGS,
        ),
    ]
    return [_sync(deployment) for deployment in made]
