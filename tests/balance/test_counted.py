"""The dashboard counts its figures in the database: the same figures as portal.balance gives
for the packets loaded one by one, at every band's edge and with figures missing, and as many
statements for one packet as for many."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.balance import balance_figures
from portal.campaigns.models import CategoryKind
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.recommendations import service
from portal.recommendations.dashboard import (
    RECOMMENDED_OR_LATER,
    channel_dashboard,
    citywide_dashboard,
)
from portal.recommendations.models import Recommendation, RecommendationEntry
from tests.factories import district, industry, make_application, make_org, make_user
from tests.querycount import page_statements
from tests.recommendations.helpers import awaiting, quality_channel

INDIVIDUAL = CategoryKind.INDIVIDUAL


def _edges(ch) -> None:
    """Packets at the edge of every band and without one figure or another, ranked by the
    channel, and recommended packets of another district and industry that nobody ranked."""
    teams = [
        awaiting(ch, members=4, women=1, average_age=Decimal(age))[0]
        for age in ("35.0", "35.5", "45.0", "45.1", "55.0", "55.5")
    ]
    teams += awaiting(ch, average_age=None, women_count=None, women_share=None)
    teams += awaiting(ch, member_count=0, women_count=0, women_share=None)
    people = [
        awaiting(ch, kind=INDIVIDUAL, age=age, female=female)[0]
        for age, female in ((35, True), (36, False), (45, None), (46, True), (55, False))
    ]
    people += awaiting(ch, kind=INDIVIDUAL, age=56, female=True)
    people += awaiting(ch, kind=INDIVIDUAL, age=None, female=None)
    submit = service.submit_recommendation
    session = get_session()
    submit(session, ch.reviewer, ch.campaign, ch.team, [t.id for t in teams], "同意")
    submit(session, ch.reviewer, ch.campaign, ch.individual, [p.id for p in people], "同意")
    unit = make_org(OrgKind.ENTERPRISE, district=district("xuhui"), industry=industry("railway"))
    for age in ("30.0", "60.0"):
        make_application(
            ApplicationState.ACCEPTED,
            campaign=ch.campaign,
            organization=unit,
            average_age=Decimal(age),
        )


def _loaded(session, where) -> list[Application]:
    return list(
        session.scalars(
            sa.select(Application)
            .where(where)
            .order_by(Application.id)
            .options(
                selectinload(Application.category),
                selectinload(Application.district),
                selectinload(Application.industry),
            )
        )
    )


def test_the_citywide_figures_are_those_of_the_packets_one_by_one(session):
    ch = quality_channel()
    _edges(ch)
    campaign = ch.campaign
    apps = _loaded(
        session,
        sa.and_(
            Application.campaign_id == campaign.id, Application.state.in_(RECOMMENDED_OR_LATER)
        ),
    )
    ranked = set(
        session.scalars(sa.select(RecommendationEntry.application_id).join(Recommendation))
    )
    systems = {a.id: ch.organization.system for a in apps if a.id in ranked}
    board = citywide_dashboard(session, campaign)
    assert board.overall.figures == balance_figures(apps, systems)
    assert board.overall.figures.total == 17
    [own] = board.by_channel
    assert own.figures == balance_figures([a for a in apps if a.id in ranked])
    for section in board.by_category:
        alike = [a for a in apps if a.category_id == section.category.id]
        assert section.figures == balance_figures(alike)


def test_the_channel_figures_are_those_of_its_ranked_packets_one_by_one(session):
    ch = quality_channel()
    _edges(ch)
    ranked = _loaded(
        session,
        Application.id.in_(sa.select(RecommendationEntry.application_id)),
    )
    board = channel_dashboard(session, ch.organization, ch.campaign)
    systems = dict.fromkeys((a.id for a in ranked), ch.organization.system)
    assert board.overall.figures == balance_figures(ranked, systems)
    assert board.overall.figures.total == 15


def test_the_balance_pages_send_as_many_statements_for_one_packet_as_for_many(
    app, client, login, session
):
    ch = quality_channel()
    [one] = awaiting(ch)
    service.submit_recommendation(session, ch.reviewer, ch.campaign, ch.team, [one.id], "同意")
    session.commit()
    office = make_user(Role.OFFICE)
    session.commit()
    login(office)
    citywide = page_statements(app, client, "/balance/")
    login(ch.reviewer)
    channel = page_statements(app, client, "/balance/channel")
    _edges(quality_channel(campaign=ch.campaign, district_code="jingan"))
    session.commit()
    assert page_statements(app, client, "/balance/channel") == channel
    login(office)
    assert page_statements(app, client, "/balance/") == citywide
