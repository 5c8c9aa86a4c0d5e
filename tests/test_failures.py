"""How a run fails: which errors are retried, the one line an operator reads, the quiet logs."""

from __future__ import annotations

import errno
import logging
import re
from pathlib import Path

import duckdb
import pytest
from prefect.client.schemas.objects import StateType
from prefect.states import Completed, Failed

from flows.failures import (
    QuietExpectedTracebacks,
    ToldStopped,
    failed_state,
    is_expected,
    is_transient,
    one_line,
    quiet_expected_tracebacks,
    refusal,
    retry_if_transient,
)
from flows.params import BackfillParams
from flows.runs import StepFailed, step
from newsetl.load.discover import ListingShrank
from newsetl.store.restore import RestoredCopyError
from newsetl.warehouse.build import BuildError


def _failed_step(error: Exception, name: str = "build database") -> StepFailed:
    with pytest.raises(StepFailed) as caught, step(name):
        raise error
    return caught.value


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (TimeoutError("read timed out"), True),
        (ConnectionResetError(errno.ECONNRESET, "reset"), True),
        (OSError(errno.EIO, "Input/output error"), True),
        (OSError(errno.ESTALE, "Stale file handle"), True),
        (BlockingIOError(errno.EAGAIN, "busy"), True),
        (duckdb.IOException('Could not set lock on file "x"'), True),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "/w/news.duckdb"), False),
        (PermissionError(errno.EACCES, "Permission denied", "/w"), False),
        (OSError(errno.ENOSPC, "No space left on device", "/w"), False),
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "/raw"), False),
        (duckdb.IOException("Cannot open file: not a database"), False),
        (BuildError("SQL tests failed:\n  x"), False),
        (ValueError("bad"), False),
    ],
)
def test_only_transient_errors_are_retried(error: Exception, transient: bool) -> None:
    assert is_transient(error) is transient
    assert retry_if_transient(None, None, Failed(data=error)) is transient


def test_a_completed_state_is_never_retried() -> None:
    assert retry_if_transient(None, None, Completed(data=1)) is False


def test_an_expected_error_is_one_line_with_the_path_and_what_to_do() -> None:
    error = IsADirectoryError(errno.EISDIR, "Is a directory", "/w/.tmp", None, "/w/news.duckdb")
    assert one_line(_failed_step(error)) == (
        "step 'build database' failed: IsADirectoryError: [Errno 21] Is a directory: '/w/.tmp' "
        "-> '/w/news.duckdb'. To do: a folder stands where a file belongs: move /w/news.duckdb "
        "aside, then retry the run"
    )
    full = OSError(errno.ENOSPC, "No space left on device", "/w/articles/part-0.parquet")
    assert one_line(_failed_step(full, "merge and commit")).endswith(
        "To do: the disk holding /w/articles/part-0.parquet is full: free space there, then "
        "retry the run (the warehouse keeps its last committed snapshot: the step that failed "
        "committed nothing)"
    )
    denied = PermissionError(errno.EACCES, "Permission denied", "/w/_state")
    assert "To do: give the account that runs the worker access to /w/_state" in one_line(
        _failed_step(denied)
    )
    tests = BuildError("SQL tests failed:\n  unique_article_id: 2 rows")
    assert "\n" not in one_line(_failed_step(tests))
    assert "To do: the data broke a SQL test" in one_line(_failed_step(tests))


def test_a_message_that_says_what_to_do_gets_no_second_hint() -> None:
    from newsetl.store.lock import WarehouseLocked

    locked = WarehouseLocked("the warehouse /w is being written by pid 1; wait for that run")
    assert one_line(_failed_step(locked, "ingest")) == (
        "step 'ingest' failed: the warehouse /w is being written by pid 1; wait for that run"
    )


def test_a_bug_and_a_built_in_error_keep_their_class_name() -> None:
    assert one_line(_failed_step(KeyError("article_id"), "merge")) == (
        "step 'merge' failed: KeyError: 'article_id'"
    )
    denied = PermissionError(errno.EACCES, "Permission denied", "/w/_state")
    assert one_line(_failed_step(denied)).startswith(
        "step 'build database' failed: PermissionError: [Errno 13] Permission denied"
    )


def test_running_out_of_memory_names_the_builds_memory_cap() -> None:
    error = BuildError("model marts/articles.sql failed: Out of Memory Error: could not allocate")
    error.__cause__ = duckdb.OutOfMemoryException("Out of Memory Error: could not allocate")
    line = one_line(_failed_step(error))
    assert line.startswith("step 'build database' failed: model marts/articles.sql failed: ")
    assert line.endswith(
        "To do: DuckDB ran out of memory: give a build more (NEWSETL_BUILD_MEMORY_LIMIT, e.g. "
        "NEWSETL_BUILD_MEMORY_LIMIT=8GB; a quarter of RAM by default) or free memory on the "
        "machine, then retry the run"
    )


def test_bugs_are_not_expected_errors() -> None:
    assert is_expected(_failed_step(OSError(errno.EIO, "x")))
    assert is_expected(_failed_step(BuildError("x")))
    assert not is_expected(_failed_step(KeyError("article_id")))
    assert not is_expected(TypeError("unsupported operand"))


@pytest.mark.parametrize(
    "error",
    [
        ListingShrank(
            "refusing to load: the raw dir /r lists 0 of the 40 files\n... --allow-shrink"
        ),
        RestoredCopyError("the warehouse /w is a copy restored with its links followed: ..."),
    ],
)
def test_a_refusal_of_the_load_is_one_line_and_no_traceback(error: Exception) -> None:
    failed = _failed_step(error, "discover raw files")
    assert is_expected(failed)
    assert "\n" not in one_line(failed)
    # The refusal's own words, not the class name a reader of code would know it by.
    assert one_line(failed).startswith(f"step 'discover raw files' failed: {str(error)[:20]}")
    quiet = QuietExpectedTracebacks()
    logging.getLogger("prefect.task_runs").setLevel(logging.INFO)
    record = _record(logging.ERROR, "prefect.task_runs", "Task run failed", failed)
    assert (quiet.filter(record), record.levelno) == (False, logging.DEBUG)


def test_a_bad_request_is_refused_in_one_line() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        BackfillParams.model_validate(
            {"since": "2022-06-30", "until": "2022-06-01", "raw_dir": "/nowhere/raw"}
        )
    assert str(refusal(caught.value)) == (
        "refused: raw_dir: raw dir /nowhere/raw does not exist or is not a folder"
    )


def _ui_state_names() -> list[str]:
    """The state names the installed Prefect UI filters runs by ("All except scheduled", the
    default of a deployment's Runs tab, is these without Scheduled)."""
    import prefect.server

    assets = Path(prefect.server.__file__).parent / "ui" / "assets"
    for script in sorted(assets.glob("*.js")):
        found = re.search(r"\[`Scheduled`,`Late`(?:,`\w+`)+\]", script.read_text("utf-8"))
        if found:
            return re.findall(r"`(\w+)`", found.group())
    raise AssertionError(f"no list of state names in {assets}: the UI changed, look again")


def test_a_refused_or_failed_run_is_in_a_state_the_deployment_page_lists() -> None:
    refused = failed_state("refused: until 2022-06-01 is before since 2022-06-30")
    listed = [name for name in _ui_state_names() if name != "Scheduled"]
    assert (refused.type, refused.name, refused.message) == (
        StateType.FAILED,
        "Failed",
        "refused: until 2022-06-01 is before since 2022-06-30",
    )
    assert refused.name in listed
    assert "Refused" not in listed  # why a state named so was hidden


def _record(level: int, name: str, message: str, error: BaseException | None) -> logging.LogRecord:
    exc_info = (type(error), error, None) if error is not None else None
    return logging.LogRecord(name, level, __file__, 1, message, None, exc_info)


def test_a_tasks_expected_error_goes_to_debug_and_a_bug_stays_an_error() -> None:
    quiet = QuietExpectedTracebacks()
    logging.getLogger("prefect.task_runs").setLevel(logging.INFO)
    expected = _record(logging.ERROR, "prefect.task_runs", "Task run failed", OSError(5, "x"))
    assert quiet.filter(expected) is False  # dropped: the logger does not take debug records
    assert expected.levelno == logging.DEBUG
    final = _record(logging.ERROR, "prefect.task_runs", "Finished in state Failed('x')", None)
    assert quiet.filter(final) is False
    bug = _record(logging.ERROR, "prefect.task_runs", "Task run failed", KeyError("x"))
    assert quiet.filter(bug) is True and bug.levelno == logging.ERROR
    info = _record(logging.INFO, "prefect.task_runs", "Finished in state Completed()", None)
    assert quiet.filter(info) is True
    logging.getLogger("prefect.task_runs").setLevel(logging.DEBUG)
    try:
        kept = _record(logging.ERROR, "prefect.task_runs", "Task run failed", OSError(5, "x"))
        assert quiet.filter(kept) is True and kept.levelname == "DEBUG"
    finally:
        logging.getLogger("prefect.task_runs").setLevel(logging.NOTSET)


def test_a_cancelled_runs_last_line_says_it_was_stopped() -> None:
    told = ToldStopped()
    stopped = _record(logging.INFO, "prefect.flow_runs", "Finished in state Running()", None)
    assert told.filter(stopped) is True
    assert stopped.getMessage() == (
        "Finished: stopped before the end (cancelled); its worker records the final state, and "
        "the run's summary says what was committed"
    )
    done = _record(logging.INFO, "prefect.flow_runs", "Finished in state Completed()", None)
    assert told.filter(done) is True and done.getMessage() == "Finished in state Completed()"
    quiet_expected_tracebacks()
    assert ToldStopped in {type(f) for f in logging.getLogger("prefect.flow_runs").filters}
