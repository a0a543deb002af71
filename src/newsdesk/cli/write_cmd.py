"""`newsdesk write`: write one cited draft per story and print it.

Input is JSON lines, one story a line: ``{"id": ..., "articles": [articles as
`newsdesk extract` prints them], "background": [optional earlier articles]}``.
Output is one draft a line (``Draft.to_dict()``), with ``checks`` holding the
verifier's report and ``articles`` the source and background articles it was written
from (what `newsdesk verify -` reads), or the draft rendered as Markdown or HTML for
people. A line that cannot be written is reported on standard error with its line number and the rest goes
on; the exit status is 1 when any line failed.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from newsdesk.cli import app
from newsdesk.cli.options import (
    Concurrency,
    LlmModel,
    LlmUrl,
    OnFailure,
    Writer,
    check_writer,
    llm_config,
)
from newsdesk.cli.output import json_object, numbered_lines, print_json_line, report_failure
from newsdesk.errors import InputError, NewsdeskError
from newsdesk.model import Article, Draft
from newsdesk.pipeline.executors import LocalExecutor, batched

FORMATS = ("jsonl", "markdown", "html")


def parse_story(line: str) -> tuple[str, list[Article], list[Article]]:
    """(story id, articles, background articles) from one input line, or InputError."""
    data = json_object(line, '{"id": ..., "articles": [...]}')
    story_id = data.get("id")
    if story_id is None or str(story_id).strip() == "":
        raise InputError("the story has no 'id'")
    articles = _articles(data.get("articles"), "articles")
    if not articles:
        raise InputError(f"story {story_id} has no articles")
    background = _articles(data.get("background") or [], "background")
    return str(story_id), articles, background


def _articles(raw: Any, field: str) -> list[Article]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise InputError(f"'{field}' must be a list of article objects")
    try:
        return [Article.from_dict(a) for a in raw]
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise InputError(f"an item of '{field}' is not an article ({exc})") from exc


@app.command("write")
def write_command(
    stories: Annotated[str, typer.Argument(help="JSON lines of stories, or - for standard input.")],
    writer: Writer = "extractive",
    language: Annotated[
        str | None, typer.Option("--language", help="Write in this language (ISO 639-1).")
    ] = None,
    max_words: Annotated[
        int, typer.Option("--max-words", min=20, help="Words of lead and body together.")
    ] = 220,
    format: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, markdown or html.")
    ] = "jsonl",
    llm_url: LlmUrl = None,
    llm_model: LlmModel = None,
    on_failure: OnFailure = "extractive",
    concurrency: Concurrency = 4,
) -> None:
    """Write one verified, cited draft per story: headline, standfirst, lead, body, summary."""
    from newsdesk.pipeline import StoryJob, StoryWriter, WriteOptions

    check_writer(writer)
    if format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    writer_options: dict = {}
    if writer == "llm":
        writer_options["config"] = llm_config(llm_url, llm_model, on_failure, concurrency)
    # One writer (one LLM client) for every story of the command.
    write = StoryWriter(WriteOptions(writer, language, max_words, writer_options))

    def write_line(item: tuple[int, str]) -> tuple[str, Draft | None, list[Article], str | None]:
        number, line = item
        where = f"{stories}:{number}" if stories != "-" else f"line {number}"
        try:
            story_id, articles, background = parse_story(line)
        except NewsdeskError as exc:
            return where, None, [], str(exc)
        result = write(StoryJob(story_id, tuple(articles), tuple(background)))
        return where, result.draft, [*articles, *background], result.reason

    # LLM requests wait on a server: a few run at once; the extractive writer runs inline.
    executor = LocalExecutor(threads=concurrency if writer == "llm" else 1)
    failed = 0
    try:
        lines = ((n, line) for n, line in numbered_lines(stories) if line.strip())
        for batch in batched(lines, max(16, concurrency * 4)):
            for where, draft, articles, error in executor.map(write_line, batch):
                if draft is None:
                    report_failure(where, error or "no draft")
                    failed += 1
                else:
                    _print(draft, articles, format)
    except InputError as exc:
        report_failure(stories, str(exc))
        raise typer.Exit(code=1) from exc
    if failed:
        raise typer.Exit(code=1)


def _print(draft: Draft, articles: list[Article], format: str) -> None:
    from newsdesk.pipeline import publish_story

    if format == "jsonl":
        # the draft carries its articles, so `newsdesk verify -` can check it as it comes
        print_json_line({**draft.to_dict(), "articles": [a.to_dict() for a in articles]})
    else:
        sys.stdout.write(publish_story(draft, articles, format).rstrip("\n") + "\n")
