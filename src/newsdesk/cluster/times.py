"""Reading article times: ISO 8601 text (date only, naive, or with offset) to epoch seconds."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.times import parse_iso


def parse_time(value: object) -> float | None:
    """Seconds since the epoch (UTC) for an ISO 8601 string or a number, else ``None``.

    A date without a time counts as midnight UTC; a time without an offset as UTC.
    Numbers above 1e11 are taken as milliseconds (as news aggregators write them).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number / 1000.0 if abs(number) > 1e11 else number
    moment = parse_iso(str(value))
    if moment is None:
        return None
    return moment.timestamp()


def iso(seconds: float) -> str:
    """ISO 8601 text in UTC, to the second."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
