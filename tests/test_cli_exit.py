"""How the `newsdesk` script ends: `extract`, `cluster` and `run` skip Python's teardown.

Each case runs the script's entry point (``newsdesk.cli.run``) in a process of its own.
An object kept in a module's globals says "torn down" from its ``__del__`` when Python's
exit clears the modules; an exit handler says "exit handler ran". After `newsdesk
extract` the handler runs, the teardown does not, and the output and exit status are
what Python's exit gives; after `newsdesk cluster` and `newsdesk run` the store is whole
and closed (no write-ahead log left beside it); any other command takes Python's exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "examples/pages/quillfield-times"
SCRIPT = """
import atexit, os, sys
import newsdesk.cli as cli

class Witness:
    def __del__(self):
        sys.__stderr__.write("torn down\\n")

cli.witness = Witness()
atexit.register(lambda: sys.__stderr__.write("exit handler ran\\n"))
sys.argv = ["newsdesk", *sys.argv[1:]]
if os.environ.get("WATCHED"):  # a profiler's hook, as python -m cProfile sets one
    sys.setprofile(lambda frame, event, arg: None)
cli.run()
"""


def _newsdesk(*args: str, watched: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WATCHED": "1" if watched else ""}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_extract_ends_without_the_teardown_its_output_whole() -> None:
    pages = sorted(PAGE.glob("*.html"))[:3]
    done = _newsdesk("extract", *map(str, pages))
    assert done.returncode == 0, done.stderr
    titles = [json.loads(line)["title"] for line in done.stdout.splitlines()]
    assert len(titles) == 3 and all(titles)
    assert "exit handler ran" in done.stderr
    assert "torn down" not in done.stderr


def test_extract_keeps_its_exit_status_for_a_page_that_failed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    page = sorted(PAGE.glob("*.html"))[0]
    done = _newsdesk("extract", str(page), str(empty))
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 1
    assert f"newsdesk: {empty}: empty page" in done.stderr
    assert "torn down" not in done.stderr


def test_run_ends_without_the_teardown_its_store_closed(tmp_path: Path) -> None:
    from newsdesk.store import open_store

    pages = tmp_path / "pages"
    pages.mkdir()
    for page in sorted(PAGE.glob("*.html"))[:3]:
        (pages / page.name).write_bytes(page.read_bytes())
    db = tmp_path / "store.db"
    done = _newsdesk("run", str(pages), "--db", str(db), "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert "exit handler ran" in done.stderr
    assert "torn down" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages", "site", "store.db"]
    assert (tmp_path / "site" / "index.html").exists()
    with open_store(str(db)) as store:
        assert store.count_articles() == 3
        assert store.list_stories(limit=None)


def test_cluster_ends_without_the_teardown_its_store_closed(tmp_path: Path) -> None:
    from newsdesk.store import open_store

    pages = sorted(PAGE.glob("*.html"))[:3]
    articles = tmp_path / "articles.jsonl"
    articles.write_text(_newsdesk("extract", *map(str, pages)).stdout, encoding="utf-8")
    db = tmp_path / "store.db"
    done = _newsdesk("cluster", str(articles), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["article_id"] for line in done.stdout.splitlines()] == [
        json.loads(line)["id"] for line in articles.read_text(encoding="utf-8").splitlines()
    ]
    assert "torn down" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl", "store.db"]
    with open_store(str(db)) as store:
        assert store.count_articles() == 3


def test_other_commands_take_pythons_exit(tmp_path: Path) -> None:
    done = _newsdesk("runs", "--db", str(tmp_path / "store.db"))
    assert done.returncode == 0, done.stderr
    assert "exit handler ran" in done.stderr
    assert "torn down" in done.stderr


def test_an_exit_in_error_takes_pythons_exit() -> None:
    done = _newsdesk("extract", "--format", "yaml", str(sorted(PAGE.glob("*.html"))[0]))
    assert done.returncode == 2
    assert "torn down" in done.stderr


def test_a_profiler_watching_gets_pythons_exit() -> None:
    """``python -m cProfile`` writes its report after the program: the teardown runs."""
    done = _newsdesk("extract", str(sorted(PAGE.glob("*.html"))[0]), watched=True)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1
    assert "torn down" in done.stderr
