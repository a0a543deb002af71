"""ISO 8601 times in UTC, the one form the store keeps and compares times in."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now_iso() -> str:
    """The current time, ISO 8601 UTC with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def to_utc_iso(value: datetime | date | str | None) -> str | None:
    """Normalise a time to ISO 8601 UTC with microseconds, or ``None`` if it is no time.

    Naive times count as UTC; a date alone counts as midnight UTC. Every value has the same
    shape (``2026-11-22T04:10:00.000000+00:00``), so they compare correctly as text.
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
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")
