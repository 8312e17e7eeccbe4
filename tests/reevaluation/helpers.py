"""Titles in their third year and re-evaluations at any step, built through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from portal.accounts.models import Role
from portal.clock import shanghai_today
from portal.db import get_session
from portal.honours.models import Honour
from portal.honours.rules import add_years
from portal.organizations.models import ChannelLevel, OrgKind
from portal.reevaluation import service
from portal.reevaluation.models import Reevaluation
from tests.factories import make_org, make_user
from tests.honours.helpers import make_honour
from tests.notice.helpers import four_organizers

REPORT = service.ReportData(
    changes="班组由12人调整为14人，新增两名青年员工；推行首问负责制和延时服务。",
    surveys="2028年9月发放顾客评价调查表200份，回收196份，满意率98.5%。",
    staff_count=14,
    satisfaction_rate=Decimal("98.5"),
    complaints=0,
)


def third_year_honour(days_left: int = 60, **fields) -> Honour:
    """A current title that ends `days_left` days from today (Beijing time)."""
    ends_on = shanghai_today() + timedelta(days=days_left)
    return make_honour(awarded_on=add_years(ends_on + timedelta(days=1), -3), **fields)


def opened(honour: Honour, report_by: date | None = None, office=None) -> Reevaluation:
    """A round opened for the titles now due; the re-evaluation of `honour`."""
    office = office or make_user(Role.OFFICE)
    report_by = report_by or shanghai_today() + timedelta(days=20)
    round_ = service.open_round(get_session(), office, "2028年度复评", report_by)
    return next(r for r in round_.reevaluations if r.honour_id == honour.id)


def unit_of(honour: Honour):
    return make_user(Role.ENTERPRISE, organization=honour.organization)


def channel_of(honour: Honour):
    """A reviewer of the district channel the holder's unit belongs to."""
    org = make_org(
        OrgKind.CHANNEL, channel_level=ChannelLevel.DISTRICT, district_id=honour.district_id
    )
    return make_user(Role.CHANNEL_REVIEWER, organization=org)


def submitted(r: Reevaluation, unit=None) -> Reevaluation:
    unit = unit or unit_of(r.honour)
    service.save_report(get_session(), r, unit, REPORT)
    service.submit_report(get_session(), r, unit)
    return r


def at_organizers(r: Reevaluation) -> Reevaluation:
    """Submitted, forwarded by the channel and by the office."""
    submitted(r)
    service.review(get_session(), r, channel_of(r.honour), True, "材料属实，同意复评通过")
    service.review(get_session(), r, make_user(Role.OFFICE), True, "建议续期")
    return r


def organizer():
    return next(iter(four_organizers().values()))


def renewed_jointly(r: Reevaluation) -> Reevaluation:
    """Each of the four organizers votes to renew; the fourth vote renews the title."""
    for user in four_organizers().values():
        service.decide(get_session(), r, user, renew=True)
    return r
