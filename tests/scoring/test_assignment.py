"""Automatic assignment balances load deterministically; reserves and reassignment."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.scoring import assignment as assigning
from portal.scoring.errors import Refused
from portal.scoring.models import AssignmentStatus, ScoreSheet, WithdrawalKind
from tests.factories import make_campaign, make_org
from tests.scoring.helpers import accepted, make_expert, make_panel, office_user


@pytest.fixture
def setting(app):
    campaign = make_campaign(year=2311, experts_per_packet=2, reserves_per_packet=1)
    experts = [make_expert(f"专家{i}") for i in range(1, 5)]
    panel = make_panel(campaign, experts)
    packets = [accepted(campaign) for _ in range(4)]
    return campaign, experts, panel, packets


def _table(panel):
    """{packet index: (active expert numbers, reserve expert numbers)} for readable asserts."""
    by_packet = assigning.panel_assignments(get_session(), panel)
    names = {}
    for rows in by_packet.values():
        for a in rows:
            names[a.expert_id] = int(a.expert.name[-1])
    table = []
    for app_id in sorted(by_packet):
        rows = by_packet[app_id]
        table.append(
            (
                [names[a.expert_id] for a in rows if a.status is AssignmentStatus.ACTIVE],
                [names[a.expert_id] for a in rows if a.status is AssignmentStatus.RESERVE],
            )
        )
    return table


def test_least_loaded_experts_first_ties_by_id(setting):
    _campaign, _experts, panel, _packets = setting
    result = assigning.auto_assign(get_session(), None, panel)
    assert result.created == 12
    assert result.short == []
    # Worked by hand: loads (active, then reserve) stay within one of each other.
    assert _table(panel) == [
        ([1, 2], [3]),
        ([3, 4], [1]),
        ([1, 2], [4]),
        ([3, 4], [2]),
    ]
    loads = assigning.loads(get_session(), panel.campaign_id)
    assert {e: (ld.active, ld.reserve) for e, ld in loads.items()} == {
        e.id: (2, 1) for e in _experts
    }
    assert get_session().scalar(sa.select(sa.func.count()).select_from(ScoreSheet)) == 8


def test_running_automatic_assignment_again_adds_nothing(setting):
    panel = setting[2]
    assigning.auto_assign(get_session(), None, panel)
    again = assigning.auto_assign(get_session(), None, panel)
    assert again.created == 0
    audit = (
        get_session()
        .scalars(sa.select(AuditEntry.action).where(AuditEntry.action == "scoring.auto_assign"))
        .all()
    )
    assert audit == ["scoring.auto_assign"]


def test_inactive_expert_gets_no_new_packets(setting):
    _campaign, experts, panel, _packets = setting
    experts[0].active = False
    assigning.auto_assign(get_session(), None, panel)
    assert all(1 not in active + reserve for active, reserve in _table(panel))


def test_withdrawn_assignment_goes_to_the_packets_reserve(setting):
    _campaign, experts, panel, packets = setting
    assigning.auto_assign(get_session(), None, panel)
    first = assigning.panel_assignments(get_session(), panel)[packets[0].id][0]
    assert first.expert == experts[0]
    assigning.withdraw(
        get_session(), experts[0].user, experts[0], first, WithdrawalKind.ABSTAIN, "曾任顾问"
    )
    assert first.sheet is None
    successor = assigning.reassign(get_session(), office_user(), first)
    assert successor.expert == experts[2]  # the reserve of packet 1
    assert successor.status is AssignmentStatus.ACTIVE
    assert successor.sheet is not None
    assert first.status is AssignmentStatus.RELEASED
    assert _table(panel)[0] == ([2, 3], [])
    actions = get_session().scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-4:] == [
        "assignment.withdraw",
        "sheet.discard",
        "assignment.promote",
        "assignment.reassign",
    ]


def test_without_reserve_the_least_loaded_eligible_member_takes_over(app):
    campaign = make_campaign(year=2312, experts_per_packet=1, reserves_per_packet=0)
    busy, idle, spare = (make_expert(f"专家{i}") for i in (1, 2, 3))
    panel = make_panel(campaign, [busy, idle, spare])
    apps = [accepted(campaign) for _ in range(3)]
    assigning.auto_assign(get_session(), None, panel)
    assert _table(panel) == [([1], []), ([2], []), ([3], [])]
    extra = accepted(campaign)
    assigning.assign_expert(get_session(), None, panel, extra, idle)
    third = assigning.panel_assignments(get_session(), panel)[apps[2].id][0]
    assigning.withdraw(get_session(), spare.user, spare, third, WithdrawalKind.CONFLICT, "同一集团")
    # busy has 1 active, idle 2: busy takes it (spare declared and is excluded).
    assert assigning.reassign(get_session(), office_user(), third).expert == busy


def test_office_may_name_the_successor_but_not_a_conflicted_one(setting):
    _campaign, experts, panel, packets = setting
    unit_expert = make_expert("专家5", organization=packets[0].organization)
    panel.members.append(unit_expert)
    a = assigning.assign_expert(get_session(), None, panel, packets[0], experts[0])
    assigning.withdraw(
        get_session(), experts[0].user, experts[0], a, WithdrawalKind.CONFLICT, "本单位"
    )
    with pytest.raises(Refused) as err:
        assigning.reassign(get_session(), office_user(), a, unit_expert)
    assert err.value.key == "conflict_own"
    assert assigning.reassign(get_session(), office_user(), a, experts[3]).expert == experts[3]


def test_no_eligible_expert_left_is_refused(app):
    campaign = make_campaign(year=2313, experts_per_packet=1, reserves_per_packet=0)
    only = make_expert("专家1")
    panel = make_panel(campaign, [only])
    app = accepted(campaign)
    a = assigning.assign_expert(get_session(), None, panel, app, only)
    assigning.withdraw(get_session(), only.user, only, a, WithdrawalKind.ABSTAIN, "出差")
    with pytest.raises(Refused) as err:
        assigning.reassign(get_session(), office_user(), a)
    assert err.value.key == "no_eligible_expert"
    assert a.status is AssignmentStatus.WITHDRAWN


def test_only_accepted_packets_of_the_panels_industry_can_be_assigned(setting):
    from portal.applications.models import ApplicationState
    from tests.factories import industry, make_application

    campaign, experts, panel, _packets = setting
    recommended = make_application(ApplicationState.RECOMMENDED, campaign=campaign)
    hotel = make_org(OrgKind.ENTERPRISE, industry=industry("hotels"))
    other_industry = accepted(campaign, hotel)
    for app, key in ((recommended, "not_accepted"), (other_industry, "wrong_industry")):
        with pytest.raises(Refused) as err:
            assigning.assign_expert(get_session(), None, panel, app, experts[0])
        assert err.value.key == key


def test_a_locked_sheet_blocks_withdrawal(setting):
    from portal.scoring import sheets

    campaign, experts, panel, packets = setting
    a = assigning.assign_expert(get_session(), None, panel, packets[0], experts[0])
    sheets.accept_pledge(get_session(), None, experts[0], campaign)
    entries = {line.rubric_item.code: "10" for line in a.sheet.items if line.score is None}
    entries = {
        k: v
        for k, v in entries.items()
        if k in {"idea", "standards", "skills", "innovation", "results", "impact"}
    }
    sheets.save_sheet(get_session(), None, experts[0], a.sheet, entries)
    sheets.lock_sheet(get_session(), experts[0].user, experts[0], a.sheet)
    with pytest.raises(Refused) as err:
        assigning.withdraw(
            get_session(), experts[0].user, experts[0], a, WithdrawalKind.ABSTAIN, "迟了"
        )
    assert err.value.key == "sheet_locked"
