"""The demo seed: realistic, idempotent, every role can log in, and the audit chain holds."""

from __future__ import annotations

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
