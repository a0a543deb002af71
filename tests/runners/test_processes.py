"""The process runner: results in input order, bounded reading, a dying worker fails only
its own item, and the pages of a folder extracted on workers equal those extracted here."""

from __future__ import annotations

import os
import time

import pytest

from newsdesk.runners.processes import WORKER_DIED, ProcessExecutor


def square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def dies_on_seven(n: int) -> int:
    if n == 7:
        os._exit(3)  # what a crash in a C library or the OOM killer looks like to the pool
    return n + 100


def test_results_in_input_order_from_several_processes() -> None:
    with ProcessExecutor(workers=2, chunk=3) as pool:
        results = list(pool.map(square_with_pid, range(50)))
    assert [value for value, _ in results] == [n * n for n in range(50)]
    assert len({pid for _, pid in results} - {os.getpid()}) >= 1


def frozen_objects(_: int) -> tuple[int, int]:
    import gc

    return gc.get_freeze_count(), os.getpid()


def test_workers_inherit_this_process_objects_frozen_for_the_collector() -> None:
    """The objects a worker inherits at the fork are left out of its garbage collections
    (gc.freeze), while this process goes on collecting its own."""
    import gc

    held = [{"inherited": n} for n in range(20_000)]  # tracked objects the workers inherit
    assert gc.get_freeze_count() == 0
    with ProcessExecutor(workers=2, chunk=1) as pool:
        results = list(pool.map(frozen_objects, range(8)))
    in_workers = [count for count, pid in results if pid != os.getpid()]
    assert in_workers and all(count >= len(held) for count in in_workers)
    assert gc.get_freeze_count() == 0  # unfrozen here once the workers were forked


def test_one_item_runs_here_without_a_process() -> None:
    with ProcessExecutor(workers=2) as pool:
        [(value, pid)] = list(pool.map(square_with_pid, [4]))
    assert value == 16 and pid == os.getpid()


def test_items_are_read_only_a_window_ahead() -> None:
    read: list[int] = []

    def items():
        for n in range(1000):
            read.append(n)
            yield n

    with ProcessExecutor(workers=2, chunk=2, ahead=2) as pool:
        results = pool.map(square_with_pid, items())
        first = next(results)
        assert first[0] == 0
        assert len(read) <= 2 * 2 * 2 + 2  # workers * ahead chunks of 2, and the next one
        rest = [value for value, _ in results]
    assert rest == [n * n for n in range(1, 1000)]


def test_a_dying_worker_fails_only_its_item() -> None:
    with ProcessExecutor(workers=2, chunk=4, on_error=lambda item, why: (item, why)) as pool:
        results = list(pool.map(dies_on_seven, range(20)))
    assert results[7] == (7, WORKER_DIED)
    assert results[:7] + results[8:] == [n + 100 for n in range(20) if n != 7]


def test_workers_default_to_the_idle_cores(monkeypatch) -> None:
    from newsdesk.pipeline import processes

    monkeypatch.setattr(processes, "available_cpus", lambda: 4)
    monkeypatch.setattr(processes, "busy_cpus", lambda: 1.2)
    assert ProcessExecutor().workers == 3
    monkeypatch.setattr(processes, "busy_cpus", lambda: 9.0)
    assert ProcessExecutor().workers == 1  # a busy shared machine: work here alone
    assert ProcessExecutor(2).workers == 2  # NEWSDESK_WORKERS or the caller decides


def test_busy_cores_are_read_from_the_machine_now_not_the_load_average() -> None:
    """A process spinning on a core shows as about one busy core; the 1-minute load
    average, which still counts finished jobs, is not what is read."""
    import multiprocessing

    from newsdesk.pipeline import processes

    if processes._cpu_times() is None:
        pytest.skip("no /proc/stat on this system")
    stop = multiprocessing.Event()
    spinner = multiprocessing.Process(target=_spin, args=(stop,))
    spinner.start()
    try:
        time.sleep(0.2)
        processes.busy_cpus.cache_clear()
        processes._first_reading = None  # read over the spinner's time, not an earlier one
        busy = processes.busy_cpus()
    finally:
        stop.set()
        spinner.join()
        processes.busy_cpus.cache_clear()
    assert busy >= 0.5  # the spinner's core, whatever else the machine is doing


def _spin(stop) -> None:
    while not stop.is_set():
        pass


def test_a_reading_taken_at_start_up_spares_the_wait(monkeypatch) -> None:
    """The first reading of the CPU counters, taken when the process started, makes the
    window: once it has passed, deciding the workers waits no more."""
    from newsdesk.pipeline import processes

    if processes._cpu_times() is None:
        pytest.skip("no /proc/stat on this system")
    slept: list[float] = []
    processes._first_reading = None
    processes.start_reading_cpus()
    deadline = time.monotonic() + 0.15
    while time.monotonic() < deadline:  # this process busy meanwhile, as at start-up
        pass
    monkeypatch.setattr(processes.time, "sleep", slept.append)
    processes.busy_cpus.cache_clear()
    try:
        busy = processes.busy_cpus()
    finally:
        processes.busy_cpus.cache_clear()
    assert slept == []
    assert 0.0 <= busy <= (os.cpu_count() or 1)


def test_an_executor_made_after_start_up_keeps_the_start_up_reading() -> None:
    """The reading the CLI took as it loaded is the window's start: an executor made later
    does not start the window again (it would wait the whole window after all)."""
    from newsdesk.pipeline import processes

    if processes._cpu_times() is None:
        pytest.skip("no /proc/stat on this system")
    processes._first_reading = None
    processes.start_reading_cpus()
    first = processes._first_reading
    ProcessExecutor()
    assert processes._first_reading is first
