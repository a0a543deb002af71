"""`newsdesk extract` on files and folders: each file is read by the worker process that
extracts it; what cannot be read is reported with its reason, in input order, and the
rest still comes out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PARAGRAPH = (
    "The council approved the new budget on Tuesday after a long debate about schools, "
    "roads and the cost of public transport in the city, the mayor's office said."
)


def _page(title: str) -> str:
    body = "".join(f"<p>{PARAGRAPH} ({title}, part {n}.)</p>" for n in range(6))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


def test_files_read_in_workers_keep_order_and_report_each_failure(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(6):
        (folder / f"{n:02d}.html").write_text(_page(f"Budget story {n}"), encoding="utf-8")
    (folder / "03.html").write_text(_page("Budget story 3") + "<!--" + "x" * 60_000 + "-->")
    single = tmp_path / "single.html"
    single.write_text(_page("A page given alone"), encoding="utf-8")
    env = {**os.environ, "NEWSDESK_WORKERS": "2", "NEWSDESK_MAX_PAGE_BYTES": "50000"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsdesk",
            "extract",
            str(folder),
            str(tmp_path / "missing"),
            str(single),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1  # some pages failed
    titles = [json.loads(line)["title"] for line in done.stdout.splitlines()]
    assert titles == [
        "Budget story 0",
        "Budget story 1",
        "Budget story 2",
        "Budget story 4",
        "Budget story 5",
        "A page given alone",
    ]
    assert "03.html" in done.stderr and "over the 50,000-byte limit" in done.stderr
    assert "missing" in done.stderr and "no such file or folder" in done.stderr


def test_files_alone_start_without_the_fetching_side(tmp_path: Path) -> None:
    # Settings for fetching, address checks and sockets cost about 12 ms of every start.
    page = tmp_path / "one.html"
    page.write_text(_page("A page read alone"), encoding="utf-8")
    code = (
        "import sys\n"
        "from newsdesk.cli import app\n"
        f"sys.argv = ['newsdesk', 'extract', {str(page)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "fetching = ('newsdesk.ingest.sources', 'newsdesk.ingest.config', 'socket')\n"
        "print(sorted(m for m in fetching if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(done.stdout)["title"] == "A page read alone"
    assert done.stderr.strip().splitlines()[-1] == "[]"
