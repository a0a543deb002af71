"""A `newsdesk run` sent SIGTERM (docker stop, systemd, a CI timeout) stops as Ctrl-C does:
it records "interrupted" itself, exits 143, and the next run finishes with the store an
uninterrupted sequence of runs makes.

The stopped run reads a folder an earlier run stored, then a page from a server on
127.0.0.1 that holds its answer until the test lets it go (the client's timeout set far
beyond the test's), so the signal always lands mid-run: the test waits for the server to
see the request (an event, not a time).
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from newsdesk.cli.run_cmd import SIGTERM_EXIT
from newsdesk.store import open_store
from tests.pipeline_support.corpus import single_docs, write_docs
from tests.pipeline_support.dump import canonical_dump
from tests.pipeline_support.process import count_rows, run_process
from tests.pipeline_support.server import QuietServer, serving

DEADLINE = 300.0  # generous: a cold start and a full run on a loaded 2-core machine


class _HeldPage:
    """Serves one HTML page that is held back until ``release`` is set; robots.txt is 404."""

    def __init__(self, body: bytes) -> None:
        self.requested = threading.Event()
        self.release = threading.Event()
        held = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path != "/held":
                    self.send_error(404)
                    return
                held.requested.set()
                held.release.wait(DEADLINE)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the run that asked is gone

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/held"

    @contextmanager
    def running(self) -> Iterator[_HeldPage]:
        with serving(self.server):
            try:
                yield self
            finally:
                self.release.set()  # a request still held is answered, not left waiting


def _wait_for(ready: Callable[[], bool], stop: Callable[[], bool]) -> bool:
    """True once ``ready()`` holds; False when ``stop()`` does first or the deadline passes."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if ready():
            return True
        if stop():
            return False
        time.sleep(0.05)
    return False


def _finish(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        _, err = proc.communicate(timeout=DEADLINE)
        assert proc.returncode == 0, err.decode(errors="replace")[-2000:]


def test_sigterm_records_interrupted_and_the_next_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The held request must end by the signal, never by the client giving up on it.
    monkeypatch.setenv("NEWSDESK_HTTP_TIMEOUT", str(DEADLINE * 2))
    docs = single_docs(21)
    pages = write_docs(tmp_path / "pages", docs[:-1])
    held = _HeldPage(docs[-1].body)
    db, site = tmp_path / "s.db", tmp_path / "site"
    ref_db, ref_site = tmp_path / "reference.db", tmp_path / "ref-site"
    with held.running():
        # The same runs on both stores, but for the SIGTERM: first the folder alone...
        _finish(run_process([str(pages)], db, site), run_process([str(pages)], ref_db, ref_site))
        stored = count_rows(db, "pages")
        assert stored == len(docs) - 1

        # ...then the folder and the held page, stopped while the page is held.
        sources = [str(pages), held.url]
        proc = run_process(sources, db, site)
        try:
            mid_run = _wait_for(held.requested.is_set, stop=lambda: proc.poll() is not None)
            assert mid_run, f"the run never asked for the held page (exit {proc.poll()})"
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=DEADLINE)
        finally:
            held.release.set()  # from now on the page is served at once
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        stderr = err.decode(errors="replace")
        assert proc.returncode == SIGTERM_EXIT == 143, stderr[-2000:]
        assert "SIGTERM" in stderr and "Traceback" not in stderr
        with open_store(db) as store:
            stopped = next(r for r in store.list_runs() if r.pid == proc.pid)
            # Recorded by the run itself, not left "running" for the next run to judge.
            assert stopped.status == "interrupted" and stopped.finished_at is not None
            assert stopped.stats["failures"] == []  # the held page is not a failure
            assert store.list_failures() == []
        assert count_rows(db, "pages") == stored  # what earlier runs stored is all there

        _finish(run_process(sources, db, site), run_process(sources, ref_db, ref_site))

    with open_store(db) as store:
        statuses = sorted(r.status for r in store.list_runs())
        got = canonical_dump(store)
    assert statuses == ["interrupted", "ok", "ok"]
    with open_store(ref_db) as store:
        expected = canonical_dump(store)
    assert len(expected["pages"]) == len(docs)
    for part in expected:
        assert got[part] == expected[part], f"{part} differ after the SIGTERM"
    names = {p.relative_to(site) for p in site.rglob("*") if p.is_file()}
    assert names == {p.relative_to(ref_site) for p in ref_site.rglob("*") if p.is_file()}
