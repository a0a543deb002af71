"""Runs and their failures in the store (``RunStore``), and who runs a run and whether that
process is still alive: how the store tells a killed run (still marked "running") from one
that is really going on.

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
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psutil
import sqlalchemy as sa

from newsdesk.store import schema as t
from newsdesk.store.database import Database, drop_connection
from newsdesk.store.errors import StoreError
from newsdesk.store.records import Failure, RunRecord
from newsdesk.store.times import now_iso

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
# How long a run waits for its id's lock: a run killed a moment ago holds it until the
# server notices its closed socket; a run of that id alive elsewhere holds it for good.
_RUN_LOCK_WAIT = "15s"


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


class RunStore(Database):
    """Runs and failures: ``start_run``, ``finish_run``, ``get_run``, ``list_runs``,
    ``mark_interrupted_runs``, ``record_failure``, ``list_failures``.

    On PostgreSQL a live run holds its advisory lock on a connection of its own until
    ``finish_run`` or ``close``; ``close`` marks runs started here and not finished
    ``"interrupted"``.
    """

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        schema: str | None = None,
        migrate: bool = True,
    ) -> None:
        # PostgreSQL: the connection holding each live run's advisory lock (see start_run).
        self._run_locks: dict[str, sa.Connection] = {}
        self._open_runs: set[str] = set()  # started here, not finished yet
        self._run_locks_guard = threading.Lock()
        super().__init__(url, schema=schema, migrate=migrate)

    def close(self) -> None:
        """Release every connection. The store cannot be used afterwards.

        A run started here and not finished is marked ``"interrupted"``: nothing can finish
        it any more (best effort: a store that cannot be reached is closed all the same).
        """
        with self._run_locks_guard:
            held, self._run_locks = list(self._run_locks.values()), {}
            unfinished, self._open_runs = sorted(self._open_runs), set()
        try:
            if unfinished:
                self._mark_own_runs_interrupted(unfinished)
        except sa.exc.SQLAlchemyError:
            pass  # the next run's check marks them once it sees the process is gone
        finally:
            for conn in held:
                drop_connection(conn)
            super().close()

    def start_run(self, run_id: str | None = None) -> str:
        """Record a run as started by this process and return its id (a new one when ``None``).

        Starting a run id that exists (a restarted run) keeps its first start time and
        sets it running again. Then earlier runs whose process died without finishing
        them are marked ``"interrupted"`` (``mark_interrupted_runs``). On PostgreSQL the run
        holds an advisory lock until ``finish_run`` or ``close``; a run id already running
        in a live process raises ``StoreError``.
        """
        run_id = run_id or f"{now_iso()[:19].replace(':', '')}-{uuid.uuid4().hex[:8]}"
        owner = this_process()
        row = {
            "id": run_id,
            "started_at": now_iso(),
            "finished_at": None,
            "status": RUNNING,
            "stats": {},
            "host": owner.host,
            "pid": owner.pid,
            "process_started": owner.started,
        }
        if self.dialect == "postgresql":
            # Locked before the row says "running", so no other run sees it unlocked.
            self._hold_run_lock(run_id)
        update = ["finished_at", "status", "host", "pid", "process_started"]
        try:
            with self._begin(write=True) as conn:
                self._upsert(conn, t.runs, [row], ["id"], update)
        except BaseException:
            self._release_run_lock(run_id)
            raise
        with self._run_locks_guard:
            self._open_runs.add(run_id)
        self.mark_interrupted_runs()
        return run_id

    def mark_interrupted_runs(self) -> list[str]:
        """Mark ``"interrupted"`` every run still ``"running"`` whose process is dead; their ids.

        Dead means: on PostgreSQL, nobody holds the run's advisory lock; on SQLite, the run's
        pid on this host is gone or is another process now (``newsdesk.store.runs`` says
        why these rules). Live runs, runs of other hosts on SQLite and runs recorded
        before the store kept their process are left as they are. A run that finishes
        while this looks at it keeps its own status (the update is conditional).
        """
        c = t.runs.c
        candidates = sa.select(c.id, c.host, c.pid, c.process_started).where(
            c.status == RUNNING, c.pid.is_not(None)
        )
        with self._begin() as conn:
            if not conn.execute(candidates.limit(1)).first():
                return []  # the common case: no write lock taken
        marked: list[str] = []
        with self._begin(write=True) as conn:
            for row in conn.execute(candidates).all():
                if self.dialect == "postgresql":
                    # Held until this transaction ends: a restart of that run id waits.
                    lock = f"SELECT pg_try_advisory_xact_lock({RUN_LOCK_KEYS})"
                    dead = bool(conn.execute(sa.text(lock), {"run_id": row.id}).scalar())
                else:
                    dead = not process_alive(row.host, row.pid, row.process_started)
                if not dead:
                    continue
                done = conn.execute(
                    t.runs.update()
                    .where(
                        c.id == row.id,
                        c.status == RUNNING,
                        c.host == row.host,
                        c.pid == row.pid,
                        c.process_started.is_not_distinct_from(row.process_started),
                    )
                    .values(status=INTERRUPTED)
                )
                if done.rowcount:
                    marked.append(row.id)
        return marked

    def _mark_own_runs_interrupted(self, run_ids: Sequence[str]) -> None:
        c = t.runs.c
        owner = this_process()
        with self._begin(write=True) as conn:
            conn.execute(
                t.runs.update()
                .where(
                    c.id.in_(run_ids),
                    c.status == RUNNING,
                    c.host == owner.host,
                    c.pid == owner.pid,
                )
                .values(status=INTERRUPTED)
            )

    def _hold_run_lock(self, run_id: str) -> None:
        """Take the run's session advisory lock on a connection kept until the run ends."""
        with self._run_locks_guard:
            if run_id in self._run_locks:
                return  # started again by this store: it holds the lock already
            conn = self.engine.connect()
            try:
                for name, value in KEEPALIVE_SETTINGS.items():
                    conn.exec_driver_sql(f"SET {name} = {int(value)}")
                # A just-killed holder's lock lasts until the server sees its socket close.
                conn.exec_driver_sql(f"SET lock_timeout = '{_RUN_LOCK_WAIT}'")
                conn.execute(
                    sa.text(f"SELECT pg_advisory_lock({RUN_LOCK_KEYS})"), {"run_id": run_id}
                )
                conn.commit()
            except sa.exc.OperationalError as exc:
                drop_connection(conn)
                if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                    raise StoreError(f"run {run_id!r} is running in another process") from exc
                raise StoreError(f"cannot start run {run_id!r}: {exc.orig}") from exc
            except BaseException:
                drop_connection(conn)
                raise
            self._run_locks[run_id] = conn

    def _release_run_lock(self, run_id: str) -> None:
        with self._run_locks_guard:
            conn = self._run_locks.pop(run_id, None)
        if conn is not None:
            drop_connection(conn)

    def finish_run(
        self, run_id: str, status: str = "ok", stats: dict[str, Any] | None = None
    ) -> None:
        """Record how a run ended and its counts (a run never started is recorded too)."""
        now = now_iso()
        row = {
            "id": run_id,
            "started_at": now,
            "finished_at": now,
            "status": status,
            "stats": dict(stats or {}),
        }
        with self._begin(write=True) as conn:
            self._upsert(conn, t.runs, [row], ["id"], ["finished_at", "status", "stats"])
        # After the status is written: a run that sees the lock free sees the status too.
        with self._run_locks_guard:
            self._open_runs.discard(run_id)
        self._release_run_lock(run_id)

    @staticmethod
    def _run(row: Any) -> RunRecord:
        return RunRecord(
            id=row.id,
            started_at=row.started_at,
            finished_at=row.finished_at,
            status=row.status,
            stats=dict(row.stats or {}),
            host=row.host,
            pid=row.pid,
        )

    def get_run(self, run_id: str) -> RunRecord | None:
        """The run with this id, or ``None``."""
        with self._begin() as conn:
            row = conn.execute(sa.select(t.runs).where(t.runs.c.id == run_id)).first()
        return self._run(row) if row is not None else None

    def list_runs(self, limit: int | None = 20) -> list[RunRecord]:
        """Runs, most recently started first."""
        query = sa.select(t.runs).order_by(t.runs.c.started_at.desc(), t.runs.c.id)
        if limit is not None:
            query = query.limit(max(0, limit))
        with self._begin() as conn:
            return [self._run(r) for r in conn.execute(query)]

    def record_failure(
        self, source: str, stage: str, reason: str, run_id: str | None = None
    ) -> None:
        """Record that ``source`` failed at ``stage`` (extract, cluster, write, ...) and why.

        Keyed by ``(run_id, source, stage)``: recording it again replaces the reason (and
        keeps the first time). ``run_id=None`` records it outside any run (as ``""``).
        """
        row = {
            "run_id": run_id or "",
            "source": source,
            "stage": stage,
            "reason": reason,
            "at": now_iso(),
        }
        with self._begin(write=True) as conn:
            self._upsert(conn, t.failures, [row], ["run_id", "source", "stage"], ["reason"])

    def list_failures(self, run_id: str | None = None) -> list[Failure]:
        """Failures of one run, or of all runs when ``run_id`` is ``None``, oldest first."""
        c = t.failures.c
        query = sa.select(t.failures).order_by(c.at, c.run_id, c.source, c.stage)
        if run_id is not None:
            query = query.where(c.run_id == run_id)
        with self._begin() as conn:
            return [
                Failure(run_id=r.run_id, source=r.source, stage=r.stage, reason=r.reason, at=r.at)
                for r in conn.execute(query)
            ]
