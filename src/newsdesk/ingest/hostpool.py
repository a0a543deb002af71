"""Run fetches for different hosts at once, never two for the same host at the same time.

``HostPool(workers, ready_at)`` is a small thread pool keyed by host: ``submit(host, fn)``
returns a ``Future``; a worker takes the oldest job whose host is idle, preferring a host
whose rate-limit slot (``ready_at(host)``, from ``HttpClient.ready_at``) has come, so a
worker does not sleep out one host's interval while another host could be served. Jobs
of one host run one after another in the order they were submitted.

The pool only schedules; politeness itself (interval, robots.txt Crawl-delay, one request
in flight per host) is enforced again by ``HttpClient``, whoever calls it.

With ``workers=1`` nothing runs in another thread: ``submit`` runs the job at once, in
the caller's thread, exactly as the fetches ran before the pool existed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

_IDLE_WAIT = 1.0  # seconds a worker with nothing to do waits before looking again


@dataclass
class _Job:
    host: str
    fn: Callable[[], Any]
    future: Future[Any]


class HostPool:
    """Up to ``workers`` jobs at once, at most one per host; see the module docstring."""

    def __init__(self, workers: int, ready_at: Callable[[str], float] | None = None) -> None:
        self.workers = max(1, workers)
        self._ready_at = ready_at or (lambda host: 0.0)
        self._queue: list[_Job] = []  # in submission order
        self._busy: set[str] = set()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._closed = False
        self._cond = threading.Condition()

    def __enter__(self) -> HostPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, host: str, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        if self.workers == 1:
            _run(_Job(host, fn, future))
            return future
        with self._cond:
            if self._closed:
                raise RuntimeError("HostPool is closed")
            self._queue.append(_Job(host, fn, future))
            # Threads start as jobs come, up to ``workers``; idle ones wait for the next.
            if len(self._queue) > self._idle and len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, name="newsdesk-fetch", daemon=True)
                self._threads.append(thread)
                thread.start()
            self._cond.notify_all()
        return future

    def close(self) -> None:
        """Cancel the jobs not started; the running ones finish (their timeouts bound them)."""
        with self._cond:
            self._closed = True
            for job in self._queue:
                job.future.cancel()
            self._queue.clear()
            self._cond.notify_all()

    def _work(self) -> None:
        while True:
            with self._cond:
                job = self._take()
                while job is None:
                    if self._closed:
                        return
                    self._idle += 1
                    self._cond.wait(self._wait_time())
                    self._idle -= 1
                    job = self._take()
                self._busy.add(job.host)
            try:
                _run(job)
            finally:
                with self._cond:
                    self._busy.discard(job.host)
                    self._cond.notify_all()

    def _take(self) -> _Job | None:
        """The oldest job of an idle host whose slot has come, else None (called locked)."""
        now = time.monotonic()
        waiting = set(self._busy)  # hosts that cannot start now: each slot is looked up once
        for index, job in enumerate(self._queue):
            if job.host in waiting:
                continue
            if self._ready_at(job.host) <= now:
                return self._queue.pop(index)
            waiting.add(job.host)
        return None

    def _wait_time(self) -> float:
        """Until the first idle host's slot comes (a submit or a finished job wakes us too)."""
        now = time.monotonic()
        slots = [self._ready_at(host) for host in {j.host for j in self._queue} - self._busy]
        return max(0.001, min([_IDLE_WAIT, *(slot - now for slot in slots)]))


def _run(job: _Job) -> None:
    if not job.future.set_running_or_notify_cancel():
        return
    try:
        result = job.fn()
    except BaseException as exc:  # handed to whoever waits on the future
        job.future.set_exception(exc)
    else:
        job.future.set_result(result)
