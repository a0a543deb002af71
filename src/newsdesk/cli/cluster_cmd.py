"""`newsdesk cluster` and `newsdesk stories`: group articles into stories in the store, list them.

`cluster` reads article JSON lines (``newsdesk extract`` output, or minimal objects with
``id``, ``title`` and optionally ``text`` and ``published``), clusters the ones not yet in
a story, and prints ``{"article_id": ..., "story_id": ...}`` per article in input order.
A line that cannot be used (malformed JSON, nothing to cluster, an id seen on an earlier
line) is reported on standard error with its line number; the rest goes on and the exit
status is 1. Lines out of time order are clustered in time order and noted on standard
error; a date that cannot be read, or one in the future or before 1990, is noted and the
article clustered on content alone (as an undated one is). They are not failures.

Languages: by default a story holds every language and unlabelled articles' languages are
guessed (``--separate-languages``, ``--no-language-guess`` change that). The store keeps the
clusterer's config from its first clustering: later runs without the options go on with
it, and an option that contradicts it is an error (exit status 1, nothing clustered).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from newsdesk.cli import allow_quick_exit, app
from newsdesk.cli.options import (
    HeadlineMeaning,
    LanguageGuess,
    MixLanguages,
    StoreUrl,
    cluster_config,
)
from newsdesk.cli.output import (
    json_object,
    numbered_lines,
    print_json_line,
    report_failure,
    to_minute,
)
from newsdesk.errors import InputError, NewsdeskError
from newsdesk.model import Article


def parse_article(line: str, where: str | None = None) -> Article:
    """An article from one JSON line; InputError says what is wrong with it.

    A date it cannot read is noted (under ``where``) and left out: the article is
    clustered on content alone (as is one in the future or before 1990).
    """
    data = json_object(line.strip(), "an article")
    for name in ("id", "title", "text", "published", "url"):
        value = data.get(name)
        if value is not None and not isinstance(value, str | int | float):
            raise InputError(f"field {name!r} must be text, not {type(value).__name__}")
    if data.get("id") is not None:
        data["id"] = str(data["id"])
    published = data.get("published")
    if isinstance(published, int | float) and not isinstance(published, bool):
        # Epoch seconds or milliseconds, as aggregators write them: kept as ISO 8601.
        from newsdesk.text.dates import epoch_seconds, iso_from_epoch

        seconds = epoch_seconds(published)
        data["published"] = iso_from_epoch(seconds) if seconds is not None else None
    try:
        article = Article.from_dict(data)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise InputError(f"not an article as `newsdesk extract` prints it ({exc})") from exc
    if not article.title.strip() and not article.text.strip():
        raise InputError("no title and no text: nothing to cluster")
    if where and isinstance(published, str) and published.strip() and article.published is None:
        _note(where, f"unreadable date {published!r}: clustered on content alone")
    elif where and article.published is not None:
        from newsdesk.cluster.news_time import article_time

        problem = article_time(article).problem  # a date in the future, or before 1990
        if problem:
            _note(where, f"{problem}: clustered on content alone")
    return article


def _read(source: str) -> tuple[list[tuple[int, Article]], int]:
    """Usable articles with their line numbers, and how many lines failed."""
    from newsdesk.text.dates import epoch_seconds

    label = "standard input" if source == "-" else source
    seen: dict[str, int] = {}
    articles: list[tuple[int, Article]] = []
    failed = 0
    latest: tuple[float, int] | None = None
    early: list[int] = []  # lines published before an earlier line: one note for them all
    for number, line in numbered_lines(source):
        if not line.strip():
            continue
        where = f"{label}:{number}"
        try:
            article = parse_article(line, where)
        except InputError as exc:
            report_failure(where, str(exc))
            failed += 1
            continue
        if article.id in seen:
            report_failure(where, f"duplicate id {article.id!r} (first on line {seen[article.id]})")
            failed += 1
            continue
        seen[article.id] = number
        when = epoch_seconds(article.published)
        if when is not None:
            if latest is not None and when < latest[0]:
                early.append(number)
            if latest is None or when >= latest[0]:
                latest = (when, number)
        articles.append((number, article))
    if early:
        lines = ", ".join(str(n) for n in early[:5]) + (", ..." if len(early) > 5 else "")
        _note(
            label,
            f"{len(early)} article(s) published before an earlier line (lines {lines}): "
            "clustered in time order",
        )
    return articles, failed


def _note(where: str, text: str) -> None:
    sys.stderr.write(f"newsdesk: {where}: note: {text}\n")


@app.command("cluster")
def cluster_command(
    source: Annotated[
        str, typer.Argument(help="Article JSON lines file, or - for standard input.")
    ],
    db: StoreUrl = None,
    mix_languages: MixLanguages = None,
    language_guess: LanguageGuess = None,
    headline_meaning: HeadlineMeaning = None,
) -> None:
    """Cluster articles into stories; print each article's story id, in input order."""
    from newsdesk.cli.options import open_store
    from newsdesk.pipeline.clustering import SavedClusterer, cluster_into_store

    try:
        articles, failed = _read(source)
    except InputError as exc:
        report_failure(source, str(exc))
        raise typer.Exit(code=1) from exc
    try:
        with open_store(db) as store:
            saved = SavedClusterer.read(store)  # read and decompressed once
            config = cluster_config(saved, mix_languages, language_guess, headline_meaning)
            lines = {article.id: number for number, article in articles}
            unclustered: list[tuple[int, str]] = []
            pairs = cluster_into_store(
                store,
                [a for _, a in articles],
                config,
                saved=saved,
                on_failure=lambda a, why: unclustered.append((lines[a.id], why)),
            )
    except NewsdeskError as exc:
        report_failure(db or "store", str(exc))
        raise typer.Exit(code=1) from exc
    label = "standard input" if source == "-" else source
    for number, why in sorted(unclustered):
        report_failure(f"{label}:{number}", f"not clustered: {why}")
    for article_id, story_id in pairs:
        print_json_line({"article_id": article_id, "story_id": story_id})
    allow_quick_exit()  # the store is closed, every line written
    if failed or unclustered:
        raise typer.Exit(code=1)


def _outlet(article: Article) -> str:
    if article.site_name:
        return article.site_name
    if article.url:
        host = urlsplit(article.url).hostname or ""
        return host.removeprefix("www.")
    return ""


@app.command("stories")
def stories_command(
    db: StoreUrl = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="At most this many; 0 for all.")] = 50,
    with_articles: Annotated[
        bool,
        typer.Option(
            "--with-articles",
            help="jsonl: 'articles' lists the story's articles (as `newsdesk extract` prints "
            "them), so `newsdesk write -` can read the lines; the count moves to 'article_count'.",
        ),
    ] = False,
) -> None:
    """List stories, most recently seen first: id, headline (its draft's, once written),
    articles, outlets (paywalled ones marked), first and last seen."""
    from newsdesk.cli.options import open_store

    if format not in ("table", "jsonl"):
        raise typer.BadParameter("--format must be table or jsonl")
    try:
        with open_store(db) as store:
            rows = []
            stories = store.list_stories(limit=limit or None)
            drafts = store.get_drafts(s.id for s in stories)
            for story in stories:
                members = store.story_articles(story.id)
                stored = drafts.get(story.id)
                outlets = sorted({o for o in map(_outlet, members) if o})
                walled = sorted({_outlet(a) for a in members if a.access == "paywalled"} - {""})
                row: dict[str, Any] = {
                    "id": story.id,
                    # the written draft's headline, as the site and the API show it; the
                    # clusterer's (its most central article's title) before one is written
                    "headline": (stored.draft.headline if stored else "") or story.headline,
                    "articles": len(story.article_ids),
                    "outlets": outlets,
                    "paywalled": walled,  # outlets whose article is a teaser behind a wall
                    "first_seen": story.first_seen,
                    "last_seen": story.last_seen,
                    "aliases": list(story.aliases),
                }
                if with_articles and format == "jsonl":
                    row["article_count"] = row["articles"]
                    row["articles"] = [a.to_dict() for a in members]
                rows.append(row)
    except NewsdeskError as exc:
        report_failure(db or "store", str(exc))
        raise typer.Exit(code=1) from exc
    if format == "jsonl":
        for row in rows:
            print_json_line(row)
        return
    _print_table(rows)


def _print_table(rows: list[dict[str, Any]]) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # Three columns (the outlets under each headline): readable in an 80-column terminal.
    table = Table(title=f"{len(rows)} stories", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("story", ratio=1, min_width=24)
    table.add_column("first seen\nlast seen", no_wrap=True)
    for row in rows:
        shown = [o + (" (paywall)" if o in row["paywalled"] else "") for o in row["outlets"]]
        outlets = ", ".join(shown[:4]) + (", ..." if len(shown) > 4 else "")
        count = row["articles"]
        members = f"{count} article{'s' if count != 1 else ''}" + (
            f": {outlets}" if outlets else ""
        )
        table.add_row(
            row["id"],
            f"{escape(row['headline'])}\n[dim]{escape(members)}[/dim]",
            to_minute(row["first_seen"]) + "\n" + to_minute(row["last_seen"]),
        )
    Console().print(table)
