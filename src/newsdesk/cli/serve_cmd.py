"""`newsdesk serve`: the HTTP API and web pages over a store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli import app
from newsdesk.cli.options import StoreUrl
from newsdesk.cli.output import report_failure

if TYPE_CHECKING:
    from newsdesk.serve import ServeSettings


@app.command("serve")
def serve_command(
    db: StoreUrl = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")
    ] = 8000,
) -> None:
    """Serve stories: JSON API under /api, web pages at /, Atom feed at /feed.atom, docs at /docs.

    Reading (GET /api/stories, /api/articles, the pages, the feed) is open to anyone.
    POST /api/ingest and GET /api/runs need the bearer token in $NEWSDESK_INGEST_TOKEN
    (disabled without it). POST /api/extract needs $NEWSDESK_EXTRACT_TOKEN, else the
    ingest token; it is open to anyone when neither is set or NEWSDESK_EXTRACT_PUBLIC=1.
    The start-up message says which endpoints are open.
    """
    import uvicorn

    from newsdesk.cli.options import open_store
    from newsdesk.serve import ServeSettings, create_app
    from newsdesk.store import StoreError

    try:
        store = open_store(db)
    except StoreError as exc:
        report_failure(db or "store", str(exc))
        raise typer.Exit(code=1) from None
    settings = ServeSettings.from_env()
    for line in access_lines(settings):
        typer.echo(f"newsdesk: {line}", err=True)
    try:
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level="info")
    finally:
        store.close()


def access_lines(settings: ServeSettings) -> list[str]:
    """Who may use which endpoint under ``settings``, one line each, for the start-up message.

    Worded from the same settings the routes check (``ServeSettings.required_extract_token``),
    so what it says is what the server does.
    """
    lines = ["open to anyone: GET /api/stories, /api/articles, web pages, /feed.atom, /docs"]
    if settings.extract_public:
        lines.append("POST /api/extract: open to anyone (NEWSDESK_EXTRACT_PUBLIC=1)")
    elif settings.extract_token:
        lines.append("POST /api/extract: needs the bearer token in NEWSDESK_EXTRACT_TOKEN")
    elif settings.ingest_token:
        lines.append(
            "POST /api/extract: needs the bearer token in NEWSDESK_INGEST_TOKEN "
            "(set NEWSDESK_EXTRACT_TOKEN for a token of its own)"
        )
    else:
        lines.append(
            "POST /api/extract: open to anyone (no NEWSDESK_EXTRACT_TOKEN or "
            "NEWSDESK_INGEST_TOKEN; set one to require a token)"
        )
    if settings.ingest_token:
        lines.append(
            "POST /api/ingest, GET /api/runs: need the bearer token in NEWSDESK_INGEST_TOKEN"
        )
    else:
        lines.append(
            "POST /api/ingest, GET /api/runs: disabled (set NEWSDESK_INGEST_TOKEN to enable them)"
        )
    return lines
