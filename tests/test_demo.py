"""The demo seed: realistic, idempotent, every role can log in, and the audit chain holds."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role, User
from portal.audit import AuditEntry
from portal.campaigns.models import Campaign, CampaignStatus
from portal.checks import credit_code_problem
from portal.demo import DEMO_PASSWORD, LOGINS, seed_demo
from portal.organizations.models import ChannelLevel, Organization, OrgKind

TODAY = date(2026, 9, 1)


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def seeded(session):
    return seed_demo(today=TODAY)


def test_demo_creates_the_programme_bodies(session, seeded):
    orgs = session.scalars(sa.select(Organization)).all()
    by_kind = {kind: [o for o in orgs if o.kind is kind] for kind in OrgKind}
    assert sorted(o.name for o in by_kind[OrgKind.ORGANIZER]) == sorted(
        ["上海市质量协会", "上海市总工会", "共青团上海市委员会", "上海市妇女联合会"]
    )
    [office] = by_kind[OrgKind.OFFICE]
    assert (office.name, office.parent.name) == ("市创建活动工作办公室", "上海市质量协会")
    channels = by_kind[OrgKind.CHANNEL]
    district_channels = [o for o in channels if o.channel_level is ChannelLevel.DISTRICT]
    assert len(district_channels) == 64
    assert {"黄浦区总工会", "共青团黄浦区委员会", "黄浦区妇女联合会", "黄浦区质量协会"} <= {
        o.name for o in district_channels
    }
    assert len([o for o in channels if o.channel_level is ChannelLevel.INDUSTRY]) == 2
    enterprises = by_kind[OrgKind.ENTERPRISE]
    assert len(enterprises) == 8
    assert len({e.industry_id for e in enterprises}) == 8
    assert [credit_code_problem(e.credit_code) for e in enterprises] == [None] * 8


def test_demo_campaigns_2026_open_with_future_deadlines_2025_closed(session, seeded):
    current = session.scalar(sa.select(Campaign).where(Campaign.year == 2026))
    assert current.status is CampaignStatus.OPEN
    assert current.theme == "质量激发工匠精神 满意引领服务升级"
    assert current.application_deadline == datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    assert current.recommendation_deadline == datetime(2026, 10, 6, 9, 0, tzinfo=UTC)
    assert current.review_deadline == datetime(2026, 10, 16, 9, 0, tzinfo=UTC)
    assert [(c.code, c.quota) for c in current.categories] == [("team", 100), ("individual", 100)]
    assert len(current.districts) == 16
    assert len(current.channels) == 66
    last = session.scalar(sa.select(Campaign).where(Campaign.year == 2025))
    assert last.status is CampaignStatus.CLOSED
    assert [
        e.action
        for e in session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "campaign", AuditEntry.object_id == str(last.id))
            .order_by(AuditEntry.id)
        )
    ] == ["campaign.create", "campaign.open", "campaign.close"]


def test_seeding_twice_changes_nothing_and_prints_the_logins_again(session, seeded):
    counts = {m: count(session, m) for m in (Organization, User, Campaign, AuditEntry)}
    again = seed_demo(today=TODAY)
    assert {m: count(session, m) for m in counts} == counts
    assert again[0] == "Demo data already present; nothing changed."
    assert again[1:] == seeded[1:]
    assert (
        seeded[0] == f"Demo data created ({counts[Organization] + counts[User] + 2} new records)."
    )


def test_there_is_a_login_line_for_every_role(seeded):
    roles = {line.split()[0] for line in seeded[2 : 2 + len(LOGINS)]}
    assert roles == {r.value for r in Role}
    assert len(seeded) == 2 + len(LOGINS) + 1  # and a certificate code to verify
    assert seeded[2].split() == [
        "enterprise",
        "qiye@demo.example.com",
        DEMO_PASSWORD,
        "申城第一百货商店有限公司",
    ]


@pytest.mark.parametrize("login", LOGINS, ids=[x.email for x in LOGINS])
def test_every_demo_login_authenticates(seeded, client, login):
    response = client.post("/login", data={"email": login.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "/login" not in response.headers["Location"]


def test_audit_chain_is_valid_and_the_demo_is_by_system(session, seeded):
    result = audit.verify(session)
    assert result.ok
    assert result.checked == count(session, AuditEntry)
    creations = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action.in_(["organization.create", "user.create"]))
    ).all()
    assert {e.actor_label for e in creations} == {"system"}
    assert len(creations) == count(session, Organization) + count(session, User)


def test_every_panel_has_enough_experts_who_can_log_in_and_no_packet_lacks_a_panel(session, seeded):
    from portal.scoring.assignment import packets_without_panel
    from portal.scoring.models import Assignment, AssignmentStatus, Panel

    logins = {login.email for login in LOGINS if login.role is Role.EXPERT}
    for campaign in session.scalars(sa.select(Campaign)):
        for panel in session.scalars(sa.select(Panel).where(Panel.campaign_id == campaign.id)):
            can_score = [e for e in panel.members if e.active and e.user and e.email in logins]
            assert len(can_score) >= campaign.experts_per_packet, panel.name
        assert packets_without_panel(session, campaign) == [], campaign.year
    active = session.scalars(
        sa.select(Assignment).where(Assignment.status == AssignmentStatus.ACTIVE)
    ).all()
    assert len(active) >= 4 * 5
    assert {a.expert.user.email for a in active} <= logins


PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def _one_decimal_percents(text: str) -> list[str]:
    """Every percentage in the text that is not written with exactly one decimal."""
    return [m for m in PERCENT.findall(text) if not re.fullmatch(r"\d{1,3}\.\d", m)]


def test_demo_packets_hold_figures_consistent_with_their_rows(session, seeded):
    from portal.applications.models import Application
    from portal.balance import percent

    packets = session.scalars(sa.select(Application).order_by(Application.id)).all()
    teams = [a for a in packets if a.team_name]
    assert len(teams) >= 10
    for a in teams:
        names = [m.name for m in a.members]
        assert a.member_count == len(a.members) >= 3, a.team_name
        assert a.women_count == sum(m.female for m in a.members), a.team_name
        assert a.women_share == percent(a.women_count, a.member_count), a.team_name
        assert a.leader_name and a.leader_name in names, a.team_name
        overview = rf"成员{a.member_count}名.*女职工{a.women_count}名，占{a.women_share}%"
        assert re.search(overview, a.narrative), a.team_name
        snapshot = a.versions[0].snapshot
        assert len(snapshot["members"]) == a.member_count
        assert snapshot["form"]["team"]["women_share"] == str(a.women_share)
    for a in packets:
        assert a.narrative and a.deeds_summary, a.title
        assert a.title in a.narrative, a.title
        assert _one_decimal_percents(a.narrative + a.deeds_summary) == [], a.title
        assert all(float(p) <= 100 for p in PERCENT.findall(a.narrative)), a.title


def test_demo_pages_print_every_share_with_one_decimal(session, seeded, client):
    from portal.applications.models import Application

    client.post("/login", data={"email": "bangongshi@demo.example.com", "password": DEMO_PASSWORD})
    packets = session.scalars(
        sa.select(Application).where(Application.team_name.is_not(None)).order_by(Application.id)
    ).all()
    pages = [f"/applications/{a.id}/versions/1" for a in packets] + ["/balance/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert _one_decimal_percents(page) == [], url
    shown = client.get(f"/applications/{packets[0].id}/versions/1").get_data(as_text=True)
    assert f"({packets[0].women_share}%)" in shown
