"""`newsdesk verify`: check drafts against their source articles and print one report per draft.

Input is JSON lines of drafts as `newsdesk write` prints them, each carrying its source
articles in an ``articles`` field (as `newsdesk extract` prints them; `newsdesk write`
adds it), so ``newsdesk stories --with-articles -f jsonl | newsdesk write - | newsdesk
verify -`` works. With ``--db``, a draft without articles is checked against the
articles it cites, read from the store. Output is one report per input line, in input
order. A line that cannot be read or checked is reported on standard error and as a
failed report, and the rest goes on. The exit status is 1 when any draft fails its
checks or could not be checked (0 only when every report passed).

The fitted support model (:mod:`newsdesk.verify.calibrated`) judges each sentence's
wording (``--checker calibrated``, the default); ``--checker rules`` has the overlap and
extrinsic-word rules judge it instead; ``--checker llm`` also asks the configured
OpenAI-compatible server for a verdict on each
sentence with its evidence passages (see :mod:`newsdesk.verify.judge`); the deterministic
checks always run and an unreachable server fails the draft, with the reason.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli import app
from newsdesk.cli.options import LlmModel, LlmUrl, StoreUrl
from newsdesk.cli.output import json_object, numbered_lines, print_json_line, report_failure
from newsdesk.errors import InputError, NewsdeskError, unexpected
from newsdesk.model import Article, Draft, Problem, Report

if TYPE_CHECKING:
    from newsdesk.store import Store

CHECKERS = ("rules", "calibrated", "llm")


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


def cited_ids(draft: Draft) -> list[str]:
    """The article ids a draft lists as sources or cites, in first-seen order."""
    ids = [s.id for s in draft.sources]
    ids += [c for sentence in draft.sentences() for c in sentence.citations]
    return list(dict.fromkeys(ids))


def _failed_report(story_id: str, why: str) -> Report:
    return Report(story_id=story_id, passed=False, problems=(Problem("input", "", why),))


@app.command("verify")
def verify_command(
    drafts: Annotated[
        str, typer.Argument(help="JSON lines of drafts with their 'articles', or - for stdin.")
    ],
    db: StoreUrl = None,
    checker: Annotated[
        str,
        typer.Option(
            "--checker",
            help="calibrated: the fitted support model judges wording; rules: overlap and "
            "extrinsic-word rules judge it; llm: the calibrated checks plus a verdict per "
            "sentence from the LLM.",
        ),
    ] = "calibrated",
    llm_url: LlmUrl = None,
    llm_model: LlmModel = None,
) -> None:
    """Check each draft's numbers, names, dates, quotations, support and repetition."""
    if checker not in CHECKERS:
        raise typer.BadParameter("--checker must be rules, calibrated or llm")
    from newsdesk.verify import verify_draft

    check = verify_draft  # calibrated: the default
    if checker == "rules":
        check = partial(verify_draft, calibrated=False)
    if checker == "llm":
        from newsdesk.verify.judge import JudgeConfig, judged_verifier

        try:
            check = judged_verifier(JudgeConfig.from_settings(llm_url, llm_model))
        except NewsdeskError as exc:
            report_failure("verify", str(exc))
            raise typer.Exit(code=2) from exc
    failed = 0
    store: Store | None = None
    try:
        if db is not None:
            from newsdesk.cli.options import open_store

            store = open_store(db)
        for number, line in numbered_lines(drafts):
            if not line.strip():
                continue
            where = f"{drafts}:{number}" if drafts != "-" else f"line {number}"
            try:
                draft, articles = parse_line(line)
                if not articles and store is not None:
                    articles = store.get_articles(cited_ids(draft))
            except NewsdeskError as exc:
                report_failure(where, str(exc))
                print_json_line(_failed_report("", f"line {number}: {exc}").to_dict())
                failed += 1
                continue
            if not articles:
                how = "the store has none of the articles it cites" if store else "use --db"
                report_failure(where, f"the draft comes with no source articles ({how})")
            try:
                report = check(draft, articles)
            except Exception as exc:  # a bug of ours must not kill the batch
                report_failure(where, unexpected(exc))
                report = _failed_report(draft.story_id, f"verifier failed: {exc}")
            if not report.passed:
                failed += 1
            print_json_line(report.to_dict())
    except NewsdeskError as exc:
        report_failure(drafts if store is not None or db is None else db, str(exc))
        raise typer.Exit(code=1) from exc
    finally:
        if store is not None:
            store.close()
    if failed:
        raise typer.Exit(code=1)
