"""`newsdesk extract`: read pages into articles and print them."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli import allow_quick_exit, app
from newsdesk.cli.options import (
    AllowPrivate,
    Executor,
    FetchWorkers,
    RayAddress,
    check_executor,
)
from newsdesk.cli.output import print_json_line, report_failure
from newsdesk.errors import NewsdeskError
from newsdesk.ingest.files import Failure
from newsdesk.model import Article, Page
from newsdesk.pipeline.blocks import extract_page
from newsdesk.publish.article_text import article_to_markdown, article_to_text
from newsdesk.settings import Settings


def _pages(
    sources: list[str], fetch_workers: int | None = None, allow_private: bool = False
) -> Iterator[Page | Failure | Path]:
    """Files, folders, standard input, WARC archives, URLs, feeds and sitemaps alike, in
    the order given. A file or folder gives its files unread (``Path``): each is read by
    the worker that extracts it, so no page travels between processes."""
    from newsdesk.ingest.files import iter_path_files
    from newsdesk.ingest.kinds import resolve_source

    def read(others: list[str]) -> Iterator[Page | Failure]:
        # Imported and made only here: files alone need no fetching side (nor a user agent).
        from newsdesk.ingest.config import FetchConfig
        from newsdesk.ingest.sources import iter_sources_pages

        overrides: dict[str, object] = {"max_connections": fetch_workers} if fetch_workers else {}
        if allow_private:  # else the environment's NEWSDESK_ALLOW_PRIVATE decides
            overrides["allow_private"] = True
        yield from iter_sources_pages(others, FetchConfig.from_env(**overrides))

    others: list[str] = []  # read together: one client, pages fetched ahead across them
    for source in sources:
        if resolve_source(source).kind != "path":
            others.append(source)
            continue
        if others:
            yield from read(others)
            others = []
        yield from iter_path_files(Path(source.strip()))
    if others:
        yield from read(others)


@app.command("extract")
def extract_command(
    sources: Annotated[
        list[str], typer.Argument(help="Files, folders, URLs, or - for standard input.")
    ],
    format: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, json, markdown or text.")
    ] = "jsonl",
    input_format: Annotated[
        str, typer.Option("--input-format", help="auto, html or text.")
    ] = "auto",
    fetch_workers: FetchWorkers = None,
    allow_private: AllowPrivate = False,
    executor: Executor = "local",
    ray_address: RayAddress = None,
) -> None:
    """Extract a clean article (title, body, date, byline, site, language) from each page."""
    if format not in ("jsonl", "json", "markdown", "text"):
        raise typer.BadParameter("--format must be jsonl, json, markdown or text")
    if input_format not in ("auto", "html", "text"):
        raise typer.BadParameter("--input-format must be auto, html or text")
    check_executor(executor, ray_address)
    failed = 0
    collected: list[dict] = []
    try:
        with _outcomes(
            _pages(sources, fetch_workers, allow_private), input_format, executor, ray_address
        ) as outcomes:
            for source, article in outcomes:
                if isinstance(article, str):
                    report_failure(source, article)
                    failed += 1
                    continue
                for warning in article.warnings:
                    sys.stderr.write(f"newsdesk: {source}: warning: {warning}\n")
                _print_article(article, format, collected)
    except NewsdeskError as exc:  # Ray missing or its cluster unreachable
        sys.stderr.write(f"newsdesk extract: {exc}\n")
        raise typer.Exit(code=2) from exc
    if format == "json":
        sys.stdout.write(json.dumps(collected, ensure_ascii=False, indent=2) + "\n")
    # Everything is written and the workers are gone: nothing is left open to close.
    allow_quick_exit()
    if failed:
        raise typer.Exit(code=1)


def _print_article(article: Article, format: str, collected: list[dict]) -> None:
    if format == "jsonl":
        print_json_line(article.to_dict())
    elif format == "json":
        collected.append(article.to_dict())
    elif format == "markdown":
        sys.stdout.write(article_to_markdown(article) + "\n")
    else:
        sys.stdout.write(article_to_text(article) + "\n")


@contextlib.contextmanager
def _outcomes(
    items: Iterator[Page | Failure | Path],
    input_format: str,
    executor: str,
    ray_address: str | None,
) -> Iterator[Iterator[tuple[str, Article | str]]]:
    """(source, article or the reason there is none) per item, in input order: here, or on
    Ray workers in bounded chunks (a WARC file is read only as far as the work in flight)."""
    extract_item = functools.partial(_extract_item, input_format=input_format)
    if executor != "ray":
        from newsdesk.runners.processes import ProcessExecutor

        # One worker process per idle core; a single page is extracted here, with no process.
        workers = Settings.from_env().run.workers  # NEWSDESK_WORKERS, else one per idle core
        with ProcessExecutor(workers, on_error=lambda item, why: (_source(item), why)) as pool:
            yield pool.map(extract_item, items)
        return
    from newsdesk.ingest.files import read_file
    from newsdesk.runners.ray import RayExecutor

    # Ray workers may run on other machines: files are read here and sent as pages.
    pages = (read_file(item) if isinstance(item, Path) else item for item in items)
    # A worker that dies on a page (it never raises: _extract_item catches) fails that page.
    with RayExecutor(address=ray_address, on_error=lambda item, why: (_source(item), why)) as ray:
        yield ray.map(extract_item, pages)


def _source(item: Page | Failure | Path) -> str:
    return str(item) if isinstance(item, Path) else item.source


def _extract_item(item: Page | Failure | Path, input_format: str) -> tuple[str, Article | str]:
    """(source, the article or the reason there is none): returned, not printed, as Ray
    workers run it. A file is read here (in the worker), under the page size cap."""
    if isinstance(item, Path):
        from newsdesk.ingest.files import read_file

        item = read_file(item)
    if isinstance(item, Failure):
        return item.source, item.reason
    result = extract_page(item, input_format)
    return item.source, result.article or result.reason or "no article"
