"""Demo of the application conditions in the open campaign: its rules, the units' declarations
on the packets handed in, the individual returned for revision now short of the years in post
(the unit corrected the date of taking the post), and a declaration contested by the union
reviewer of the packet waiting at the union stage. Idempotent."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.applications.members import derive_figures
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.eligibility import service
from portal.eligibility.models import CleanRecordDeclaration

UNION_REVIEWER = "gonghui.huangpu@demo.example.com"
CONTESTED_TEAM = "黄金珠宝柜组服务班组"
CONTEST_REASON = (
    "据区消费者权益保护委员会反馈，该柜组2025年有一起经核实的重大投诉，与申报承诺不符，请单位说明。"
)


def _declare_handed_in(session: Session, campaign: Campaign) -> None:
    """The units of the packets handed in signed their declarations when they applied."""
    declared = sa.select(CleanRecordDeclaration.application_id)
    apps = session.scalars(
        sa.select(Application).where(
            Application.campaign_id == campaign.id,
            Application.state != ApplicationState.DRAFT,
            Application.id.not_in(declared),
        )
    )
    for app in apps:
        rules = service.rules_of(session, app.category)
        years = (rules.clean_record_years if rules else None) or 2
        session.add(
            CleanRecordDeclaration(
                application=app, years=years, signed_at=app.submitted_at or app.created_at
            )
        )
    session.flush()


def _short_in_post(session: Session, campaign: Campaign) -> None:
    """The returned individual took the current post two years before the reference date."""
    app = session.scalar(
        sa.select(Application)
        .where(
            Application.campaign_id == campaign.id,
            Application.state == ApplicationState.RETURNED,
            Application.kind == CategoryKind.INDIVIDUAL,
        )
        .order_by(Application.id)
    )
    if app is None:
        return
    ref = campaign.reference_date
    app.post_start_date = date(ref.year - 2, 3, 1)
    derive_figures(app)


def _contested(session: Session, campaign: Campaign) -> None:
    reviewer = session.scalar(sa.select(User).where(User.email == UNION_REVIEWER))
    app = session.scalar(
        sa.select(Application).where(
            Application.campaign_id == campaign.id, Application.team_name == CONTESTED_TEAM
        )
    )
    if reviewer is None or app is None:
        return
    declaration = service.declaration_of(session, app)
    if declaration is not None and declaration.contested_at is None:
        service.contest_declaration(session, reviewer, app, CONTEST_REASON)


def seed_eligibility_demo(session: Session, campaign: Campaign | None) -> None:
    if campaign is None:
        return
    service.seed_rules(session, campaign)
    _declare_handed_in(session, campaign)
    _short_in_post(session, campaign)
    _contested(session, campaign)
    session.flush()
