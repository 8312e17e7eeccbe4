"""The balance dashboard per channel and citywide, against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.balance import AgeBand
from portal.campaigns.models import CategoryKind
from portal.organizations.models import OrgSystem
from portal.recommendations import service
from portal.recommendations.dashboard import channel_dashboard, citywide_dashboard
from tests.accounts.helpers import english, text
from tests.factories import make_user
from tests.recommendations.helpers import awaiting, quality_channel

S = ApplicationState
TEAM, INDIVIDUAL = CategoryKind.TEAM, CategoryKind.INDIVIDUAL


def _two_channels(session):
    """Huangpu recommends 2 teams and a young woman; Xuhui an older team and a man of 45."""
    huangpu = quality_channel(target_women_share=Decimal("50"), target_young_share=Decimal("40"))
    campaign = huangpu.campaign
    xuhui = quality_channel(campaign=campaign, district_code="xuhui")
    [t1] = awaiting(huangpu, members=10, women=4, average_age=Decimal("33.5"))
    [t2] = awaiting(huangpu, members=5, women=3, average_age=Decimal("40.0"))
    [p1] = awaiting(huangpu, kind=INDIVIDUAL, female=True, age=29)
    [left_out] = awaiting(huangpu, kind=INDIVIDUAL, female=True, age=25)
    [t3] = awaiting(xuhui, members=20, women=2, average_age=Decimal("50.0"))
    [p2] = awaiting(xuhui, kind=INDIVIDUAL, female=False, age=45)
    [waiting] = awaiting(xuhui, members=3, women=3, average_age=Decimal("30.0"))
    submit = service.submit_recommendation
    submit(session, huangpu.reviewer, campaign, huangpu.team, [t1.id, t2.id], "同意")
    submit(session, huangpu.reviewer, campaign, huangpu.individual, [p1.id], "同意")
    submit(session, xuhui.reviewer, campaign, xuhui.individual, [p2.id], "同意")
    # Xuhui's team ranking is saved but not submitted: t3 and `waiting` still await it.
    service.save_ranking(session, xuhui.reviewer, campaign, xuhui.team, [t3.id], "")
    assert left_out.state is S.NOT_RECOMMENDED
    return huangpu, xuhui, (t1, t2, p1, t3, p2, waiting)


def test_citywide_figures_count_every_packet_recommended_or_later(session):
    huangpu, xuhui, (t1, t2, p1, t3, p2, waiting) = _two_channels(session)
    t1.state = S.ACCEPTED  # later states still count
    session.flush()
    board = citywide_dashboard(session, huangpu.campaign)
    f = board.overall.figures
    # t1, t2, p1 (Huangpu) and p2 (Xuhui): people 10 + 5 + 1 + 1 = 17, women 4 + 3 + 1 = 8
    assert (f.total, f.teams, f.individuals) == (4, 2, 2)
    assert (f.people, f.women, f.women_share) == (17, 8, Decimal("47.1"))
    # ages 33.5, 40.0, 29, 45: two of four are 35 or under
    assert f.age_bands[AgeBand.UP_TO_35] == 2 and f.age_bands[AgeBand.FROM_36_TO_45] == 2
    assert f.young_share == Decimal("50.0")
    assert [(c.item.code, c.count) for c in f.by_district] == [("huangpu", 3), ("xuhui", 1)]
    assert [(c.item, c.count) for c in f.by_system] == [(OrgSystem.QUALITY, 4)]
    # Women 47.1 % is below the 50 % target; 50 % young meets 40 %.
    assert [(s.target, s.wanted, s.reached) for s in board.overall.shortfalls] == [
        ("women_share", Decimal("50"), Decimal("47.1"))
    ]
    by_channel = {s.organization.id: s for s in board.by_channel}
    h, x = by_channel[huangpu.organization.id], by_channel[xuhui.organization.id]
    assert (h.figures.total, h.figures.women_share, h.figures.young_share) == (
        3,
        Decimal("50.0"),  # 8 of 16
        Decimal("66.7"),  # 2 of 3
    )
    assert h.shortfalls == []
    assert (x.figures.total, x.figures.women_share, x.figures.young_share) == (
        1,
        Decimal("0.0"),
        Decimal("0.0"),
    )
    assert [s.target for s in x.shortfalls] == ["women_share", "young_share"]
    assert [(s.category.kind, s.figures.total) for s in board.by_category] == [
        (TEAM, 2),
        (INDIVIDUAL, 2),
    ]


def test_the_channel_figures_cover_its_ranked_packets_saved_or_submitted(session):
    _huangpu, xuhui, (*_, t3, p2, waiting) = _two_channels(session)
    board = channel_dashboard(session, xuhui.organization, xuhui.campaign)
    f = board.overall.figures
    # t3 (saved ranking: 20 members, 2 women, 50.0) and p2 (submitted: a man of 45)
    assert (f.total, f.people, f.women, f.women_share) == (2, 21, 2, Decimal("9.5"))
    assert f.young_share == Decimal("0.0")
    assert board.awaiting == 2  # t3 and `waiting` are still channel_approved
    assert [s.target for s in board.overall.shortfalls] == ["women_share", "young_share"]


def test_the_citywide_page_warns_of_a_channel_below_target(client, login, session):
    huangpu, xuhui, _packets = _two_channels(session)
    session.commit()
    login(make_user(Role.ORGANIZER))
    english(client)
    page = text(client.get("/balance/"))
    assert "Share of women 47.1% is below the target of 50.0%." in page
    assert "8 of 17 people" in page
    row = page[page.index(xuhui.organization.name) :].split("</tr>")[0]
    assert "below the women target; below the age target" in row
    row = page[page.index(huangpu.organization.name) :].split("</tr>")[0]
    assert ">met<" in row


def test_the_channel_page_shows_its_own_figures(client, login, session):
    _huangpu, xuhui, _packets = _two_channels(session)
    session.commit()
    login(xuhui.reviewer)
    english(client)
    page = text(client.get("/balance/channel"))
    assert "2 applications still await your ranking." in page
    assert "9.5% (2 of 21 people)" in page
    assert "Share aged 35 or under 0.0% is below the target of 40.0%." in page
