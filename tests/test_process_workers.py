"""Worker processes of the pipeline's process pool end with the run that started them,
even when the run is killed with SIGKILL (nothing then shuts the pool down)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

RUN = """
import os, sys, time
from newsdesk.pipeline.processes import ProcessExecutor

def worker_pid(_item):
    return os.getpid()

with ProcessExecutor(workers=2) as pool:
    pids = sorted(set(pool.map(worker_pid, range(64))))
    print(" ".join(map(str, pids)), flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_end_when_the_run_is_killed() -> None:
    run = subprocess.Popen([sys.executable, "-c", RUN], stdout=subprocess.PIPE, text=True)
    try:
        # the pool runs an item in the run's own process too (the first, alone): leave it out
        pids = [int(p) for p in run.stdout.readline().split() if int(p) != run.pid]  # type: ignore[union-attr]
        assert pids
        assert all(psutil.pid_exists(pid) for pid in pids)
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + 15
        alive = pids
        while alive and time.monotonic() < deadline:
            time.sleep(0.1)
            alive = [
                pid
                for pid in pids
                if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
            ]
        assert alive == [], f"workers left running after their run was killed: {alive}"
    finally:
        if run.poll() is None:
            run.kill()
