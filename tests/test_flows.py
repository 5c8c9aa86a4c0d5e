"""The Prefect flows on a temporary server: nightly, backfill, build, their artifacts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
from pydantic import ValidationError

from flows.params import BackfillParams, BuildParams, IngestParams, NightlyParams
from flows.runs import StepFailed, run_day, step
from tests.conftest import SEED, RawWriter

pytestmark = [pytest.mark.flow, pytest.mark.timeout(300)]
harness = pytest.mark.usefixtures("prefect_harness")


def _artifact(key: str) -> str:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        artifact = client.read_latest_artifacts(limit=200)
        found = [a for a in artifact if a.key == key]
    assert found, f"no artifact {key}"
    return str(found[0].data)


def _names(flow_run_id: object) -> tuple[str, list[str]]:
    """A flow run's name and its subflow runs' names, sorted."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)  # type: ignore[arg-type]
        children = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run.id])
            )
        )
    return run.name, sorted(child.name for child in children)


def _error_lines(flow_run_id: object) -> list[str]:
    """The ERROR lines of a flow run's log, its tasks' included, as the UI shows them."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    time.sleep(2.5)  # the API log handler sends its batch every 2 s
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    return [log.message for log in logs if log.level >= 40]


@harness
def test_nightly_flow_loads_then_builds(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    from flows.nightly import nightly_flow

    write_raw(SEED.name, SEED.read_bytes())
    write_raw("001_aaaaaaaaaaaaaaaa.txt", title="Undated", published="")
    write_raw("002_bbbbbbbbbbbbbbbb.txt", content=b"\x00\x01 junk")
    params = {"raw_dir": str(raw_dir), "warehouse_dir": str(warehouse_dir)}
    state = nightly_flow(**params, return_state=True)
    load, built = state.result()
    # A run from the command line, into another warehouse than the default: both in its name;
    # its subflows say what they are and whose they are.
    name, children = _names(state.state_details.flow_run_id)
    assert re.fullmatch(rf"nightly-for-\d{{4}}-\d\d-\d\d-cli-\d{{6}} @ {warehouse_dir}", name)
    assert children == [f"build for {name}", f"ingest for {name}"]
    assert (load.files_seen, load.files_loaded, load.files_rejected) == (3, 2, 1)
    assert load.kind == "incremental"
    assert built.database == warehouse_dir / "news.duckdb"
    with duckdb.connect(str(built.database), read_only=True) as con:
        assert con.sql("select count(*) from articles").fetchone() == (2,)
        assert con.sql("select load_id from loads").fetchall() == [(load.load_id,)]
    summary = _artifact("nightly-summary")
    assert "| 3 | 2 | 0 | 0 | 1 |" in summary
    assert "| articles | 2022-06 | 1 | 1 |" in summary
    assert "| articles | no date | 1 | 1 |" in summary
    assert "Warehouse" in summary
    report = (warehouse_dir / "report.html").resolve()
    assert f"Charts: [report.html]({report.as_uri()}) (`{report}`)." in summary
    assert f"| batches | read, parse, clean, stage | {load.steps['batches']:.1f} |" in summary
    assert "002_bbbbbbbbbbbbbbbb.txt" in _artifact("nightly-rejected-files")

    again, rebuilt = nightly_flow(**params)
    assert (again.files_seen, again.files_loaded, again.committed) == (3, 0, False)
    assert rebuilt.skipped  # nothing new: the database is not rebuilt either
    summary = _artifact("nightly-summary")
    assert "No partition written" in summary
    assert "Build skipped (nothing changed): `news.duckdb` was already built" in summary
    assert f"Raw files from `{raw_dir}`." in summary
    assert f"Warehouse `{warehouse_dir}`: " in summary


@harness
def test_backfill_flow_rereads_the_range(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    from flows.nightly import backfill_flow, nightly_flow

    write_raw(SEED.name, SEED.read_bytes())
    write_raw("001_aaaaaaaaaaaaaaaa.txt", published="2023-01-02")
    nightly_flow(raw_dir=str(raw_dir), warehouse_dir=str(warehouse_dir))
    load, _ = backfill_flow(
        since=dt.date(2022, 6, 1),
        until=dt.date(2022, 6, 30),
        raw_dir=str(raw_dir),
        warehouse_dir=str(warehouse_dir),
    )
    assert load.kind == "backfill"
    assert (load.files_loaded, load.files_unchanged) == (1, 1)


@harness
def test_a_failed_run_names_its_step_and_publishes_it(warehouse_dir: Path) -> None:
    from flows.build import build_flow

    (warehouse_dir / "news.duckdb").mkdir(parents=True)  # the new file cannot replace it
    state = build_flow(warehouse_dir=str(warehouse_dir), return_state=True)
    message = state.message or ""
    assert state.type.value == "FAILED"
    assert message.startswith("step 'build database' failed: IsADirectoryError: [Errno 21] ")
    assert message.endswith(
        f"'{warehouse_dir / 'news.duckdb'}'. To do: a folder stands where a file belongs: move "
        f"{warehouse_dir / 'news.duckdb'} aside, then retry the run"
    )
    # Told once: one error line in the run's log (the task's traceback is at debug level).
    assert _error_lines(state.state_details.flow_run_id) == [message]
    summary = _artifact("build-summary")
    assert f"**Failed**: {message}" in summary
    assert "Nothing committed: the warehouse is as it was before this run." in summary


def test_backfill_params_refuse_a_reversed_range(raw_dir: Path) -> None:
    with pytest.raises(ValidationError, match="until 2022-06-01 is before since 2022-06-30: "):
        BackfillParams(since=dt.date(2022, 6, 30), until=dt.date(2022, 6, 1))


def test_params_offer_exactly_the_task_runners_the_ingest_knows() -> None:
    from flows.ingest import TASK_RUNNERS

    schema = NightlyParams.model_json_schema()["properties"]["task_runner"]
    offered = [v for option in schema["anyOf"] for v in option.get("enum", [])]
    assert offered == list(TASK_RUNNERS)
    assert (
        BackfillParams.model_validate(
            {"since": "2022-06-01", "until": "2022-06-02", "task_runner": "dask"}
        ).task_runner
        == "dask"
    )
    with pytest.raises(ValidationError, match="task_runner"):
        NightlyParams.model_validate({"task_runner": "spark"})


def test_params_check_the_folders(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"raw dir .*nowhere does not exist"):
        NightlyParams(raw_dir=str(tmp_path / "nowhere"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match="is a file, not a folder"):
        BuildParams(warehouse_dir=str(tmp_path / "file"))
    with pytest.raises(ValidationError, match=r"cannot be created: .*file is a file, not a"):
        BuildParams(warehouse_dir=str(tmp_path / "file" / "wh"))
    with pytest.raises(ValidationError, match="cannot be created in /proc: a trial folder"):
        BuildParams(warehouse_dir="/proc/newsetl-wh")
    assert BuildParams(warehouse_dir=str(tmp_path / "a" / "b")).warehouse_dir
    with pytest.raises(ValidationError, match="Extra inputs"):
        NightlyParams.model_validate({"raw_dirr": str(tmp_path)})
    assert BackfillParams.model_validate({"since": "2022-06-01", "until": "2022-06-02"}).since == (
        dt.date(2022, 6, 1)
    )


def test_allow_shrink_reaches_the_ingest_of_a_nightly_and_a_backfill() -> None:
    assert not IngestParams.of(NightlyParams()).allow_shrink
    assert IngestParams.of(NightlyParams(allow_shrink=True, full_refresh=True)).allow_shrink
    backfill = BackfillParams(
        since=dt.date(2022, 6, 1), until=dt.date(2022, 6, 2), allow_shrink=True
    )
    assert IngestParams.of(backfill).allow_shrink


def test_run_day_comes_from_the_scheduled_time_in_the_schedule_zone() -> None:
    scheduled = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)
    assert run_day(scheduled) == dt.date(2026, 3, 9)
    assert run_day(scheduled, "America/New_York") == dt.date(2026, 3, 8)  # 22:00 on the 9th
    assert run_day(scheduled, "Asia/Tokyo") == dt.date(2026, 3, 9)


def test_step_names_the_failed_step() -> None:
    expected = "step 'read' failed: OSError: disk gone"
    with pytest.raises(StepFailed, match=expected) as caught, step("outer"), step("read"):
        raise OSError("disk\n gone")
    assert isinstance(caught.value.__cause__, OSError)


@harness
def test_nightly_flow_publishes_to_a_warehouse_url(
    raw_dir: Path, tmp_path: Path, write_raw: RawWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fsspec.implementations.memory import MemoryFileSystem

    from flows.nightly import nightly_flow

    monkeypatch.setenv("NEWSETL_WAREHOUSE_WORK_DIR", str(tmp_path / "work"))
    url = f"memory://newsetl-flow-{tmp_path.name}/warehouse"
    write_raw(SEED.name, SEED.read_bytes())
    load, built = nightly_flow(raw_dir=str(raw_dir), warehouse_dir=url)
    assert load.published is not None and built.published == load.load_id
    root = url.removeprefix("memory://")
    store = MemoryFileSystem()
    assert store.cat_file(f"{root}/CURRENT") == f"{load.load_id}\n".encode()
    assert store.exists(f"{root}/news.duckdb")
    assert (tmp_path / "work" / "news.duckdb").is_file()  # the writer's own copy
    summary = _artifact("nightly-summary")
    assert f"Published snapshot {load.load_id} to {url}: " in summary
    assert f"Published `news.duckdb` to `{url}`, reading snapshot `{load.load_id}`." in summary
    assert f"Warehouse `{url}`, worked on in `{tmp_path / 'work'}`: " in summary
    store.rm(f"/newsetl-flow-{tmp_path.name}", recursive=True)
