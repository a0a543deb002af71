"""A `newsdesk run` killed mid-way shows as "interrupted" in the run history once the next
run starts; a run stopped by Ctrl-C records "interrupted" itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.pipeline import RunOptions, run_pipeline
from newsdesk.store import open_store
from tests.pipeline_support.corpus import mixed_corpus
from tests.pipeline_support.process import count_rows, kill_when, run_process


def test_killed_run_shows_interrupted_after_the_next_run(tmp_path: Path) -> None:
    pages = mixed_corpus(tmp_path / "pages")
    db, site = tmp_path / "s.db", tmp_path / "site"
    killed = run_process([str(pages)], db, site)
    assert kill_when(killed, lambda: count_rows(db, "pages") >= 3, limit=120)
    with open_store(db) as store:
        (first,) = store.list_runs()
        assert first.status == "running" and first.pid == killed.pid  # as the kill left it

    again = run_process([str(pages)], db, site)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode(errors="replace")[-2000:]
    with open_store(db) as store:
        runs = {r.id: r for r in store.list_runs()}
    assert runs[first.id].status == "interrupted" and runs[first.id].finished_at is None
    (second,) = [r for r in runs.values() if r.id != first.id]
    assert second.status == "ok" and second.pid == again.pid


class _StopWhileReading:
    """A progress display whose user presses Ctrl-C once the first page is read."""

    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, stage: str, amount: int = 1) -> None:
        raise KeyboardInterrupt


def test_run_stopped_by_ctrl_c_records_interrupted(tmp_path: Path) -> None:
    pages = mixed_corpus(tmp_path / "pages")
    with open_store(tmp_path / "s.db") as store:
        options = RunOptions(sources=[str(pages)], out_dir=None)
        with pytest.raises(KeyboardInterrupt):
            run_pipeline(store, options, progress=_StopWhileReading())
        (run,) = store.list_runs()
        assert run.status == "interrupted" and run.finished_at is not None
