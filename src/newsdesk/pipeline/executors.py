"""How blocks are scheduled: the executor and progress protocols, and the in-process executor.

An executor maps a block over items and yields the results in input order; the pipeline
never knows which one runs it. ``LocalExecutor`` runs blocks in this process (in order,
or on a few threads for blocks that wait on a server); ``newsdesk.runners.ray`` runs the
very same blocks on Ray.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a function over items and yields results in input order."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]: ...


class Progress(Protocol):
    """What the pipeline tells a progress display (the CLI's rich bars, or nothing)."""

    def start(self, stage: str, total: int | None = None) -> None: ...

    def advance(self, stage: str, amount: int = 1) -> None: ...


class NoProgress:
    """A progress display that shows nothing."""

    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, stage: str, amount: int = 1) -> None:
        pass


class LocalExecutor:
    """Maps a function over items, results in input order.

    ``threads=1`` (the default) runs inline; more threads help stages that wait on a
    server (the LLM writer), not CPU-bound ones (the GIL).
    """

    def __init__(self, threads: int = 1) -> None:
        self.threads = max(1, threads)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        if self.threads == 1 or len(items) <= 1:
            yield from (fn(item) for item in items)
            return
        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            # Each result is handed on as soon as it and those before it are done, so the
            # pipeline stores it at once and a killed run loses only work in flight.
            yield from pool.map(fn, items)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items in order (itertools.batched arrives in Python 3.12)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
