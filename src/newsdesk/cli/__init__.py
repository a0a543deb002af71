"""The `newsdesk` command line: one module per command, each a thin layer over the library.

``run`` is the `newsdesk` script (``app``, then the process's exit); tests call ``app``.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

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


_quick_exit = False  # set by a command that ends holding nothing open (allow_quick_exit)


def allow_quick_exit() -> None:
    """Called by a command as it ends holding nothing open (no store, no pool, no server):
    the `newsdesk` script may then end the process without Python's exit (see ``run``)."""
    global _quick_exit
    _quick_exit = True


def run() -> None:
    """The `newsdesk` script: ``app`` as a command line, then the process's exit.

    Python's exit frees the process's objects one by one: 9-49 ms after `newsdesk extract`
    (the patterns, tables and caches the extractor loaded), a tenth of a one-page run, and
    about 0.2 s after `newsdesk run` on 1,000 pages (the clusterer's state, the stages'
    models; BENCHMARKS.md, "End to end speed"). Where the command allowed it (``extract``,
    ``cluster`` and ``run`` do, once their output is written and their store closed), the
    process ends as Python's exit would begin, its exit handlers run and its streams
    flushed, and the operating system then takes the memory back at once. Anything else
    (another command, a thread still running, an exit with a message, a stream that cannot
    be flushed such as a closed pipe, a profiler or debugger attached, which writes its
    report after the program) takes Python's own exit.
    """
    global _quick_exit
    _quick_exit = False
    try:
        app()
    except SystemExit as done:
        status = done.code
        if not _quick_exit or not (status is None or isinstance(status, int)):
            raise
        if threading.active_count() > 1 or _watched() or not _flushed():
            raise
        atexit._run_exitfuncs()  # what Python's exit runs first (logging's flush, ...)
        _flushed()
        os._exit(status or 0)


def _watched() -> bool:
    """Whether a profiler, tracer or debugger is attached (``python -m cProfile``, pdb,
    coverage): what it reports comes after the program, from Python's exit."""
    return sys.getprofile() is not None or sys.gettrace() is not None


def _flushed() -> bool:
    """Whether both output streams were flushed (a reader that went away raises here)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return False
    return True


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
