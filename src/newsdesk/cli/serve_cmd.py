"""`newsdesk serve`: the HTTP API and web pages over a store."""

from __future__ import annotations

from typing import Annotated

import typer

from newsdesk.cli import app
from newsdesk.cli.output import report_failure


@app.command("serve")
def serve_command(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Store URL or SQLite path (default: $NEWSDESK_STORE or ./newsdesk.db)."
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")
    ] = 8000,
) -> None:
    """Serve stories: JSON API under /api, web pages at /, Atom feed at /feed.atom, docs at /docs.

    POST /api/ingest needs the bearer token in $NEWSDESK_INGEST_TOKEN (disabled without it).
    """
    import uvicorn

    from newsdesk.serve import ServeSettings, create_app
    from newsdesk.store import StoreError, open_store

    try:
        store = open_store(db)
    except StoreError as exc:
        report_failure(db or "store", str(exc))
        raise typer.Exit(code=1) from None
    settings = ServeSettings.from_env()
    if not settings.ingest_token:
        typer.echo(
            "newsdesk: ingest is disabled (set NEWSDESK_INGEST_TOKEN to enable it)", err=True
        )
    try:
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level="info")
    finally:
        store.close()
