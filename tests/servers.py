"""Start a server process on 127.0.0.1 for a test, wait until it answers, stop it after."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(
    command: Sequence[str],
    ready_url: str,
    log: Path,
    *,
    name: str,
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
) -> Iterator[None]:
    """Run ``command`` until the block ends; fail the test, with the log's tail, if it dies
    or ``ready_url`` does not answer 200 within ``timeout`` seconds."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"{name} exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
