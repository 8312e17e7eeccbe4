"""Awarded campaigns and honours in any state, built through the real services."""

from __future__ import annotations

from datetime import date, timedelta

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.db import get_session
from portal.honours import revocation, rules, service
from portal.honours.models import Honour
from tests.factories import make_application, make_campaign, make_user, shanghai
from tests.notice.helpers import four_organizers, open_notice, with_candidates

# The default notice opens Monday 2026-12-07 for five working days: it ends on Friday 12-11.
DURING_NOTICE = shanghai(2026, 12, 9, 10, 0)
AFTER_NOTICE = shanghai(2026, 12, 14, 10, 0)
AWARDED_ON = date(2026, 12, 14)
# For requests, which run at the real time: a notice that ended long ago (Mon 2026-11-02).
PAST_NOTICE_OPENS = shanghai(2026, 11, 2, 9, 0)


def awarded(n: int = 3, year: int = 2026, office=None, campaign=None, past: bool = False):
    """A campaign whose notice closed and whose final list is confirmed: (campaign, honours).

    With past=True the notice ran in early November 2026 and the honours are awarded now."""
    campaign, _apps = with_candidates(n, year=year, campaign=campaign)
    office = office or make_user(Role.OFFICE)
    open_notice(campaign, opens_at=PAST_NOTICE_OPENS if past else None, office=office)
    now = None if past else AFTER_NOTICE
    honours = service.confirm_final_list(get_session(), campaign, office, now=now)
    get_session().flush()
    return campaign, honours


def make_honour(
    *,
    organization=None,
    campaign=None,
    kind=CategoryKind.TEAM,
    awarded_on: date | None = None,
    revoked_on: date | None = None,
    reason: str = "",
    **app_fields,
) -> Honour:
    """One honour row for an awarded packet, dated as asked (for lists, flags and expiry)."""
    session = get_session()
    campaign = campaign or make_campaign(year=2100 + session.query(Honour).count())
    app = make_application(
        ApplicationState.AWARDED,
        campaign=campaign,
        organization=organization,
        kind=kind,
        **app_fields,
    )
    awarded_on = awarded_on or rules.shanghai_today() - timedelta(days=30)
    serial = session.query(Honour).filter(Honour.campaign_id == campaign.id).count() + 1
    honour = Honour(
        application=app,
        campaign_id=campaign.id,
        campaign_year=campaign.year,
        category_id=app.category_id,
        organization_id=app.organization_id,
        district_id=app.district_id,
        industry_id=app.industry_id,
        holder_name=app.title,
        unit_name=app.organization.name,
        certificate_number=rules.certificate_number(campaign.year, kind, serial),
        verification_code=rules.new_verification_code(),
        awarded_on=awarded_on,
        valid_until=rules.valid_until_for(awarded_on),
    )
    if revoked_on is not None:
        honour.revoked_at = shanghai(revoked_on.year, revoked_on.month, revoked_on.day, 10, 0)
        honour.revocation_reason = reason or "与顾客发生争吵，经查属实"
    session.add(honour)
    session.flush()
    return honour


__all__ = ["four_organizers", "DURING_NOTICE", "AFTER_NOTICE", "AWARDED_ON"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def inspection_with_file(honour: Honour, office=None):
    """An unannounced inspection of the honour with one PNG of evidence."""
    import io

    data = service.InspectionData(
        inspected_on=honour.awarded_on,
        unannounced=True,
        inspector="市创建办 王明",
        findings="窗口服务规范，未发现问题。",
        score=None,
    )
    return service.record_inspection(
        get_session(),
        honour,
        office or make_user(Role.OFFICE),
        data,
        [(io.BytesIO(PNG), "现场.png")],
    )


def proposal_for(honour: Honour, office=None, reason: str = "经查实与顾客发生争吵"):
    return revocation.propose_revocation(
        get_session(), honour, office or make_user(Role.OFFICE), reason, honour.awarded_on
    )
