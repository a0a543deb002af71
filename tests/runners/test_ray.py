"""RayExecutor runs the same stage code as LocalExecutor and gives the same results, in input
order, with one bad item (an exception, a dead worker) failing alone.

One local Ray (2 CPUs, no dashboard, no usage statistics) serves the whole module.
"""

from __future__ import annotations

import gzip
import os
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.errors import NewsdeskError
from newsdesk.model import Page
from newsdesk.pipeline import PageResult, RunOptions, extract_page, run_pipeline
from newsdesk.runners.local import LocalExecutor
from newsdesk.runners.ray import ItemFailed, RayExecutor, _check_reachable
from newsdesk.store import open_store
from tests.conftest import BENCH, require_shared
from tests.pipeline_support.corpus import (
    base_time,
    cluster_docs,
    single_docs,
    story_clusters,
    write_docs,
)
from tests.pipeline_support.dump import canonical_dump

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
ray = pytest.importorskip(
    "ray", reason="Ray is not installed (pip install 'newsdesk[ray]'): RayExecutor not tested"
)

SCRAPINGHUB = BENCH / "extraction" / "scrapinghub" / "html"
BAD_PAGE = b"\x00\x01\x02\xff\xfe binary, not a page \x00" * 40


@pytest.fixture(scope="module")
def executor() -> Iterator[RayExecutor]:
    if ray.is_initialized():  # another module left one: this one must start its own
        ray.shutdown()
    with RayExecutor(num_cpus=2) as started:
        yield started


def _pages(count: int) -> list[Page]:
    paths = sorted(require_shared(SCRAPINGHUB).glob("*.html.gz"))[:count]
    return [
        Page(str(p), gzip.decompress(p.read_bytes()), url=f"https://shub.example/{p.name[:16]}")
        for p in paths
    ]


def _by_item(fn_name: str, value: int) -> int:
    """Module-level, so Ray workers import it by name."""
    if fn_name == "raise" and value == 3:
        raise ValueError("three is not welcome")
    if fn_name == "die" and value == 5:
        os._exit(1)  # the worker process dies, as on a segfault in a C parser
    if fn_name == "sleep":
        time.sleep(0.05 * ((7 * value) % 5))  # later items often finish first
    return value * 10


def test_same_articles_as_local_and_a_bad_page_fails_alone(executor: RayExecutor) -> None:
    pages = _pages(8)
    pages.insert(5, Page("bad.html", BAD_PAGE, url="https://bad.example/x"))
    local = list(LocalExecutor().map(extract_page, pages))
    remote = list(executor.map(extract_page, pages))
    assert [r.page.source for r in remote] == [p.source for p in pages]  # input order
    # Each page travels to a worker only: the result comes back holding the caller's page.
    assert all(r.page is page for r, page in zip(remote, pages, strict=True))
    bad = remote[5]
    assert isinstance(bad, PageResult) and bad.article is None and bad.reason
    assert bad.reason == local[5].reason
    assert all(r.article is not None for i, r in enumerate(remote) if i != 5)
    assert [r.article.to_dict() if r.article else None for r in remote] == [
        r.article.to_dict() if r.article else None for r in local
    ]


def test_results_keep_input_order_when_later_items_finish_first(executor: RayExecutor) -> None:
    items = list(range(40))
    out = list(RayExecutor(chunk_size=1, in_flight=6).map(lambda v: _by_item("sleep", v), items))
    assert out == [v * 10 for v in items]
    # A stream (a generator over a WARC file) is read only as far as the tasks in flight.
    read: list[int] = []

    def stream() -> Iterator[int]:
        for v in items:
            read.append(v)
            yield v

    results = RayExecutor(chunk_size=2, in_flight=3).map(lambda v: _by_item("sleep", v), stream())
    assert next(results) == 0 and len(read) <= 2 * 3 + 1
    assert [0, *results] == [v * 10 for v in items]


def test_an_exception_fails_its_item_only(executor: RayExecutor) -> None:
    failed: list[tuple[int, str]] = []

    def on_error(item: int, reason: str) -> int:
        failed.append((item, reason))
        return -1

    run = RayExecutor(chunk_size=4, on_error=on_error)
    out = list(run.map(lambda v: _by_item("raise", v), list(range(10))))
    assert out == [0, 10, 20, -1, 40, 50, 60, 70, 80, 90]
    assert failed == [(3, "unexpected ValueError: three is not welcome")]
    # Without a handler, items that are no stage's noun raise where they are read.
    results = RayExecutor(chunk_size=4).map(lambda v: _by_item("raise", v), list(range(10)))
    assert [next(results) for _ in range(3)] == [0, 10, 20]
    with pytest.raises(ItemFailed, match="three is not welcome"):
        next(results)


def test_a_worker_that_dies_fails_its_item_only(executor: RayExecutor) -> None:
    failed: list[int] = []

    def on_error(item: int, reason: str) -> int:
        failed.append(item)
        assert "Ray" in reason
        return -1

    run = RayExecutor(chunk_size=4, on_error=on_error)
    out = list(run.map(lambda v: _by_item("die", v), list(range(12))))
    assert out == [v * 10 if v != 5 else -1 for v in range(12)]
    assert failed == [5]


def test_run_pipeline_on_ray_gives_the_store_of_a_local_run(
    executor: RayExecutor, tmp_path: Path
) -> None:
    start = base_time()
    docs = []
    for i, texts in enumerate(story_clusters(2)):
        docs += cluster_docs(i, texts, 0, 3, start + timedelta(hours=6 * i))
    docs += single_docs(3)
    folder = write_docs(tmp_path / "pages", docs)
    (folder / "broken.html").write_bytes(BAD_PAGE)
    dumps = []
    for name, run in (("local", LocalExecutor()), ("ray", executor)):
        options = RunOptions(sources=[str(folder)], out_dir=tmp_path / f"site-{name}")
        with open_store(tmp_path / f"{name}.db") as store:
            summary = run_pipeline(store, options, executor=run)
            dumps.append(canonical_dump(store))
        assert summary.pages_failed == 1 and summary.drafts_published >= 1
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["articles"]) == 9


def test_without_ray_the_executor_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(NewsdeskError, match=r"newsdesk\[ray\]"):
        RayExecutor().start()


def test_an_address_nothing_answers_fails_in_seconds_with_the_reason() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(NewsdeskError, match=f"no Ray cluster answers at 127.0.0.1:{port}"):
        _check_reachable(f"127.0.0.1:{port}")
    with pytest.raises(NewsdeskError, match="not a Ray address"):
        _check_reachable("nowhere")


def test_extract_command_on_ray_prints_what_it_prints_locally(
    executor: RayExecutor, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in _pages(4):
        (folder / Path(page.source).name.removesuffix(".gz")).write_bytes(page.content)
    (folder / "broken.html").write_bytes(BAD_PAGE)
    local = CliRunner().invoke(app, ["extract", str(folder)])
    remote = CliRunner().invoke(app, ["extract", str(folder), "--executor", "ray"])
    assert local.exit_code == remote.exit_code == 1  # the broken page, reported
    assert remote.stdout == local.stdout and len(remote.stdout.splitlines()) == 4
    assert "broken.html" in remote.stderr
