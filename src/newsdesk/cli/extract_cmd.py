"""`newsdesk extract`: read pages into articles and print them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from newsdesk.cli import app
from newsdesk.cli.output import print_json_line, report_failure
from newsdesk.errors import InputError
from newsdesk.extract import extract
from newsdesk.ingest.files import Failure
from newsdesk.model import Article, Page
from newsdesk.publish.article_text import article_to_markdown, article_to_text


def _pages(sources: list[str]) -> Iterator[Page | Failure]:
    """Files, folders, standard input, WARC archives, URLs, feeds and sitemaps alike."""
    from newsdesk.ingest.http import FetchConfig
    from newsdesk.ingest.sources import iter_sources_pages

    return iter_sources_pages(sources, FetchConfig.from_env())


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
) -> None:
    """Extract a clean article (title, body, date, byline, site, language) from each page."""
    if format not in ("jsonl", "json", "markdown", "text"):
        raise typer.BadParameter("--format must be jsonl, json, markdown or text")
    if input_format not in ("auto", "html", "text"):
        raise typer.BadParameter("--input-format must be auto, html or text")
    failed = 0
    collected: list[dict] = []
    for item in _pages(sources):
        if isinstance(item, Failure):
            report_failure(item.source, item.reason)
            failed += 1
            continue
        article = _extract_one(item, input_format)
        if article is None:
            failed += 1
            continue
        if format == "jsonl":
            print_json_line(article.to_dict())
        elif format == "json":
            collected.append(article.to_dict())
        elif format == "markdown":
            sys.stdout.write(article_to_markdown(article) + "\n")
        else:
            sys.stdout.write(article_to_text(article) + "\n")
    if format == "json":
        sys.stdout.write(json.dumps(collected, ensure_ascii=False, indent=2) + "\n")
    if failed:
        raise typer.Exit(code=1)


def _extract_one(page: Page, input_format: str) -> Article | None:
    try:
        return extract(
            page.content,
            url=page.url,
            input_format=input_format,  # type: ignore[arg-type]
            source=page.source,
            declared_charset=page.declared_charset,
        )
    except InputError as exc:
        report_failure(page.source, str(exc))
    except RecursionError:
        report_failure(page.source, "markup nested too deeply to parse")
    except Exception as exc:  # a bug of ours must not kill the batch: report it with its type
        report_failure(page.source, f"unexpected {type(exc).__name__}: {exc}")
    return None
