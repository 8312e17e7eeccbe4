"""Working days: weekends off, holidays and make-up days (调休) from the calendar."""

from datetime import date

from portal.accounts.models import Role
from portal.notice.models import DayKind
from portal.notice.service import load_marks, mark_day
from portal.notice.workdays import add_working_days, last_notice_day, notice_window
from tests.factories import make_user, shanghai

# National Day 2026: 1–7 October off; Sunday 27 September and Saturday 10 October worked.
NATIONAL_DAY = {
    **{date(2026, 10, d): False for d in range(1, 8)},
    date(2026, 9, 27): True,
    date(2026, 10, 10): True,
}


def test_plain_weeks_skip_the_weekend():
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Fri + 1 = Mon
    assert add_working_days(date(2026, 12, 7), 4) == date(2026, 12, 11)  # Mon + 4 = Fri
    assert add_working_days(date(2026, 12, 7), 5) == date(2026, 12, 14)
    assert add_working_days(date(2026, 12, 5), 0) == date(2026, 12, 5)


def test_holidays_are_skipped_and_make_up_days_count():
    # Fri 25 Sep + 1 → Sun 27 Sep (make-up day); + 2 → Mon 28; + 4 → Wed 30; + 5 → Thu 8 Oct.
    assert add_working_days(date(2026, 9, 25), 1, NATIONAL_DAY) == date(2026, 9, 27)
    assert add_working_days(date(2026, 9, 25), 2, NATIONAL_DAY) == date(2026, 9, 28)
    assert add_working_days(date(2026, 9, 25), 4, NATIONAL_DAY) == date(2026, 9, 30)
    assert add_working_days(date(2026, 9, 25), 5, NATIONAL_DAY) == date(2026, 10, 8)
    # 8 Thu, 9 Fri, 10 Sat (make-up), 12 Mon
    assert add_working_days(date(2026, 10, 8), 3, NATIONAL_DAY) == date(2026, 10, 12)
    assert add_working_days(date(2026, 10, 8), 2, NATIONAL_DAY) == date(2026, 10, 10)


def test_the_opening_day_counts_when_it_is_a_working_day():
    assert last_notice_day(date(2026, 12, 7), 5) == date(2026, 12, 11)  # Mon..Fri
    assert last_notice_day(date(2026, 12, 9), 5) == date(2026, 12, 15)  # Wed..Tue
    # Opening on a Saturday: Monday is the first day.
    assert last_notice_day(date(2026, 12, 5), 5) == date(2026, 12, 11)
    # Opening on Tue 29 Sep before National Day: 29, 30 Sep, 8, 9, 10 Oct.
    assert last_notice_day(date(2026, 9, 29), 5, NATIONAL_DAY) == date(2026, 10, 10)


def test_the_window_closes_after_235959_shanghai_of_the_last_day():
    opens, closes = notice_window(shanghai(2026, 12, 7, 15, 30), 5)
    assert opens == shanghai(2026, 12, 7, 15, 30)
    assert closes == shanghai(2026, 12, 12, 0, 0)  # right after Fri 11 Dec 23:59:59
    assert closes.astimezone().utcoffset() is not None
    assert closes.isoformat().startswith("2026-12-11T16:00:00")  # in UTC


def test_calendar_marks_come_from_the_table(session):
    office = make_user(Role.OFFICE)
    mark_day(session, office, date(2026, 10, 1), DayKind.HOLIDAY, "国庆节")
    mark_day(session, office, date(2026, 10, 10), DayKind.WORKDAY, "调休")
    marks = load_marks(session, date(2026, 10, 1), date(2026, 10, 31))
    assert marks == {date(2026, 10, 1): False, date(2026, 10, 10): True}
