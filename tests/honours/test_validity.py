"""Three years less a day; status derived from the dates in Asia/Shanghai, in Python and SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from portal.honours import rules
from portal.honours.models import Honour, HonourStatus
from tests.honours.helpers import make_honour


@pytest.mark.parametrize(
    ("awarded_on", "valid_until"),
    [
        (date(2025, 12, 20), date(2028, 12, 19)),
        (date(2026, 1, 1), date(2028, 12, 31)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # no 29 February in 2027
        (date(2025, 3, 1), date(2028, 2, 29)),  # the day before 1 March 2028 is the leap day
        (date(2023, 2, 28), date(2026, 2, 27)),
    ],
)
def test_an_honour_is_valid_three_years_less_a_day(awarded_on, valid_until):
    assert rules.valid_until_for(awarded_on) == valid_until


def test_the_shanghai_day_changes_at_16_00_utc():
    assert rules.shanghai_today(datetime(2028, 12, 19, 15, 59, 59, tzinfo=UTC)) == date(
        2028, 12, 19
    )
    assert rules.shanghai_today(datetime(2028, 12, 19, 16, 0, 0, tzinfo=UTC)) == date(2028, 12, 20)


def test_an_honour_expires_when_the_last_valid_day_ends_in_shanghai(session):
    honour = make_honour(awarded_on=date(2025, 12, 20))
    last_evening = rules.shanghai_today(datetime(2028, 12, 19, 15, 59, 59, tzinfo=UTC))
    next_morning = rules.shanghai_today(datetime(2028, 12, 19, 16, 0, 0, tzinfo=UTC))
    assert honour.status_on(last_evening) is HonourStatus.ACTIVE
    assert honour.status_on(next_morning) is HonourStatus.EXPIRED


def test_a_revoked_honour_is_revoked_whatever_its_dates(session):
    honour = make_honour(awarded_on=date(2025, 12, 20), revoked_on=date(2026, 6, 1))
    assert honour.status_on(date(2026, 6, 2)) is HonourStatus.REVOKED
    assert honour.status_on(date(2030, 1, 1)) is HonourStatus.REVOKED


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2028, 12, 19), HonourStatus.ACTIVE), (date(2028, 12, 20), HonourStatus.EXPIRED)],
)
def test_sql_status_agrees_with_python_at_the_edge(session, today, expected):
    honour = make_honour(awarded_on=date(2025, 12, 20))
    revoked = make_honour(awarded_on=date(2025, 12, 20), revoked_on=date(2026, 1, 5))
    in_sql = dict(
        session.execute(
            sa.select(Honour.id, Honour.status_expression(today)).where(
                Honour.id.in_([honour.id, revoked.id])
            )
        ).all()
    )
    assert in_sql == {honour.id: expected.value, revoked.id: "revoked"}
    for status in HonourStatus:
        found = session.scalars(
            sa.select(Honour.id).where(
                Honour.status_filter(status, today), Honour.id.in_([honour.id, revoked.id])
            )
        ).all()
        assert set(found) == {h.id for h in (honour, revoked) if h.status_on(today) is status}


def test_certificate_numbers_name_year_kind_and_serial():
    from portal.campaigns.models import CategoryKind

    assert rules.certificate_number(2026, CategoryKind.TEAM, 1) == "FWMX-2026-T-001"
    assert rules.certificate_number(2026, CategoryKind.INDIVIDUAL, 42) == "FWMX-2026-I-042"


def test_verification_codes_avoid_look_alike_characters():
    codes = {rules.new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 10 for c in codes)
    assert not set("".join(codes)) & set("01OIL")


def test_a_typed_code_is_read_without_case_spaces_or_dashes():
    assert rules.normalize_code(" abcde-fgh23 ") == "ABCDEFGH23"
    assert rules.normalize_code("ABCDEFGH2") is None  # too short
    assert rules.normalize_code("ABCDEFGH20") is None  # 0 is never used
