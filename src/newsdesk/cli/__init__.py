"""The `newsdesk` command line: one module per command, each a thin layer over the library."""

from __future__ import annotations

from newsdesk.pipeline.processes import start_reading_cpus

# How busy the cores are (how many worker processes to start) is read over this process's
# start-up, which then costs no waiting of its own (see busy_cpus).
start_reading_cpus()

import typer  # noqa: E402

app = typer.Typer(
    name="newsdesk",
    help="From raw news pages to verified, source-linked stories.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """From raw news pages to verified, source-linked stories."""


# Each command module registers itself on `app` when imported.
from newsdesk.cli import (  # noqa: E402
    cluster_cmd,  # noqa: F401
    extract_cmd,  # noqa: F401
    run_cmd,  # noqa: F401
    runs_cmd,  # noqa: F401
    serve_cmd,  # noqa: F401
    verify_cmd,  # noqa: F401
    write_cmd,  # noqa: F401
)
