"""Working days (工作日) in Asia/Shanghai: weekdays, except dates the calendar marks.

The calendar marks dates against the weekday rule: a weekday holiday (节假日) or a weekend day
worked in exchange (调休). Functions here take the marks as a mapping {date: is_working_day};
`portal.notice.service.load_calendar` reads it from the database.

The notice window: it opens at an instant the office chooses, and it closes at the end of the
n-th working day (23:59:59 Asia/Shanghai, so `closes_at` is midnight after it, exclusive).
The day of opening counts as the first working day when it is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from portal.clock import SHANGHAI, shanghai_date

Marks = Mapping[date, bool]


def is_working_day(day: date, marks: Marks | None = None) -> bool:
    if marks and day in marks:
        return marks[day]
    return day.weekday() < 5


def add_working_days(start: date, n: int, marks: Marks | None = None) -> date:
    """The n-th working day after `start` (start itself not counted); n == 0 gives start."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day, marks):
            n -= 1
    return day


def last_notice_day(opening_day: date, n: int, marks: Marks | None = None) -> date:
    """The n-th working day of a window opening on `opening_day` (counted if it is working)."""
    if n < 1:
        raise ValueError("a notice lasts at least one working day")
    if is_working_day(opening_day, marks):
        return add_working_days(opening_day, n - 1, marks)
    return add_working_days(opening_day, n, marks)


def end_of_day(day: date) -> datetime:
    """The instant right after 23:59:59 Asia/Shanghai of `day`, in UTC (exclusive end)."""
    return datetime.combine(day + timedelta(days=1), time(0), SHANGHAI).astimezone(UTC)


def notice_window(
    opens_at: datetime, n: int, marks: Marks | None = None
) -> tuple[datetime, datetime]:
    """(opens_at, closes_at) of a notice of n working days opening at `opens_at`."""
    last = last_notice_day(shanghai_date(opens_at), n, marks)
    return opens_at.astimezone(UTC), end_of_day(last)
