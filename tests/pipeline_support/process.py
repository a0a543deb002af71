"""``newsdesk run`` as a real process in a test: started, watched through its store, killed.

For the tests that stop a run from outside (kill -9, SIGTERM) and check what the next run
makes of the store it left.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO


def count_rows(db: Path, table: str) -> int:
    """Rows in a table of a store another process is writing (0 while it does not exist)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def run_process(sources: list[str], db: Path, out: Path) -> subprocess.Popen[bytes]:
    """``newsdesk run`` over ``sources`` into ``db`` and the site ``out``; stderr piped."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "NEWSDESK_HOST_INTERVAL": "0",  # no politeness delay against the test's own server
        "NEWSDESK_HTTP_RETRIES": "0",
    }
    args = ["run", *sources, "--db", str(db), "--out", str(out), "--allow-private"]
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], limit: float) -> bool:
    """SIGKILL the run once ``ready()`` holds; False when it finished first."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.02)
    if proc.poll() is None:  # the moment never came: kill anyway, it still counts
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True
    return False
