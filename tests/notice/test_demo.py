"""The notice demo: 2025 closed with a dismissed and an upheld objection; a 2026 calendar."""

from datetime import date

import sqlalchemy as sa

from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign
from portal.demo import seed_demo
from portal.notice import public, service
from portal.notice.models import CalendarDay, Objection, ObjectionStatus
from portal.notice.workdays import add_working_days
from tests.factories import shanghai


def test_demo_2025_notice_closed_with_both_outcomes(session):
    seed_demo(today=date(2026, 9, 1))
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == 2025))
    notice = service.get_notice(session, campaign)
    assert notice.opens_at == shanghai(2025, 12, 1, 9, 0)
    assert notice.closes_at == shanghai(2025, 12, 6, 0, 0)  # after Friday 5 December
    assert service.notice_closed(session, campaign)
    cases = session.scalars(sa.select(Objection).order_by(Objection.id)).all()
    assert [c.status for c in cases] == [ObjectionStatus.DISMISSED, ObjectionStatus.UPHELD]
    # still on the list; the honours seed may have awarded the final list since
    assert cases[0].application.state in (ApplicationState.CANDIDATE, ApplicationState.AWARDED)
    assert cases[1].application.state is ApplicationState.DISQUALIFIED
    assert notice.revision == 1
    names = [r.name for r in public.public_rows(session, notice)]
    assert cases[1].application.title not in names and len(names) >= 1

    # The 2026 calendar: National Day and its make-up Saturday.
    marks = service.load_marks(session, date(2026, 9, 1), date(2026, 10, 31))
    assert add_working_days(date(2026, 9, 30), 1, marks) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 9), 1, marks) == date(2026, 10, 10)

    before = session.scalar(sa.select(sa.func.count(CalendarDay.day)))
    seed_demo(today=date(2026, 9, 1))
    assert session.scalar(sa.select(sa.func.count(Objection.id))) == 2
    assert session.scalar(sa.select(sa.func.count(CalendarDay.day))) == before
