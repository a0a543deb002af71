"""`newsdesk verify`: check drafts against their source articles and print one report per draft.

Input is JSON lines as `newsdesk write` prints drafts, each line carrying one more field,
``articles``: the source articles as `newsdesk extract` prints them. Output is one
report per input line, in input order. A line that cannot be read is reported on
standard error and as a failed report, and the rest goes on; the exit status is 1 when
any line could not be read.
"""

from __future__ import annotations

from typing import Annotated

import typer

from newsdesk.cli import app
from newsdesk.cli.output import json_object, numbered_lines, print_json_line, report_failure
from newsdesk.errors import InputError
from newsdesk.model import Article, Draft, Problem, Report
from newsdesk.verify import verify_draft


def parse_line(line: str) -> tuple[Draft, list[Article]]:
    """A draft and its articles from one input line; InputError says what is wrong."""
    data = json_object(line, "a draft with an 'articles' field")
    raw_articles = data.get("articles")
    if raw_articles is None:
        raw_articles = []
    if not isinstance(raw_articles, list) or not all(isinstance(a, dict) for a in raw_articles):
        raise InputError("'articles' must be a list of article objects")
    try:
        draft = Draft.from_dict(data)
        articles = [Article.from_dict(a) for a in raw_articles]
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise InputError(f"not a draft as `newsdesk write` prints it ({exc})") from exc
    return draft, articles


def _failed_report(story_id: str, why: str) -> Report:
    return Report(story_id=story_id, passed=False, problems=(Problem("input", "", why),))


@app.command("verify")
def verify_command(
    drafts: Annotated[
        str, typer.Argument(help="JSON lines of drafts with their 'articles', or - for stdin.")
    ],
) -> None:
    """Check each draft's numbers, names, dates, quotations, support and repetition."""
    unreadable = 0
    try:
        for number, line in numbered_lines(drafts):
            if not line.strip():
                continue
            where = f"{drafts}:{number}" if drafts != "-" else f"line {number}"
            try:
                draft, articles = parse_line(line)
            except InputError as exc:
                report_failure(where, str(exc))
                print_json_line(_failed_report("", f"line {number}: {exc}").to_dict())
                unreadable += 1
                continue
            if not articles:
                report_failure(where, "the draft comes with no source articles")
            try:
                report = verify_draft(draft, articles)
            except Exception as exc:  # a bug of ours must not kill the batch
                report_failure(where, f"unexpected {type(exc).__name__}: {exc}")
                report = _failed_report(draft.story_id, f"verifier failed: {exc}")
                unreadable += 1
            print_json_line(report.to_dict())
    except InputError as exc:
        report_failure(drafts, str(exc))
        raise typer.Exit(code=1) from exc
    if unreadable:
        raise typer.Exit(code=1)
