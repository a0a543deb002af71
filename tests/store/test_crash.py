"""A run killed with SIGKILL mid-batch, then started again, ends with the same store.

A child process runs a small pipeline (``crash_worker``) over real articles, stops at a
known point (between two writes of a batch, or inside an open transaction) and is killed
there with SIGKILL. Nothing of the open transaction may show; after a restart every row
(wall-clock columns aside) must equal those of a run that was never interrupted.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any

from newsdesk.store import schema as t
from tests.store import crash_worker
from tests.store.conftest import Target, Targets, dump
from tests.store.data import uci_sample

# forkserver: children fork from a small single-threaded server process, so they start
# fast (no fresh interpreter per child) and inherit no lock held by another test's thread.
CONTEXT = multiprocessing.get_context("forkserver")
# Imported once in the server, not again in every child (a no-op if it already runs).
CONTEXT.set_forkserver_preload(["tests.store.crash_worker", "tests.store.test_crash"])


def _child(target: Target, where: str, batch: int, paused: Any) -> None:
    with target.open() as store:
        crash_worker.run(store, pause_at=batch, pause_where=where, on_pause=paused.set)


def _run_until_killed(target: Target, where: str, batch: int) -> None:
    paused = CONTEXT.Event()
    process = CONTEXT.Process(target=_child, args=(target, where, batch, paused), daemon=True)
    process.start()
    try:
        assert paused.wait(timeout=120), "the worker never reached its pause"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.join(timeout=60)
        if process.is_alive():
            process.kill()
    assert process.exitcode == -signal.SIGKILL


def test_killed_run_restarted_equals_uninterrupted_run(targets: Targets) -> None:
    uci_sample(1)  # skip early, saying why, when the shared data is absent
    reference, crashed = targets.new(), targets.new()
    with reference.open() as store:
        crash_worker.run(store)
    expected = _engine_dump(reference)
    assert len(expected["articles"]) > 50 and len(expected["drafts"]) > 5

    # Killed between two writes of a batch, then again inside an open transaction.
    for where, batch in (("between", 2), ("inside", 5)):
        _run_until_killed(crashed, where, batch)
        with crashed.open() as store:
            # The killed batch is not done; the batches before it are.
            assert store.get_page_state(f"batch-{batch:03d}") is None
            assert store.get_page_state(f"batch-{batch - 1:03d}").status == "done"
            assert store.get_state("cursor") == str(batch - 1)  # nothing of the open transaction
            assert store.list_drafts() == []
        partial = _engine_dump(crashed)
        assert len(partial["articles"]) < len(expected["articles"])

    with crashed.open() as store:  # started again: runs to the end
        crash_worker.run(store)
    assert _engine_dump(crashed) == expected


def _engine_dump(target: Target) -> dict:
    engine = target.engine()
    try:
        found = dump(engine)
    finally:
        engine.dispose()
    assert set(found) == set(t.metadata.tables)
    return found
