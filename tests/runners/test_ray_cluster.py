"""``newsdesk run --executor ray`` on a real Ray cluster of two nodes gives the store of a
local run: same articles, stories and drafts from the same CC-NEWS-style WARC.

The cluster is two ``ray start`` processes on this machine, a head and a second node that
joins it by address, one CPU each, so the run's tasks are spread over both nodes; the
driver is ``newsdesk run --ray-address``, a third process. The nodes run with token
authentication on (``RAY_AUTH_MODE=token``), the token given to every process in the
environment, and are stopped at the end, pass or fail. The Ray run writes to PostgreSQL (a schema of
its own), the local run to SQLite.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.store import open_store
from newsdesk.store.urls import store_url
from tests.conftest import REPO
from tests.pipeline_support.corpus import (
    Doc,
    base_time,
    cluster_docs,
    single_docs,
    story_clusters,
    write_warc,
)
from tests.pipeline_support.dump import canonical_dump
from tests.store.conftest import Target, Targets, require_postgres

pytestmark = pytest.mark.postgres
pytest.importorskip("ray", reason="Ray is not installed (pip install 'newsdesk[ray]')")

RAY = Path(sys.executable).with_name("ray")  # the command line installed beside Python
BAD_PAGE = b"\x00\x01\x02\xff\xfe binary, not a page \x00" * 40
START_LIMIT = 120.0  # seconds for one node to come up on a busy 2-core machine


@dataclass(frozen=True)
class Cluster:
    address: str  # host:port of the head's GCS, as --ray-address takes it
    env: dict[str, str]  # what a process needs to join it (the token, newsdesk on the path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_node(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``ray start --block``: the node lives as long as this process, whose SIGTERM stops
    the node's processes; its own session, so they can be killed as one group too."""
    with log.open("wb") as out:
        node = subprocess.Popen(
            [str(RAY), "start", "--block", "--num-cpus=1", "--disable-usage-stats", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_LIMIT
    while b"Ray runtime started" not in log.read_bytes():
        if node.poll() is not None or time.monotonic() > deadline:
            _stop([node])
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"ray start {' '.join(args)} did not come up:\n{tail}")
        time.sleep(0.3)
    return node


def _stop(nodes: list[subprocess.Popen[bytes]]) -> None:
    for node in reversed(nodes):  # the second node first, then the head
        if node.poll() is None:
            node.send_signal(signal.SIGTERM)
    for node in reversed(nodes):
        with contextlib.suppress(subprocess.TimeoutExpired):
            node.wait(timeout=30)
        # Whatever of that node is left (raylet, workers): its group, nobody else's.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(node.pid, signal.SIGKILL)
        node.wait()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not RAY.exists():
        pytest.skip(f"no ray command beside {sys.executable}")
    require_postgres()  # the Ray run's store: checked before two nodes are started for nothing
    # Short: Ray's Unix sockets live under it, and a socket path must fit in 107 bytes.
    temp = Path(tempfile.mkdtemp(prefix="ndray-", dir="/tmp"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RAY_")},
        "PYTHONPATH": str(REPO / "src"),  # newsdesk on the workers: this tree
        "COLUMNS": "200",  # the run's report unwrapped
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
    }
    port = _free_port()
    nodes: list[subprocess.Popen[bytes]] = []
    try:
        head = ["--head", f"--port={port}", f"--temp-dir={temp}", "--include-dashboard=false"]
        nodes.append(_start_node(head, temp / "head.log", env))
        join = [f"--address=127.0.0.1:{port}", f"--temp-dir={temp}"]
        nodes.append(_start_node(join, temp / "node.log", env))
        yield Cluster(f"127.0.0.1:{port}", env)
    finally:
        _stop(nodes)
        shutil.rmtree(temp, ignore_errors=True)


def _newsdesk(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _cli_url(target: Target) -> str:
    """The target's URL with its schema as the connection's search path, for ``--db``."""
    url = store_url(target.url)
    options = [str(url.query["options"])] if "options" in url.query else []
    options.append(f"-csearch_path={target.schema}")
    url = url.update_query_dict({"options": " ".join(options)})
    return url.render_as_string(hide_password=False)


def test_run_on_two_ray_nodes_gives_the_store_of_a_local_run(
    cluster: Cluster, tmp_path: Path
) -> None:
    start = base_time()
    docs = []
    for i, texts in enumerate(story_clusters(2)):
        docs += cluster_docs(i, texts, 0, 3, start + timedelta(hours=6 * i))
    docs += single_docs(3)
    docs.append(Doc("broken", "https://broken.example/news/1", BAD_PAGE, "broken"))
    warc = write_warc(tmp_path / "CC-NEWS-20261206000000-00000.warc.gz", docs, start)

    local_db = tmp_path / "local.db"
    plain_env = {k: v for k, v in cluster.env.items() if not k.startswith("RAY_")}
    local = _newsdesk(
        ["run", str(warc), "--db", str(local_db), "--out", str(tmp_path / "site-local")],
        plain_env,
        tmp_path,
    )
    targets = Targets("postgresql", tmp_path)
    try:
        shared = targets.new()
        shared.open().close()  # the schema, created and migrated
        on_ray = _newsdesk(
            [
                *("run", str(warc), "--db", _cli_url(shared), "--out", str(tmp_path / "site-ray")),
                *("--executor", "ray", "--ray-address", cluster.address),
            ],
            cluster.env,
            tmp_path,
        )
        # The broken page fails (exit status 1) and the rest goes on, in both runs.
        for run in (local, on_ray):
            assert run.returncode == 1, run.stderr[-3000:]
        used = re.search(r"ray: (\d+) items ran on (\d+) nodes?", on_ray.stderr)
        assert used, on_ray.stderr[-3000:]
        # 10 pages to extract (the image is no page) and a draft per story: both nodes worked.
        assert int(used[1]) >= 10 and used[2] == "2"

        with open_store(local_db) as store:
            expected = canonical_dump(store)
        with shared.open() as store:
            got = canonical_dump(store)
    finally:
        targets.cleanup()
    assert len(expected["articles"]) == 9
    assert [(stage, why) for _, stage, why in expected["failures"]] == [
        ("extract", "binary data (mostly control characters), not a page")
    ]
    assert len(expected["stories"]) >= 5 and expected["drafts"]
    assert any(d["status"] == "published" for d in expected["drafts"].values())
    for part in ("pages", "articles", "stories", "aliases", "drafts", "failures", "state"):
        assert got[part] == expected[part], part
