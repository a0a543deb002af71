"""`newsdesk run` killed at any moment and started again ends with the store of an
uninterrupted run; dead feeds and bad pages are reported and the run goes on."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.pipeline import RunOptions, run_pipeline
from newsdesk.store import open_store
from tests.conftest import REPO
from tests.pipeline_support.corpus import (
    base_time,
    cluster_docs,
    seed_doc,
    single_docs,
    story_clusters,
    write_docs,
)
from tests.pipeline_support.dump import canonical_dump


def _corpus(folder: Path) -> Path:
    """~20 pages: four multi-source stories, a few single stories, the seed page."""
    start = base_time()
    docs = []
    for i, texts in enumerate(story_clusters(4)):
        docs += cluster_docs(i, texts, 0, min(3, len(texts)), start + timedelta(hours=6 * i))
    docs += single_docs(6) + [seed_doc()]
    return write_docs(folder, docs)


def _count(db: Path, table: str) -> int:
    """Rows in a table of a store another process is writing (0 while it does not exist)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def _run_cli(pages: Path, db: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "run", str(pages), "--db", str(db), "--out", str(out)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], limit: float) -> bool:
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


def test_killed_runs_end_with_the_store_of_an_uninterrupted_run(tmp_path: Path) -> None:
    pages = _corpus(tmp_path / "pages")
    with open_store(tmp_path / "reference.db") as store:
        reference = run_pipeline(store, RunOptions([str(pages)], out_dir=tmp_path / "ref-site"))
        expected = canonical_dump(store)
    assert not reference.failures
    assert reference.drafts_published + reference.drafts_held == len(expected["stories"])
    assert any(len(s["members"]) > 1 for s in expected["stories"].values())

    db = tmp_path / "killed.db"
    total_pages = len(expected["pages"])
    moments: list[tuple[str, Callable[[], bool]]] = [
        ("while starting", lambda: True),
        ("after 3 pages", lambda: _count(db, "pages") >= 3),
        ("after most pages", lambda: _count(db, "pages") >= total_pages - 3),
        ("after clustering", lambda: _count(db, "stories") >= 1),
        ("after 2 drafts", lambda: _count(db, "drafts") >= 2),
        ("after most drafts", lambda: _count(db, "drafts") >= len(expected["drafts"]) - 2),
    ]
    killed = []
    for name, ready in moments:
        proc = _run_cli(pages, db, tmp_path / "site")
        if _kill_when(proc, ready, limit=60):
            killed.append(name)
    assert len(killed) >= 4, f"the run finished before most kills: only {killed}"

    proc = _run_cli(pages, db, tmp_path / "site")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    with open_store(db) as store:
        got = canonical_dump(store)
        assert store.stories_needing_draft() == []
    for part in expected:
        assert got[part] == expected[part], f"{part} differ after kills {killed}"
    names = {p.name for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert names == {p.name for p in (tmp_path / "ref-site").rglob("*") if p.is_file()}
