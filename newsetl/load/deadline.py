"""Raw files read with a deadline: a read that hangs (a dead mount) is abandoned, not awaited."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from newsetl.load.discover import RawFile
from newsetl.settings import READ_TIMEOUT_ENV
from newsetl.text.parse import ParseError, RejectReason

# A file's bytes and its size/mtime as read, or the ParseError its read raised.
ReadResult = tuple[RawFile, bytes | ParseError]
RawReader = Callable[[RawFile], tuple[bytes, RawFile]]


class RawLocationHung(OSError):
    """Reads of the raw location stopped answering: the run stops rather than wait for ever."""

    def __str__(self) -> str:
        return str(self.strerror)  # the message names the files and what to do: no errno


@dataclass(slots=True)
class _Group:
    """The reads of one group: the helper thread of the current `generation` fills it."""

    files: Iterator[RawFile]
    limit_bytes: int
    results: list[ReadResult] = field(default_factory=list)
    held: int = 0
    current: RawFile | None = None
    started: float = 0.0
    generation: int = 0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class TimedReads:
    """Read raw files a group at a time in a helper thread, each read with a deadline.

    A read (open, stat, read) that is not over after `timeout` seconds is given up: the file
    gets a read_timeout reject, its thread is left to the read (a daemon: a blocked system call
    cannot be cancelled from Python), and a fresh thread goes on with the next file. Should a
    second read time out while an earlier one still hangs, the location is taken for hung and
    RawLocationHung stops the batch, so a run never holds the writer lock for ever.

    Why a thread per group, not per file: the hand-over costs one thread start and one event a
    group (thousands of files), nothing measurable against the reads.
    """

    def __init__(self, read: RawReader, timeout: float) -> None:
        self.read = read
        self.timeout = timeout
        self.hung: list[tuple[RawFile, threading.Thread]] = []
        self._poll = min(1.0, timeout / 4)

    def group(self, files: Iterator[RawFile], limit_bytes: int) -> list[ReadResult]:
        """The next files' results, until about `limit_bytes` were read or `files` ends."""
        group = _Group(files, limit_bytes)
        thread = self._start(group)
        while not group.done.wait(self._poll):
            with group.lock:
                stuck = group.current
                if stuck is None or time.monotonic() - group.started < self.timeout:
                    continue
                group.generation += 1  # the stuck thread's results are not wanted any more
                group.current = None
                still_hung = [raw for raw, hung in self.hung if hung.is_alive()]
                self.hung.append((stuck, thread))
                if still_hung:
                    raise self._location_hung([*still_hung, stuck])
                group.results.append(
                    (
                        stuck,
                        ParseError(
                            RejectReason.READ_TIMEOUT,
                            f"no answer within {self.timeout:g} s ({READ_TIMEOUT_ENV}): a hung "
                            "mount or device? It is read again by the next run",
                        ),
                    )
                )
            thread = self._start(group)
        if group.error is not None:
            raise group.error
        return group.results

    def _start(self, group: _Group) -> threading.Thread:
        thread = threading.Thread(
            target=self._read_group, args=(group, group.generation), daemon=True
        )
        thread.start()
        return thread

    def _read_group(self, group: _Group, generation: int) -> None:
        try:
            while True:
                with group.lock:
                    if group.generation != generation:
                        return
                    raw = next(group.files, None) if group.held < group.limit_bytes else None
                    if raw is None:
                        break
                    group.current, group.started = raw, time.monotonic()
                try:
                    content, raw = self.read(raw)
                    result: ReadResult = (raw, content)
                except ParseError as exc:
                    result, content = (raw, exc), b""
                with group.lock:
                    if group.generation != generation:
                        return
                    group.results.append(result)
                    group.held += len(content)
                    group.current = None
        except BaseException as exc:  # handed to the caller's thread, which raises it
            with group.lock:
                if group.generation != generation:
                    return
                group.error = exc
        group.done.set()

    def _location_hung(self, files: list[RawFile]) -> RawLocationHung:
        names = ", ".join(raw.source_file for raw in files)
        return RawLocationHung(
            errno.ETIMEDOUT,
            f"the raw location stopped answering: reads of {names} took over {self.timeout:g} s "
            f"each ({READ_TIMEOUT_ENV}); check its mount, then run again (nothing was committed)",
        )
