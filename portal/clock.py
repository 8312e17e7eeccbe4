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
