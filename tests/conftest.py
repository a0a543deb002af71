"""Shared test fixtures: where the shared benchmark data and seeds are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_PAGE = SHARED / "seeds" / "000_8febecbc10594a64.txt"
SEED_REWRITE = SHARED / "seeds" / "001_e766530e01890d6a.txt"
BENCH = SHARED / "bench"


def lazy_patterns_compiled(reading: str, patterns: str) -> int:
    """How many of ``patterns`` (a list of ``LazyPattern``s, as Python source) a fresh
    process has compiled once it has run ``reading``: what that reading paid for."""
    script = f"{reading}\nprint(sum(p.compiled for p in {patterns}))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def require_shared(path: Path) -> Path:
    """Skip the test, saying why, when the shared data is not beside the repo."""
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (../shared is absent on this machine)")
    return path


@pytest.fixture
def seed_page() -> bytes:
    return require_shared(SEED_PAGE).read_bytes()


@pytest.fixture
def seed_rewrite() -> str:
    return require_shared(SEED_REWRITE).read_text(encoding="utf-8")
