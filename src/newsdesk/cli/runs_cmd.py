"""`newsdesk runs`: the history of `newsdesk run` as the store records it, newest first.

The same records ``GET /api/runs`` serves: id, status ("running", "ok", "failed",
"interrupted"), start and finish times and the run's counts. A run whose process died shows
"interrupted" once a later run has started (``newsdesk.store.runs`` says how that is told).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from newsdesk.cli import app
from newsdesk.cli.options import StoreUrl
from newsdesk.cli.output import print_json_line, report_failure, to_minute
from newsdesk.errors import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.store.records import RunRecord

# (name, keys in the run's stats): the counts `newsdesk run` prints in its summary, a line
# each in one cell ("pages 12/3/2") so the table fits 80 columns; --json gives every one by name.
COUNT_LINES = (
    ("pages", ("pages_read", "pages_unchanged", "pages_failed")),
    ("articles", ("articles_new", "articles_updated")),
    ("stories", ("stories_new", "stories_updated")),
    ("drafts", ("drafts_published", "drafts_held")),
)
COUNTS_CAPTION = (
    "pages read/unchanged/failed, articles new/updated, stories new/updated, drafts published/held"
)
STATUS_STYLES = {"ok": "green", "running": "cyan", "failed": "red", "interrupted": "yellow"}


@app.command("runs")
def runs_command(
    db: StoreUrl = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="At most this many runs; 0 for all.")
    ] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object a line (as GET /api/runs gives).")
    ] = False,
) -> None:
    """List pipeline runs, newest first: id, status, started, finished and their counts."""
    from newsdesk.cli.options import open_store

    try:
        with open_store(db) as store:
            runs = store.list_runs(limit=limit or None)
    except NewsdeskError as exc:
        report_failure(db or "store", str(exc))
        raise typer.Exit(code=1) from exc
    if as_json:
        for run in runs:
            print_json_line(run.to_dict())
        return
    _print_table(runs)


def _counts(stats: dict[str, Any], keys: tuple[str, ...]) -> str:
    if not any(key in stats for key in keys):
        return ""  # a run cut short before it recorded counts
    return "/".join(str(stats.get(key, "-")) for key in keys)


def _count_cell(stats: dict[str, Any]) -> str:
    lines = [f"{name} {counts}" for name, keys in COUNT_LINES if (counts := _counts(stats, keys))]
    return "\n".join(lines)


def _print_table(runs: list[RunRecord]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    # Four columns, whole ids and times: readable in an 80-column terminal.
    table = Table(
        title=f"{len(runs)} runs",
        caption=COUNTS_CAPTION,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("started\nfinished", no_wrap=True)
    table.add_column("counts", no_wrap=True)
    for run in runs:
        style = STATUS_STYLES.get(run.status)
        status = f"[{style}]{run.status}[/{style}]" if style else run.status
        times = to_minute(run.started_at) + "\n" + to_minute(run.finished_at)
        table.add_row(run.id, status, times, _count_cell(run.stats))
    Console().print(table)
