"""HTTP API and web pages over the store: ``create_app(store, settings)``; `newsdesk serve` runs it."""

from newsdesk.serve.app import create_app
from newsdesk.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
