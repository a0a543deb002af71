"""Run stage functions on Ray: a local Ray started for the run, or a cluster by address.

``RayExecutor.map(fn, items)`` is the same contract as ``LocalExecutor.map``: results in
input order, handed on as soon as they and those before them are done. Items travel in
chunks (one Ray task per chunk, to keep the per-task overhead small next to the work)
and only a bounded number of chunks is in flight, so a stream of millions of pages never
sits in memory or in the object store at once.

One bad item never kills the batch:
- an exception raised by ``fn`` is caught in the worker, next to that item only;
- a worker that dies (a segfault in a C parser, out of memory) loses its chunk, which is
  then run again one item per task, so only the item that kills its worker fails.
A failed item becomes the block's own failure result (``PageResult`` / ``WriteResult``
with the reason, see ``pipeline.blocks.failure_result``) or whatever ``on_error`` makes of
it; other item types raise ``ItemFailed`` where the caller reads that item, as
``LocalExecutor`` would.

Ray tasks rather than Ray Data: stage items are arbitrary Python objects (pages, story
jobs), not table rows, and tasks give ordered, streaming results with per-item errors and
no conversion to Arrow, at a fraction of Ray Data's start-up cost.

Nothing reaches outside the machine or cluster: usage statistics are off and no
dashboard is started (set ``RAY_USAGE_STATS_ENABLED`` yourself to override).
"""

from __future__ import annotations

import logging
import math
import os
import socket
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from itertools import islice
from typing import Any, TypeVar

from newsdesk.errors import NewsdeskError, unexpected
from newsdesk.pipeline.blocks import ItemFailed, failure_result

__all__ = ["ItemFailed", "RayExecutor", "failure_result"]

T = TypeVar("T")
R = TypeVar("R")

ErrorHandler = Callable[[Any, str], Any]

# Items per task when the input is a stream of unknown length: enough to hide the
# per-task cost (a few ms) behind the work (tens of ms per page), few enough to balance.
_STREAM_CHUNK = 16


@dataclass(frozen=True)
class _Outcome:
    """One item's result, or the reason it has none (built in the worker)."""

    value: Any = None
    error: str | None = None
    node: str | None = None  # the Ray node it ran on (None: decided in the driver)


class _Input:
    """Stands for the task's input item inside its result, on the way back."""


def _without_input(value: Any, item: Any) -> Any:
    """A result that carries its input (``PageResult.page``, ``WriteResult.job``) travels
    back without it: the driver has the item already, and a page is ~150 KB of HTML."""
    if not is_dataclass(value) or isinstance(value, type):
        return value
    carried = {f.name: _Input() for f in fields(value) if f.init and getattr(value, f.name) is item}
    return replace(value, **carried) if carried else value


def _with_input(value: Any, item: Any) -> Any:
    if not is_dataclass(value) or isinstance(value, type):
        return value
    carried = {f.name: item for f in fields(value) if isinstance(getattr(value, f.name), _Input)}
    return replace(value, **carried) if carried else value


def _run_chunk(fn: Callable[[Any], Any], items: list[Any]) -> list[_Outcome]:
    """The Ray task body: each item on its own, so one item's exception stays its own."""
    import ray

    node = ray.get_runtime_context().get_node_id()
    outcomes = []
    for item in items:
        try:
            outcomes.append(_Outcome(_without_input(fn(item), item), node=node))
        except RecursionError:
            outcomes.append(_Outcome(error="nested too deeply to process", node=node))
        except Exception as exc:
            outcomes.append(_Outcome(error=unexpected(exc), node=node))
    return outcomes


def _import_ray() -> Any:
    # Before the import: Ray reads these when it starts, and a run must not phone home.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError as exc:
        raise NewsdeskError(
            "the Ray executor needs Ray: pip install 'newsdesk[ray]' (or 'ray[data]>=2.9')"
        ) from exc
    return ray


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail in seconds on a cluster address nothing answers: Ray itself retries for minutes."""
    if address in ("auto", "local"):
        return  # Ray finds the address of the local cluster itself, and says when there is none
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        raise NewsdeskError(f"{address!r} is not a Ray address like host:6379 or ray://host:10001")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise NewsdeskError(f"no Ray cluster answers at {address}: {exc}") from exc


class RayExecutor:
    """Maps a function over items on Ray, results in input order.

    ``address``: a Ray cluster to join (``"auto"``, ``"ray://host:10001"``, ``"host:6379"``);
    None starts a local Ray for this process (or joins the one ``RAY_ADDRESS`` names, or
    uses one already initialised). ``num_cpus``: CPUs of the local Ray it starts; on a
    cluster, the most tasks this executor runs at once. ``chunk_size``: items per task
    (default: a few chunks per CPU, at most 64 items). ``in_flight``: chunks submitted
    ahead of the one being read (default: two per CPU). ``on_error(item, reason)``: the
    result for a failed item (default: ``failure_result``). ``runtime_env``: passed to
    ``ray.init``, e.g. to ship newsdesk to a cluster that does not have it installed.
    ``nodes``: how many items ran on each Ray node (by node id), so a run can tell
    whether the whole cluster took part.
    """

    def __init__(
        self,
        address: str | None = None,
        num_cpus: int | None = None,
        *,
        chunk_size: int | None = None,
        in_flight: int | None = None,
        on_error: ErrorHandler | None = None,
        runtime_env: dict[str, Any] | None = None,
        log_to_driver: bool = False,
    ) -> None:
        if num_cpus is not None and num_cpus < 1:
            raise ValueError("num_cpus must be at least 1")
        if chunk_size is not None and chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        if in_flight is not None and in_flight < 1:
            raise ValueError("in_flight must be at least 1")
        self.address = address
        self.num_cpus = num_cpus
        self.chunk_size = chunk_size
        self.in_flight = in_flight
        self.on_error = on_error or failure_result
        self.runtime_env = runtime_env
        self.log_to_driver = log_to_driver
        self._ray: Any = None
        self._started = False
        self._chunk_task: Any = None
        self._item_task: Any = None
        self.nodes: Counter[str] = Counter()

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> RayExecutor:
        """Start or join Ray now (``map`` does it on first use)."""
        if self._ray is not None:
            return self
        ray = _import_ray()
        if not ray.is_initialized():
            options: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": self.log_to_driver,
                "logging_level": logging.WARNING,
                "runtime_env": self.runtime_env,
            }
            address = self.address or os.environ.get("RAY_ADDRESS")
            try:
                if address:
                    _check_reachable(address)
                    ray.init(address=address, **options)
                else:
                    # A local Ray on loopback: no lookup of a routable address.
                    ray.init(num_cpus=self.num_cpus, _node_ip_address="127.0.0.1", **options)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = f"the Ray cluster at {address}" if address else "a local Ray"
                raise NewsdeskError(f"cannot start {where}: {exc}") from exc
            self._started = True
        # Worker deaths are handled here (chunk split into single items), not retried blindly.
        self._chunk_task = ray.remote(max_retries=0)(_run_chunk)
        self._item_task = ray.remote(max_retries=1)(_run_chunk)
        self._ray = ray
        return self

    def close(self) -> None:
        """Shut Ray down if this executor started it; a Ray joined or found stays up."""
        if self._ray is not None and self._started:
            self._ray.shutdown()
        self._ray = None
        self._started = False

    def __enter__(self) -> RayExecutor:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def cpus(self) -> int:
        """How many tasks run at once: the cluster's CPUs, capped by ``num_cpus``."""
        self.start()
        total = int(self._ray.cluster_resources().get("CPU", 1)) or 1
        return min(total, self.num_cpus) if self.num_cpus else total

    # -- the executor protocol ----------------------------------------------------------------

    def map(self, fn: Callable[[T], R], items: Sequence[T] | Iterable[T]) -> Iterator[R]:
        """Results of ``fn`` over ``items`` in input order. ``items`` may also be a stream
        (a generator over a WARC file): it is read only as far as the tasks in flight."""
        if isinstance(items, Sequence) and not items:
            return
        self.start()
        cpus = self.cpus
        if self.chunk_size:
            size = self.chunk_size
        elif isinstance(items, Sequence):  # a few chunks per CPU, so none waits on one
            size = max(1, min(64, math.ceil(len(items) / (4 * cpus))))
        else:
            size = _STREAM_CHUNK
        window = self.in_flight or 2 * cpus
        fn_ref = self._ray.put(fn)  # pickled and stored once, not once per task
        pending: deque[tuple[list[T], Any]] = deque()
        stream = iter(items)
        try:
            while chunk := list(islice(stream, size)):
                pending.append((chunk, self._chunk_task.remote(fn_ref, chunk)))
                if len(pending) >= window:
                    yield from self._read(fn_ref, *pending.popleft())
            while pending:
                yield from self._read(fn_ref, *pending.popleft())
        finally:  # the caller stopped reading (or failed): free the workers
            for _, ref in pending:
                self._ray.cancel(ref)

    def _read(self, fn_ref: Any, chunk: list[Any], ref: Any) -> Iterator[Any]:
        ray = self._ray
        try:
            outcomes = ray.get(ref)
        except ray.exceptions.RayError:
            # The worker died with the chunk: run each item alone so only the culprit fails.
            singles = [self._item_task.remote(fn_ref, [item]) for item in chunk]
            outcomes = [self._single(ref) for ref in singles]
        for item, outcome in zip(chunk, outcomes, strict=True):
            if outcome.node is not None:
                self.nodes[outcome.node] += 1
            if outcome.error is None:
                yield _with_input(outcome.value, item)
            else:
                yield self.on_error(item, outcome.error)

    def _single(self, ref: Any) -> _Outcome:
        ray = self._ray
        try:
            return ray.get(ref)[0]
        except ray.exceptions.RayError as exc:
            first_line = (str(exc).strip().splitlines() or [""])[0][:200]
            return _Outcome(error=f"failed in Ray ({type(exc).__name__}): {first_line}")
