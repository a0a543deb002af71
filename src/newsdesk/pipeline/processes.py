"""The process executor: a CPU-bound block (extraction, the extractive writer) on worker
processes, one per idle core.

``ProcessExecutor.map(fn, items)`` has the executors' contract (results in input order,
each handed on as soon as it and those before it are done) and takes any iterable: items
are read only a bounded window ahead of the results handed on, so a WARC archive or a
folder of 10,000 pages is never held in memory at once.

Workers are forked, so they start at once with the modules this process imported, and
``fn`` and the items travel by pickle (``fn``: a module-level function or a
``functools.partial`` of one). A worker that dies (a crash in a C library, the kernel's
OOM killer) breaks the pool: every item in flight is then run again alone in a fresh pool,
and the one that breaks it again gets ``on_error(item, reason)``'s result instead of
stopping the batch.
"""

from __future__ import annotations

import gc
import itertools
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from newsdesk.pipeline.executors import batched

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

WORKER_DIED = "the worker process extracting it died"


def available_cpus() -> int:
    """Cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def idle_cpus() -> int:
    """Cores free for workers: those this process may use, less those other processes keep
    busy right now, at least 1. On a 2-core machine under a load of 5, a second worker
    process only costs CPU (each warms its own caches, items and results travel by
    pickle): measured in BENCHMARKS.md, "End to end speed"."""
    cores = available_cpus()
    busy = busy_cpus()
    return max(1, min(cores, round(cores - busy)))


# How long the machine's CPU counters are watched to tell how busy it is now: ten ticks
# of the kernel's 100 Hz clock on 2 cores, a fifth of a core, enough to round to whole
# cores (a longer window only kept a quick command waiting: its first page is read before
# 0.1 s have passed). A reading taken longer ago than _STALE_SECONDS says little about now
# and is taken again.
_SAMPLE_SECONDS = 0.05
_STALE_SECONDS = 1.0
_first_reading: tuple[float, float, tuple[int, int]] | None = None


def start_reading_cpus() -> None:
    """Take the first reading of the machine's CPU counters now (the CLI does as it loads,
    a ``ProcessExecutor`` when it is made), unless one taken earlier is still fresh: the
    window then passes while this process starts and runs its first item, and
    ``busy_cpus`` waits only for what is left of it."""
    global _first_reading
    if _first_reading is not None and time.monotonic() - _first_reading[0] <= _STALE_SECONDS:
        return
    counters = _cpu_times()
    if counters is not None:
        _first_reading = (time.monotonic(), time.process_time(), counters)


@cache
def busy_cpus() -> float:
    """How many cores other processes keep busy, read once a process.

    Sampled from /proc/stat over ``_SAMPLE_SECONDS`` (from ``start_reading_cpus``, if that
    was less than a second ago), less what this process itself used meanwhile, rather than
    read off the 1-minute load average, which still counts a job that has just ended (a
    run right after another, or after trafilatura in a benchmark, would otherwise work
    alone on an idle machine). Elsewhere, the load average."""
    start_reading_cpus()  # a fresh one is kept; a stale one is taken again
    first = _first_reading
    if first is None:
        try:
            return os.getloadavg()[0]
        except OSError:  # pragma: no cover - no load average on this system
            return 0.0
    started, own_started, (all_first, idle_first) = first
    wait = _SAMPLE_SECONDS - (time.monotonic() - started)
    if wait > 0:
        time.sleep(wait)
    second = _cpu_times()
    if second is None:  # pragma: no cover - /proc vanished between two reads
        return 0.0
    total = second[0] - all_first
    idle = second[1] - idle_first
    if total <= 0:
        return 0.0
    busy = (os.cpu_count() or 1) * (total - idle) / total
    own = (time.process_time() - own_started) / max(time.monotonic() - started, 1e-3)
    return max(0.0, busy - own)


def _cpu_times() -> tuple[int, int] | None:
    """(all, idle) jiffies of the whole machine from /proc/stat's first line, or None."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    ticks = [int(value) for value in fields[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return sum(ticks[:8]), idle  # guest time is already counted in user time


def _fresh_stdio() -> None:
    """A forked worker's own standard streams: a thread of the parent (a progress bar's)
    may have held their locks at the fork, and a worker must still be able to warn.

    The worker also ends with its parent: a run killed with SIGKILL never shuts its pool
    down, and forked workers, holding both ends of the task queue, would wait forever."""
    _end_with_parent()
    sys.stdout = open(1, "w", closefd=False, encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False, encoding="utf-8", errors="backslashreplace")  # noqa: SIM115


def _end_with_parent() -> None:
    """Ask Linux to send this process SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG);
    elsewhere nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no libc prctl: the worker lives as before
        return
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(1)


def _run_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


class ProcessExecutor:
    """Maps a function over items on ``workers`` processes (default: ``idle_cpus()``),
    results in input order.

    ``chunk`` items travel to a worker at once (fewer round trips for small items);
    ``ahead`` chunks per worker are in flight. The first item runs inline (workers forked
    after it inherit what it warmed up); with one worker, all do. ``on_error(item, reason)``
    gives the result for an item whose worker died; without it such an item raises
    ``BrokenProcessPool``.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        chunk: int = 4,
        ahead: int = 4,
        on_error: Callable[[Any, str], Any] | None = None,
    ) -> None:
        self._workers = workers
        self.chunk = max(1, chunk)
        self.ahead = max(1, ahead)
        self.on_error = on_error
        self._pool: ProcessPoolExecutor | None = None
        if workers is None:
            start_reading_cpus()

    @property
    def workers(self) -> int:
        """The worker processes; the idle cores are looked at only when first asked (a
        single page never waits for the sampling)."""
        if self._workers is None:
            self._workers = idle_cpus()
        return max(1, self._workers)

    @property
    def workers_decided(self) -> int:
        """The worker processes if already decided, else 1: nothing has run on workers yet
        (telling a run's summary this never samples the cores)."""
        return max(1, self._workers) if self._workers is not None else 1

    def __enter__(self) -> ProcessExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Imported here: a single page starts no process and needs none of this.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_fresh_stdio
            )
        return self._pool

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        iterator = iter(items)
        first = next(iterator, _END)
        if first is _END:
            return
        # The first item runs here: what it loads on first use (modules, language models,
        # compiled patterns, caches) is then inherited by every worker forked after it,
        # instead of being loaded again in each. A single item starts no process at all.
        yield fn(first)
        second = next(iterator, _END)
        if second is _END:
            return
        if self.workers == 1:
            yield fn(second)
            yield from (fn(item) for item in iterator)
            return
        chunks = batched(itertools.chain([second], iterator), self.chunk)
        window: deque[tuple[list[T], Future[list[R]]]] = deque()
        limit = self.workers * self.ahead
        for chunk in chunks:
            window.append((chunk, self._submit(fn, chunk)))
            while len(window) >= limit:
                yield from self._take(fn, window)
        while window:
            yield from self._take(fn, window)

    def _submit(self, fn: Callable[[T], R], chunk: list[T]) -> Future[list[R]]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._pool_submit(fn, chunk)
        except BrokenProcessPool:  # broken by an earlier chunk, not yet noticed
            self._reset()
            return self._pool_submit(fn, chunk)

    def _pool_submit(self, fn: Callable[[T], R], chunk: list[T]) -> Future[list[R]]:
        fresh = self._pool is None
        pool = self._get_pool()
        if not fresh:
            return pool.submit(_run_chunk, fn, chunk)
        # A fresh pool forks its workers in its first submit. Everything this process holds
        # then is frozen for the garbage collector first, as Python's docs advise before a
        # fork: the workers' collections never walk the objects they inherit (which would
        # also copy the memory pages those sit on into each worker). This process
        # unfreezes its own at once.
        gc.freeze()
        try:
            return pool.submit(_run_chunk, fn, chunk)
        finally:
            gc.unfreeze()

    def _take(
        self, fn: Callable[[T], R], window: deque[tuple[list[T], Future[list[R]]]]
    ) -> Iterator[R]:
        from concurrent.futures.process import BrokenProcessPool

        chunk, future = window.popleft()
        try:
            results = future.result()
        except BrokenProcessPool:
            # A worker died: every chunk in flight is lost. Run them again, one item
            # at a time, so the item that kills a worker is found and only it fails.
            lost = [chunk, *(c for c, _ in window)]
            window.clear()
            self._reset()
            redone = [self._alone(fn, item) for c in lost for item in c]
            yield from redone[: len(chunk)]
            rest = redone[len(chunk) :]
            for c in lost[1:]:
                done: Future[list[R]] = Future()
                done.set_result(rest[: len(c)])
                rest = rest[len(c) :]
                window.append((c, done))
            return
        yield from results

    def _alone(self, fn: Callable[[T], R], item: T) -> R:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._pool_submit(fn, [item]).result()[0]
        except BrokenProcessPool:
            self._reset()
            if self.on_error is None:
                raise
            return self.on_error(item, WORKER_DIED)

    def _reset(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


_END: Any = object()
