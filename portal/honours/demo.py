"""Demo of honours: the closed 2025 campaign's final list awarded, one inspection, one title
revoked by the four organizers. Idempotent; returns lines for the demo's output."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.campaigns.models import Campaign
from portal.honours import awards, revocation, rules, service
from portal.honours.models import AwardRecovery, Honour, HonourStatus
from portal.notice.service import get_notice, organizers
from portal.notice.workdays import SHANGHAI
from portal.roles import Role

INSPECTED_ON = date(2026, 3, 18)
BREACH_ON = date(2026, 6, 8)
REVOKED_AT = datetime.combine(date(2026, 6, 15), time(10, 0), tzinfo=SHANGHAI)
RECOVERED_AT = REVOKED_AT + timedelta(days=7)
REVOCATION_REASON = "2026年6月8日暗访发现窗口人员与顾客发生争吵，经核实属严重违反申报条件。"


def _first_user(session: Session, role: Role, organization_id: int | None = None) -> User | None:
    query = sa.select(User).where(User.role == role, User.active).order_by(User.id)
    if organization_id is not None:
        query = query.where(User.organization_id == organization_id)
    return session.scalar(query)


def _award(session: Session, campaign: Campaign, office: User) -> list[Honour]:
    notice = get_notice(session, campaign)
    if notice is None:
        return []
    after = notice.closes_at + timedelta(days=3)
    if not service.notice_has_closed(session, campaign, after):
        return []
    return service.confirm_final_list(session, campaign, office, now=after)


def _manage(session: Session, honours: list[Honour], office: User) -> None:
    """One inspection of the first honour; the last one revoked by all four organizers."""
    first, last = honours[0], honours[-1]
    service.record_inspection(
        session,
        first,
        office,
        service.InspectionData(
            inspected_on=INSPECTED_ON,
            unannounced=True,
            inspector="市创建办 林小燕",
            findings="暗访午间时段窗口，服务规范、等候有序，未发现问题。",
            score=Decimal("96.0"),
        ),
    )
    found = [
        _first_user(session, Role.ORGANIZER, org.id) for org in organizers(session).values() if org
    ]
    approvers = [user for user in found if user is not None]
    if len(honours) < 2 or len(approvers) < 4 or len(approvers) < len(found):
        return
    proposal = revocation.propose_revocation(
        session, last, office, REVOCATION_REASON, BREACH_ON, now=REVOKED_AT - timedelta(days=5)
    )
    for approver in approvers:
        revocation.decide_revocation(session, proposal, approver, approve=True, now=REVOKED_AT)
    _recover_award(session, last, office)


def _recover_award(session: Session, honour: Honour, office: User) -> None:
    """The revoked title's certificate, medal and bonus came back a week later."""
    given = awards.AwardData(certificate=True, prize="奖牌一枚", bonus_yuan=Decimal("2000"))
    awards.record_award(session, honour, office, given, now=REVOKED_AT - timedelta(days=5))
    back = awards.RecoveryData(
        recovery=AwardRecovery.RECOVERED,
        recovered_on=RECOVERED_AT.date(),
        recovered_by="市创建办 林小燕",
        note="证书、奖牌原件及奖金已由单位交回。",
    )
    awards.record_recovery(session, honour, office, back, now=RECOVERED_AT)


def seed_honours_demo(session: Session, campaign: Campaign | None) -> list[str]:
    """Award the campaign's final list once its notice has closed, and manage the honours."""
    if campaign is None:
        return []
    office = _first_user(session, Role.OFFICE)
    honours = list(
        session.scalars(
            sa.select(Honour).where(Honour.campaign_id == campaign.id).order_by(Honour.id)
        )
    )
    if not honours and office is not None:
        honours = _award(session, campaign, office)
        if honours:
            _manage(session, honours, office)
            session.commit()
    today = rules.shanghai_today()
    active = [h for h in honours if h.status_on(today) is HonourStatus.ACTIVE]
    if not active:
        return []
    return [
        f"Honours of {campaign.year}: {len(honours)} awarded. Verify a certificate at "
        f"/honours/verify?code={active[0].verification_code}"
    ]
