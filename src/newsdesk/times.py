"""Reading ISO 8601 times the way every stage agrees on: naive means UTC, a date means midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime


def parse_iso(value: str | date | datetime | None) -> datetime | None:
    """A timezone-aware datetime for ISO 8601 text (``Z`` allowed), a date or a datetime.

    ``None`` for anything that is no time. A time without an offset counts as UTC; a date
    alone as midnight UTC.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
