"""Who runs a pipeline run, and whether that process is still alive: how the store tells a
killed run (still marked "running") from one that is really going on.

A run records its host, pid and the process's start time (psutil ``create_time``), and the
next run that starts marks earlier runs "interrupted" only when they are known to be dead:

- PostgreSQL: a live run holds a session advisory lock keyed by its id for its whole life.
  The server drops the lock the moment the run's connection ends, whichever way the process
  died (kill -9, out of memory, a lost host once TCP keepalives give up), so "the lock can
  be taken" means "nobody runs it", for runs on any machine, with no clock involved.
- SQLite: every process using a WAL database must be on the same host (WAL shares memory),
  so host + pid answer it exactly: a run of this host whose pid is gone, is a zombie, or now
  belongs to a process started at another time (pid reused, machine rebooted) is dead. A
  run recorded by another host cannot be looked at and counts as alive.

A heartbeat column (a run is dead when its time stops moving) was the other choice; it
needs a thread writing every few seconds and a staleness threshold, and a paused or slow
run past that threshold would be taken for dead. Neither rule above guesses from time.
Runs recorded before these columns existed (pid NULL) are never judged: nothing shows
whether their process lives. One case errs the other way: if PostgreSQL drops a live run's
connection (a server restart, ``idle_session_timeout``, pgbouncer in transaction mode, which
cannot hold session locks at all), the run may be marked interrupted while it goes on; its
own ``finish_run`` then records how it really ended.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import psutil

# The pipeline's status for a run whose process died before it could record an end.
INTERRUPTED = "interrupted"
RUNNING = "running"

# Advisory lock of a run on PostgreSQL: two int4 keys (a key space apart from the one-bigint
# lock the migrations take), the second naming the schema too since tests share a database.
RUN_LOCK_KEYS = "hashtext('newsdesk run'), hashtext(current_schema() || '/' || :run_id)"
# Applied to the connection that holds a run's lock: the server gives up on a vanished
# client after about idle + interval * count seconds (ignored on Unix-socket connections).
KEEPALIVE_SETTINGS = {
    "tcp_keepalives_idle": 60,
    "tcp_keepalives_interval": 10,
    "tcp_keepalives_count": 6,
}


@dataclass(frozen=True)
class ProcessId:
    """A process as a run records it: host, pid and the process's start time."""

    host: str
    pid: int
    started: str | None  # None where the start time cannot be read


def _start_time(process: psutil.Process) -> str:
    # Formatted, so the same process gives the same text every time it is read.
    return f"{process.create_time():.3f}"


def this_process() -> ProcessId:
    """This process (read again on each call: a forked child is another process)."""
    try:
        started: str | None = _start_time(psutil.Process())
    except psutil.Error:
        started = None
    return ProcessId(socket.gethostname(), os.getpid(), started)


def process_alive(host: str | None, pid: int | None, started: str | None) -> bool:
    """False only when the recorded process is certainly gone (see the module docstring)."""
    if pid is None or host != socket.gethostname():
        return True  # unknown owner, or another machine's process: cannot tell, assume alive
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False  # killed, not yet reaped by its parent
        return started is None or _start_time(process) == started
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # e.g. access denied: it exists, we may not look at it
        return True
