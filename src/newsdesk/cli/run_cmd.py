"""`newsdesk run`: sources in, a published site out, with progress bars and a summary.

The clusterer's language options (``--mix-languages``, ``--no-language-guess``) are kept
by the store from its first run, as in ``newsdesk cluster``: later runs without them go
on as the store was made, and one that contradicts the store stops the run (exit 2).

SIGTERM (``docker stop``, systemd, a CI timeout) stops a run as Ctrl-C does: the run is
recorded "interrupted", the store keeps everything finished so far (each step commits on its
own, see ``newsdesk.pipeline``) and the command exits with 143, as a shell reports SIGTERM.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shlex
import signal
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli import allow_quick_exit, app
from newsdesk.cli.options import (
    AllowPrivate,
    Concurrency,
    Executor,
    FetchWorkers,
    HeadlineMeaning,
    LanguageGuess,
    LlmModel,
    LlmUrl,
    MixLanguages,
    OnFailure,
    RayAddress,
    StoreUrl,
    Writer,
    check_executor,
    check_writer,
    cluster_config,
    llm_config,
)
from newsdesk.errors import NewsdeskError
from newsdesk.settings import Settings

if TYPE_CHECKING:  # the pipeline pulls in every stage: imported when `run` runs, not before
    from rich.console import Console
    from rich.progress import Progress

    from newsdesk.pipeline import RunSummary

# The exit status of a run stopped by SIGTERM, as a shell reports a process it ended.
SIGTERM_EXIT = 128 + signal.SIGTERM

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """'90m', '24h', '7d', '2w' (or several: '1d12h') -> timedelta."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhdw])", text.strip().lower())
    if not parts or "".join(n + u for n, u in parts) != re.sub(r"\s+", "", text.lower()):
        raise typer.BadParameter(f"{text!r} is not a duration like 90m, 24h, 7d or 2w")
    return sum((timedelta(**{_UNITS[u]: float(n)}) for n, u in parts), timedelta())


class Terminated(SystemExit):
    """Raised in the main thread when SIGTERM arrives: unwinds the run as Ctrl-C does."""


@contextlib.contextmanager
def _sigterm_stops_the_run() -> Iterator[None]:
    """Turn SIGTERM into ``Terminated`` while the block runs (main thread only).

    The pipeline records "interrupted" on its way out; a second SIGTERM ends the process at
    once (the store stays consistent then too, as after kill -9: the next run resumes).
    """

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise Terminated(SIGTERM_EXIT)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Bars:
    """The pipeline's progress, as rich progress bars on stderr."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, int] = {}

    def start(self, stage: str, total: int | None = None) -> None:
        self._tasks[stage] = self._progress.add_task(stage, total=total)

    def advance(self, stage: str, amount: int = 1) -> None:
        if stage in self._tasks:
            self._progress.advance(self._tasks[stage], amount)


@app.command("run")
def run_command(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, folders, URLs, feeds, sitemaps, WARC or a sources .toml."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder to publish the site into.")] = Path(
        "site"
    ),
    db: StoreUrl = None,
    writer: Writer = "extractive",
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only cluster articles newer than this, e.g. 24h, 7d."),
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Write drafts in this language (ISO 639-1).")
    ] = None,
    max_words: Annotated[int, typer.Option("--max-words", help="Words in lead and body.")] = 220,
    llm_url: LlmUrl = None,
    llm_model: LlmModel = None,
    on_failure: OnFailure = "extractive",
    concurrency: Concurrency = 4,
    site_url: Annotated[
        str | None,
        typer.Option("--site-url", help="Where the site will be served (for feed links)."),
    ] = None,
    page_size: Annotated[
        int, typer.Option("--page-size", min=1, help="Stories per index page of the site.")
    ] = 50,
    allow_private: AllowPrivate = False,
    fetch_workers: FetchWorkers = None,
    executor: Executor = "local",
    ray_address: RayAddress = None,
    mix_languages: MixLanguages = None,
    language_guess: LanguageGuess = None,
    headline_meaning: HeadlineMeaning = None,
) -> None:
    """Read sources, extract, cluster, write, verify and publish; only new work is done."""
    from newsdesk.cli.options import open_store
    from newsdesk.ingest.config import FetchConfig
    from newsdesk.pipeline import RunOptions, run_pipeline

    check_writer(writer)
    check_executor(executor, ray_address)
    writer_options: dict = {}
    if writer == "llm":
        writer_options["config"] = llm_config(llm_url, llm_model, on_failure, concurrency)
    options = RunOptions(
        sources=sources,
        out_dir=out,
        writer=writer,
        language=language,
        max_words=max_words,
        since=parse_duration(since) if since else None,
        fetch=FetchConfig.from_env(
            **({"allow_private": True} if allow_private else {}),
            **({"max_connections": fetch_workers} if fetch_workers else {}),
        ),
        writer_options=writer_options,
        site_url=site_url,
        page_size=page_size,
    )
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    ray_executor = None
    if executor == "ray":
        from newsdesk.runners.ray import RayExecutor

        ray_executor = RayExecutor(address=ray_address)
    try:
        with (
            _sigterm_stops_the_run(),  # outermost: the store is closed before it is undone
            open_store(db) as store,
            ray_executor or contextlib.nullcontext(),  # Ray started here, shut down after
            Progress(
                TextColumn("{task.description:>8}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as bars,
        ):
            # Checked against the store before any work: a contradicting option stops here.
            # The state is read (and decompressed) once for the run: here when options are
            # to be checked, else by the run if it has articles to cluster.
            saved = None
            if any(o is not None for o in (mix_languages, language_guess, headline_meaning)):
                from newsdesk.pipeline.clustering import SavedClusterer

                saved = SavedClusterer.read(store)
            config = cluster_config(saved, mix_languages, language_guess, headline_meaning)
            options = dataclasses.replace(options, cluster=config)
            summary = run_pipeline(
                store, options, executor=ray_executor, progress=_Bars(bars), saved=saved
            )
    except NewsdeskError as exc:
        console.print(f"[red]newsdesk run: {exc}[/red]")
        raise typer.Exit(code=2) from exc
    except Terminated:
        console.print(
            "[yellow]newsdesk run: stopped by SIGTERM; the run is recorded as interrupted "
            "and the work done so far is kept (run again to finish it)[/yellow]"
        )
        raise typer.Exit(code=SIGTERM_EXIT) from None
    _print_summary(console, summary, out, db, site_url)
    if Settings.from_env().run.timings:  # NEWSDESK_TIMINGS=1: what each stage cost
        sys.stderr.write(f"stage seconds: {summary.stage_line()}\n")
    if ray_executor is not None and ray_executor.nodes:  # did the whole cluster take part?
        items, nodes = sum(ray_executor.nodes.values()), len(ray_executor.nodes)
        console.print(f"ray: {items} items ran on {nodes} node{'s' if nodes > 1 else ''}")
    # The store is closed, the site written, the workers and Ray gone: nothing is left open.
    allow_quick_exit()
    if summary.failures:
        raise typer.Exit(code=1)


def _print_summary(
    console: Console, summary: RunSummary, out: Path, db: str | None, site_url: str | None
) -> None:
    from rich.table import Table

    table = Table(title=f"newsdesk run {summary.run_id}", show_header=False)
    rows = [
        ("pages read", summary.pages_read),
        ("pages unchanged (skipped)", summary.pages_unchanged),
        ("pages failed", summary.pages_failed),
        ("articles new", summary.articles_new),
        ("articles updated", summary.articles_updated),
        ("stories new", summary.stories_new),
        ("stories updated", summary.stories_updated),
        ("drafts published", summary.drafts_published),
        ("drafts held for review", summary.drafts_held),
        ("stories on the site", summary.site_stories),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    for note in summary.notes:
        console.print(f"[yellow]note: {note}[/yellow]")
    if summary.failures:
        failures = Table(title="failures", show_header=True)
        failures.add_column("source")
        failures.add_column("stage")
        failures.add_column("reason")
        for source, stage, reason in summary.failures[:50]:
            failures.add_row(source, stage, reason)
        if len(summary.failures) > 50:
            failures.add_row("…", "", f"{len(summary.failures) - 50} more (see the store)")
        console.print(failures)
    if summary.site_files:
        index = (out / "index.html").resolve()
        if summary.site_current:
            console.print(f"Site at {index} is current: nothing changed", soft_wrap=True)
        else:
            console.print(f"Site written to {index}", soft_wrap=True)
        if not site_url:
            console.print(
                "feed.atom links are relative to the feed (stories/...); give --site-url "
                "https://your.site/ for absolute links, which some feed readers need",
                soft_wrap=True,
            )
        # The command as the user typed it (e.g. .venv/bin/newsdesk), so the hint runs as shown.
        program = sys.argv[0] if Path(sys.argv[0]).name == "newsdesk" else "newsdesk"
        serve = f"{program} serve" + (f" --db {shlex.quote(_shown(db))}" if db else "")
        console.print(f"Serve it with: {serve}  (then open http://127.0.0.1:8000/)", soft_wrap=True)


def _shown(db: str) -> str:
    """The store as given, with any password in a database URL masked for the terminal."""
    if "://" not in db:
        return db
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db
