"""Runs killed mid-way show as "interrupted" once the next run starts; live runs never do.

A child process starts a run and waits; the test starts runs of its own beside it (the
child's run stays "running"), kills the child with SIGKILL and starts another run, which
marks the child's run "interrupted". Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from typing import Any

import psutil
import pytest
import sqlalchemy as sa

from newsdesk.store import Store, StoreError
from newsdesk.store import schema as t
from newsdesk.store.runs import process_alive, this_process
from tests.store.conftest import Target, Targets

# Children fork from a single-threaded server (see test_crash): no lock held by a thread.
CONTEXT = multiprocessing.get_context("forkserver")


def _child_run(target: Target, run_id: str, started: Any) -> None:
    store = target.open()
    store.start_run(run_id)
    started.set()
    time.sleep(120)  # the test kills us here; the sleep only bounds a forgotten child


def _start_child_run(target: Target, run_id: str) -> Any:
    started = CONTEXT.Event()
    process = CONTEXT.Process(target=_child_run, args=(target, run_id, started), daemon=True)
    process.start()
    assert started.wait(timeout=120), "the child never started its run"
    return process


def _kill(process: Any) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=60)
    assert process.exitcode == -signal.SIGKILL


def _wait_until_lock_is_gone(store: Store, run_id: str) -> None:
    """PostgreSQL frees a killed client's locks once it reads the closed socket: wait for it
    (a condition, not a duration; SQLite has no lock and returns at once)."""
    if store.dialect != "postgresql":
        return
    held = sa.text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2"
        " AND classid = (hashtext('newsdesk run')::bigint & 4294967295)::oid"
        " AND objid = (hashtext(current_schema() || '/' || :run_id)::bigint & 4294967295)::oid"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with store.engine.connect() as conn:
            if not conn.execute(held, {"run_id": run_id}).scalar():
                return
        time.sleep(0.05)
    raise AssertionError(f"the killed run's lock on {run_id!r} was never released")


def test_killed_run_is_marked_interrupted_by_the_next_run(target: Target) -> None:
    with target.open() as store:
        store.start_run("finished")
        store.finish_run("finished", "ok", {"pages": 1})
        child = _start_child_run(target, "killed")
        try:
            # Beside a live run: this run starts, the child's run is left alone.
            store.start_run("beside")
            assert store.get_run("killed").status == "running"
            assert store.mark_interrupted_runs() == []
            child_run = store.get_run("killed")
            assert child_run.pid == child.pid and child_run.host == this_process().host
        finally:
            _kill(child)
        _wait_until_lock_is_gone(store, "killed")

        store.start_run("next")  # the next run that starts notices the dead one
        killed = store.get_run("killed")
        assert killed.status == "interrupted" and killed.finished_at is None
        # This process's runs are alive, the finished one keeps its status and counts.
        assert store.get_run("beside").status == "running"
        assert store.get_run("next").status == "running"
        assert store.get_run("finished").status == "ok"
        assert store.get_run("finished").stats == {"pages": 1}
        assert store.mark_interrupted_runs() == []  # nothing left to mark

        # A killed run started again under its id runs again, then finishes normally.
        store.start_run("killed")
        assert store.get_run("killed").status == "running"
        for run_id in ("beside", "next", "killed"):
            store.finish_run(run_id, "ok")
        assert {r.status for r in store.list_runs()} == {"ok"}


def test_two_live_stores_do_not_interrupt_each_other(target: Target) -> None:
    with target.open() as first, target.open() as second:
        first.start_run("one")
        second.start_run("two")
        first.start_run("three")
        assert {r.id: r.status for r in second.list_runs()} == {
            "one": "running",
            "two": "running",
            "three": "running",
        }
        first.finish_run("one", "ok")
        assert second.mark_interrupted_runs() == []
        assert second.get_run("one").status == "ok"


def test_closing_a_store_interrupts_its_unfinished_run(target: Target) -> None:
    with target.open() as store:
        store.start_run("abandoned")
        store.start_run("done")
        store.finish_run("done", "failed")
    with target.open() as store:
        assert store.get_run("abandoned").status == "interrupted"
        assert store.get_run("done").status == "failed"


def test_runs_recorded_without_their_process_are_left_alone(target: Target) -> None:
    """Runs from before revision 0002 have no pid: nothing says whether they live."""
    with target.open() as store:
        with store.engine.begin() as conn:
            conn.execute(
                t.runs.insert().values(
                    id="old", started_at="2026-11-01T00:00:00+00:00", status="running", stats={}
                )
            )
        store.start_run("new")
        assert store.get_run("old").status == "running"
        assert store.get_run("old").pid is None


def test_a_run_id_running_elsewhere_cannot_be_started_again(
    target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    with target.open() as first, target.open() as second:
        if first.dialect != "postgresql":
            pytest.skip("only PostgreSQL holds a lock per run (SQLite judges by pid)")
        monkeypatch.setattr("newsdesk.store.runs._RUN_LOCK_WAIT", "100ms")
        first.start_run("busy")
        with pytest.raises(StoreError, match="'busy' is running in another process"):
            second.start_run("busy")
        assert first.get_run("busy").status == "running"
        first.finish_run("busy", "ok")
        second.start_run("busy")  # free once it finished
        assert second.get_run("busy").pid == os.getpid()


def test_the_same_run_id_in_two_stores_of_one_database(targets: Targets) -> None:
    """Sites (and tests) share one PostgreSQL database across schemas: their runs' locks
    must not meet."""
    with targets.new().open() as one, targets.new().open() as other:
        one.start_run("same")
        other.start_run("same")
        assert one.get_run("same").status == other.get_run("same").status == "running"
        one.close()
        assert other.mark_interrupted_runs() == []
        assert other.get_run("same").status == "running"


# -- the process check SQLite relies on (no store needed) -----------------------------------


def test_process_alive_tells_dead_from_live_processes() -> None:
    me = this_process()
    assert process_alive(me.host, me.pid, me.started)
    # Another host's process cannot be looked at: assumed alive. No owner: alive too.
    assert process_alive(me.host + "-elsewhere", me.pid, me.started)
    assert process_alive(None, None, None)
    # Our pid with another start time: the pid was reused (or the machine rebooted).
    assert not process_alive(me.host, me.pid, "12.000")

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        started = f"{psutil.Process(child.pid).create_time():.3f}"
        assert process_alive(me.host, child.pid, started)
        child.kill()
        # Killed but not reaped yet: a zombie is dead (wait for the state, not for a time).
        deadline = time.monotonic() + 60
        while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, "the killed child never became a zombie"
            time.sleep(0.01)
        assert not process_alive(me.host, child.pid, started)
    finally:
        child.kill()
        child.wait()
    assert not process_alive(me.host, child.pid, started)  # reaped: no such process
