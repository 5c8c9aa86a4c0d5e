"""How a run fails: transient errors retried, expected ones told once in one line, bugs in full.

An expected error (a disk, a folder, a permission, the warehouse's lock, a SQL test) becomes one
line, in the run's log and its state message: the step, the path and what to do. Its traceback
goes to the debug level. A bug (anything else) keeps its traceback at the error level.
"""

from __future__ import annotations

import errno
import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

import duckdb
from prefect import get_run_logger
from prefect.client.schemas.objects import State
from prefect.exceptions import FailedRun
from prefect.states import Failed
from pydantic import ValidationError

from newsetl.load.discover import ListingShrank
from newsetl.settings import BUILD_MEMORY_LIMIT_ENV
from newsetl.store.lock import WarehouseLocked
from newsetl.store.publish import StoreDivergedError
from newsetl.store.restore import RestoredCopyError
from newsetl.warehouse.build import BuildError

P = ParamSpec("P")
R = TypeVar("R")

# errnos a second try a few seconds later can get past: a busy or flaky device or network.
TRANSIENT_ERRNOS = frozenset(
    {
        errno.EAGAIN,
        errno.EBUSY,
        errno.EINTR,
        errno.EIO,
        errno.ETIMEDOUT,
        errno.ESTALE,
        errno.ENETDOWN,
        errno.ENETUNREACH,
        errno.ENETRESET,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.ECONNREFUSED,
        errno.EHOSTUNREACH,
    }
)

# What to do about an OSError, by errno; {path} is the file or folder it names.
TO_DO = {
    errno.EISDIR: "a folder stands where a file belongs: move {path} aside, then retry the run",
    errno.ENOTDIR: "a file stands where a folder belongs: move {path} aside, then retry the run",
    errno.EACCES: "give the account that runs the worker access to {path}, then retry the run",
    errno.EPERM: "give the account that runs the worker access to {path}, then retry the run",
    errno.EROFS: "{path} is on a read-only file system: remount it writable or choose "
    "another warehouse dir",
    errno.ENOSPC: "the disk holding {path} is full: free space there, then retry the run "
    "(the warehouse keeps its last committed snapshot: the step that failed committed nothing)",
    errno.EDQUOT: "the disk quota for {path} is used up: free space there, then retry the run",
    errno.ENOENT: "{path} does not exist: check the path and that its disk is mounted, then "
    "retry the run",
}


class RunRefused(ValueError):
    """A request the run cannot carry out as given (a reversed range, a missing folder)."""


def is_transient(exc: BaseException) -> bool:
    """True for errors that may pass on a second try: timeouts, network, a busy device."""
    if isinstance(exc, TimeoutError | ConnectionError | InterruptedError):
        return True
    if isinstance(exc, OSError):
        return exc.errno in TRANSIENT_ERRNOS
    if isinstance(exc, duckdb.IOException):
        # A lock held by another process, or a resource busy for a moment.
        text = str(exc).lower()
        return "lock" in text or "temporarily unavailable" in text
    return False


def retry_if_transient(task: object, task_run: object, state: State[Any]) -> bool:
    """A task's retry condition: only transient errors get a second try."""
    try:
        state.result(raise_on_failure=True)
    except Exception as exc:
        return is_transient(exc)
    return False


def is_expected(exc: BaseException) -> bool:
    """An error of the run's environment or its data, not of newsetl's code."""
    expected = (
        OSError,
        duckdb.Error,
        ValueError,  # pydantic's ValidationError, RawLocationError, a bad setting
        WarehouseLocked,
        BuildError,
        StoreDivergedError,
        FailedRun,
        ListingShrank,  # the shrink guards' refusals, and a restored copy refused unmoved
        RestoredCopyError,
    )
    causes = [exc]
    while causes[-1].__cause__ is not None and len(causes) < 8:
        causes.append(causes[-1].__cause__)
    return any(isinstance(cause, expected) for cause in causes)


def speaks_for_itself(exc: BaseException) -> bool:
    """An expected error of newsetl's own (a shrink guard's refusal, a restored copy refused,
    the writer lock, a failed build...): its message is written for the operator, so a step's
    line leaves its class name out. Others keep it (`PermissionError: [Errno 13] ...`): a bug's
    class is the first thing to know, and a built-in's tells its kind."""
    module = type(exc).__module__.split(".")[0]
    return module in ("newsetl", "flows") and is_expected(exc) and bool(str(exc).strip())


def _root(exc: BaseException) -> BaseException:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def to_do(exc: BaseException) -> str | None:
    """What the operator can do about the error, or None when its message already says it."""
    root = _root(exc)
    if isinstance(root, OSError) and root.errno in TO_DO:
        # A rename names its target second: that is what stands in the way.
        in_the_way = root.errno in (errno.EISDIR, errno.ENOTDIR) and root.filename2 is not None
        path = root.filename2 if in_the_way else root.filename
        path = "the path" if path is None else path
        return TO_DO[root.errno].format(path=path)
    if isinstance(root, duckdb.OutOfMemoryException) or "out of memory" in str(root).lower():
        return (
            f"DuckDB ran out of memory: give a build more ({BUILD_MEMORY_LIMIT_ENV}, e.g. "
            f"{BUILD_MEMORY_LIMIT_ENV}=8GB; a quarter of RAM by default) or free memory on "
            "the machine, then retry the run"
        )
    if is_transient(root):
        return "a transient error, retried already: retry the run later"
    if isinstance(root, BuildError) and "SQL tests failed" in str(root):
        return (
            "the data broke a SQL test: the rows are listed above; fix or remove their raw "
            "files, then run again (the tables committed; news.duckdb still serves the last "
            "good build)"
        )
    return None


def one_line(exc: BaseException) -> str:
    """The error in one line: its message (which names the step) and what to do."""
    if isinstance(exc, FailedRun | RunRefused):
        return " ".join(str(exc).split())
    reason = " ".join(str(exc).split()) or type(exc).__name__
    action = to_do(exc)
    if action is None or action in reason:
        return reason
    return f"{reason}. To do: {action}"


def refusal(error: ValidationError) -> RunRefused:
    """A parameters model's errors as the reason a run is refused, one line."""
    reasons = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        reasons.append(f"{where}: {message}" if where else message)
    return RunRefused("refused: " + "; ".join(reasons))


class QuietExpectedTracebacks(logging.Filter):
    """On Prefect's run loggers: a task's expected error is told by its flow in one line, so
    the task's own ERROR records (its traceback, and its final state, which the flow's line
    repeats) go to the debug level instead. A bug's traceback stays an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        error = record.exc_info[1] if record.exc_info else None
        told_by_the_flow = record.name == "prefect.task_runs" and str(record.msg).startswith(
            "Finished in state Failed"
        )
        if not told_by_the_flow and (error is None or not is_expected(error)):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        # Loggers check the level before filters: a record now at debug is passed on only when
        # the logger would take debug records anyway.
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


# What Prefect's engine logs last when a run ends while its state still reads Running: its
# worker cancelled it (and records the Cancelled state itself, after the process ends).
STOPPED_RUNNING = "Finished in state Running()"
STOPPED_TOLD = (
    "Finished: stopped before the end (cancelled); its worker records the final state, and "
    "the run's summary says what was committed"
)


class ToldStopped(logging.Filter):
    """On Prefect's flow-run logger: a cancelled run's last line says it was stopped, instead
    of `Finished in state Running()`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == STOPPED_RUNNING:
            record.msg, record.args = STOPPED_TOLD, None
        return True


_QUIET = QuietExpectedTracebacks()
_STOPPED = ToldStopped()


def quiet_expected_tracebacks() -> None:
    """Install the filters on the loggers of Prefect's task and flow runs (idempotent)."""
    for name in ("prefect.task_runs", "prefect.flow_runs"):
        logger = logging.getLogger(name)
        for wanted in (_QUIET, _STOPPED):
            if wanted not in logger.filters:
                logger.addFilter(wanted)


def failed_state(message: str) -> State[Any]:
    """The state a run ends in after an expected error or a refusal (`refused: ...`).

    Named Failed, never a name of our own: the UI's run filters list Prefect's state *names*
    ("All except scheduled" on a deployment's Runs tab is Late, Pending, Running, ..., Failed,
    TimedOut), so a run in a state named Refused was hidden there.
    """
    return Failed(message=message)


def reported(fn: Callable[P, R]) -> Callable[P, R]:
    """Wrap a flow's function: an expected error ends the run as a Failed state whose message
    is one line, logged once (a refusal's message starts `refused:`); a bug is raised."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        quiet_expected_tracebacks()
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if not is_expected(exc):
                raise
            logger = get_run_logger()
            message = one_line(exc)
            if not isinstance(exc, FailedRun):  # a subflow's failure: it told it already
                logger.error(message)
                logger.debug("the traceback of that error:", exc_info=exc)
            return cast(R, failed_state(message))

    return run
