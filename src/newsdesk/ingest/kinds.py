"""What a SOURCE argument is, from its form alone: stdin, URL, sources file, WARC or path.

Kept apart from ``sources`` (which reads them) so that a command given only files and
folders never imports the fetching side (its settings, address checks, sockets): about
12 ms of every start.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.ingest.warc import is_warc_path


@dataclass(frozen=True)
class SourceSpec:
    """One source: its kind and where it is."""

    kind: str  # stdin | url | feed | sitemap | path | warc | sources
    location: str
    max_pages: int | None = None
    url: str | None = None  # a single file's own URL (``path`` plus ``url``)


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def resolve_source(source: str) -> SourceSpec:
    """What a SOURCE argument is, from its form alone (URLs are recognised after fetching)."""
    source = source.strip()
    if source == "-":
        return SourceSpec("stdin", "-")
    if is_url(source):
        return SourceSpec("url", source)
    if source.lower().endswith(".toml"):
        return SourceSpec("sources", source)
    if is_warc_path(source):
        return SourceSpec("warc", source)
    return SourceSpec("path", source)
