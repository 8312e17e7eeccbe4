"""Conflicts of interest: own organization, same group, the packet's channels, declared."""

from __future__ import annotations

import pytest

from portal.db import get_session
from portal.organizations.models import OrgKind, OrgSystem
from portal.scoring import assignment as assigning
from portal.scoring.errors import Refused
from portal.scoring.models import AssignmentStatus, WithdrawalKind
from tests.factories import make_campaign, make_org
from tests.scoring.helpers import accepted, make_expert, make_panel, panel_for

YEAR = 2301


@pytest.fixture
def campaign(app):
    return make_campaign(year=YEAR)


def _try(campaign, expert, app):
    panel = panel_for(campaign, expert)
    try:
        assigning.assign_expert(get_session(), None, panel, app, expert)
    except Refused as err:
        return err.key
    return "assigned"


def test_expert_of_the_applying_unit_is_refused(campaign):
    unit = make_org(OrgKind.ENTERPRISE)
    assert (
        _try(campaign, make_expert(organization=unit), accepted(campaign, unit)) == "conflict_own"
    )


def test_expert_whose_organization_shares_the_units_parent_is_refused(campaign):
    group = make_org(OrgKind.OTHER, name="申城集团")
    unit = make_org(OrgKind.ENTERPRISE, parent=group)
    sister = make_org(OrgKind.ENTERPRISE, parent=group)
    assert _try(campaign, make_expert(organization=sister), accepted(campaign, unit)) == (
        "conflict_group"
    )


def test_expert_of_the_units_parent_or_child_is_refused(campaign):
    group = make_org(OrgKind.OTHER)
    unit = make_org(OrgKind.ENTERPRISE, parent=group)
    branch = make_org(OrgKind.OTHER, parent=unit)
    app = accepted(campaign, unit)
    assert _try(campaign, make_expert(organization=group), app) == "conflict_group"
    assert _try(campaign, make_expert(organization=branch), app) == "conflict_group"


def test_expert_of_the_packets_channel_or_its_parent_or_child_is_refused(campaign):
    union = make_org(OrgKind.CHANNEL, system=OrgSystem.UNION)  # the district channel of huangpu
    child = make_org(OrgKind.OTHER, parent=union)
    federation = make_org(OrgKind.ORGANIZER, system=OrgSystem.YOUTH)
    youth = make_org(OrgKind.CHANNEL, system=OrgSystem.YOUTH, parent=federation)
    app = accepted(campaign)
    assert _try(campaign, make_expert(organization=union), app) == "conflict_channel"
    assert _try(campaign, make_expert(organization=child), app) == "conflict_channel"
    assert _try(campaign, make_expert(organization=federation), app) == "conflict_channel"
    assert youth.id != union.id


def test_expert_with_no_tie_is_assigned_and_gets_an_empty_sheet(campaign):
    make_org(OrgKind.CHANNEL, system=OrgSystem.UNION)
    expert = make_expert()
    app = accepted(campaign)
    panel = make_panel(campaign, [expert])
    a = assigning.assign_expert(get_session(), None, panel, app, expert)
    assert a.status is AssignmentStatus.ACTIVE
    assert len(a.sheet.items) == 14
    assert a.sheet.total == 0


def test_declared_conflict_keeps_the_expert_off_the_packet(campaign):
    expert = make_expert()
    app = accepted(campaign)
    panel = make_panel(campaign, [expert])
    a = assigning.assign_expert(get_session(), None, panel, app, expert)
    assigning.withdraw(
        get_session(), expert.user, expert, a, WithdrawalKind.CONFLICT, "亲属在该班组"
    )
    with pytest.raises(Refused) as err:
        assigning.assign_expert(get_session(), None, panel, app, expert)
    assert err.value.key == "conflict_declared"
    assert assigning.conflict(get_session(), expert, app) == "conflict_declared"


def test_automatic_assignment_skips_every_conflicted_expert(campaign):
    group = make_org(OrgKind.OTHER)
    unit = make_org(OrgKind.ENTERPRISE, parent=group)
    channel = make_org(OrgKind.CHANNEL, system=OrgSystem.WOMEN)
    own = make_expert(organization=unit)
    same_group = make_expert(organization=make_org(OrgKind.OTHER, parent=group))
    in_channel = make_expert(organization=channel)
    free = make_expert()
    campaign.experts_per_packet = 4
    campaign.reserves_per_packet = 0
    panel = make_panel(campaign, [own, same_group, in_channel, free])
    app = accepted(campaign, unit)
    result = assigning.auto_assign(get_session(), None, panel)
    assert [a.expert for a in assigning.panel_assignments(get_session(), panel)[app.id]] == [free]
    assert result.created == 1
    assert result.short == [app]
