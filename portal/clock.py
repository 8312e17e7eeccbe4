"""The one clock: the instant now in UTC, and the calendar date in Asia/Shanghai.

Timestamps are stored in UTC; deadlines, notice days and honour dates are kept in Beijing
time. Everything that asks "what time is it" or "what day is it" asks here, so a test or a
caller that passes an instant gets the same answer everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def shanghai_date(instant: datetime) -> date:
    """The date in Asia/Shanghai at `instant`."""
    return instant.astimezone(SHANGHAI).date()


def shanghai_today(now: datetime | None = None) -> date:
    """Today in Asia/Shanghai (at `now`, when given)."""
    return shanghai_date(now or utcnow())


# The patterns pages give the `shanghai` filter, as strftime formats: digits only, the same in
# every language, so they need no locale (Babel's formatting costs ten times as much a date).
SHANGHAI_FORMATS = {
    "yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M",
    "yyyy-MM-dd HH:mm:ss": "%Y-%m-%d %H:%M:%S",
    "yyyy-MM-dd": "%Y-%m-%d",
}


def shanghai_text(instant: datetime, pattern: str = "yyyy-MM-dd HH:mm") -> str | None:
    """The instant in Beijing time as `pattern` (one of SHANGHAI_FORMATS) gives it, or None
    for another pattern. A naive instant is UTC, as the database stores it."""
    strf = SHANGHAI_FORMATS.get(pattern)
    if strf is None:
        return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(SHANGHAI).strftime(strf)
