"""ISO 8601 times in UTC, the one form the store keeps and compares times in."""

from __future__ import annotations

from datetime import UTC, date, datetime

from newsdesk.text.dates import utc_iso


def now_iso() -> str:
    """The current time, ISO 8601 UTC with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def to_utc_iso(value: datetime | date | str | None) -> str | None:
    """Normalise a time to ISO 8601 UTC with microseconds, or ``None`` if it is no time.

    Naive times count as UTC; a date alone counts as midnight UTC. Every value has the same
    shape (``2026-11-22T04:10:00.000000+00:00``), so they compare correctly as text.
    """
    return utc_iso(value, timespec="microseconds")
