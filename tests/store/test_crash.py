"""A run killed with SIGKILL mid-batch, then started again, ends with the same store.

The child process is a small pipeline run (``crash_worker``) over real articles. It stops
at a known point (between two writes, or inside an open transaction) and is killed there
with SIGKILL; nothing of the open transaction may show, and after a restart every row
(wall-clock columns aside) must equal those of a run that was never interrupted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from newsdesk.store import schema as t
from tests.conftest import REPO
from tests.store import crash_worker
from tests.store.conftest import Target, Targets, dump
from tests.store.data import uci_sample


def _worker(target: Target, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.store.crash_worker",
            target.url,
            target.schema or "-",
            *extra,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(target: Target) -> None:
    proc = _worker(target)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert out.rstrip().endswith("done"), out


def _kill_when_paused(target: Target, where: str, batch: int) -> str:
    proc = _worker(target, "--pause-at", str(batch), "--pause-where", where)
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        for line in proc.stdout:
            seen.append(line.strip())
            if line.strip() == "paused":
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        _, err = proc.communicate(timeout=60)
    assert seen[-1:] == ["paused"], f"worker never paused: {seen} {err}"
    assert proc.returncode == -signal.SIGKILL
    return "\n".join(seen)


def test_killed_run_restarted_equals_uninterrupted_run(targets: Targets) -> None:
    uci_sample(1)  # skip early, saying why, when the shared data is absent
    reference, crashed = targets.new(), targets.new()
    with reference.open() as store:  # the uninterrupted run, in this process
        crash_worker.run(store, pause_at=None, pause_where="inside")
    expected = _engine_dump(reference)
    assert len(expected["articles"]) > 50 and len(expected["drafts"]) > 5

    # Killed between two writes of a batch, then again inside an open transaction.
    for where, batch in (("between", 2), ("inside", 5)):
        _kill_when_paused(crashed, where, batch)
        with crashed.open() as store:
            # The killed batch is not done; the batches before it are.
            assert store.get_page_state(f"batch-{batch:03d}") is None
            assert store.get_page_state(f"batch-{batch - 1:03d}").status == "done"
            assert store.get_state("cursor") == str(batch - 1)  # nothing of the open transaction
            assert store.list_drafts() == []
        partial = _engine_dump(crashed)
        assert len(partial["articles"]) < len(expected["articles"])

    _finish(crashed)
    assert _engine_dump(crashed) == expected


def _engine_dump(target: Target) -> dict:
    engine = target.engine()
    try:
        found = dump(engine)
    finally:
        engine.dispose()
    assert set(found) == set(t.metadata.tables)
    return found
