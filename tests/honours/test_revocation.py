"""Revocation: the office proposes, all four organizers approve or any one refuses."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.honours import revocation, rules, service
from portal.honours.errors import HonourError
from portal.honours.models import HonourStatus, ProposalState
from portal.honours.workflow import REVOCATION_WORKFLOW
from portal.notice.service import ORGANIZER_SYSTEMS
from portal.organizations.models import OrgKind, OrgSystem
from tests.factories import make_org, make_user
from tests.honours.helpers import four_organizers, make_honour, proposal_for
from tests.notice.helpers import SYSTEM_NAMES


@pytest.fixture
def organizers(session):
    users = four_organizers()
    return [users[s] for s in ORGANIZER_SYSTEMS]


def test_three_approvals_leave_the_proposal_open_the_fourth_revokes(session, organizers):
    honour = make_honour()
    proposal = proposal_for(honour, reason="暗访发现拒绝服务，经查属实")
    for organizer in organizers[:3]:
        revocation.decide_revocation(session, proposal, organizer, approve=True)
    assert proposal.state is ProposalState.PROPOSED
    assert honour.revoked_at is None
    revocation.decide_revocation(session, proposal, organizers[3], approve=True)
    assert proposal.state is ProposalState.APPROVED
    assert proposal.decided_at is not None
    assert honour.revoked_at is not None
    assert honour.revocation_reason == "暗访发现拒绝服务，经查属实"
    assert honour.status_on(rules.shanghai_today()) is HonourStatus.REVOKED
    assert service.revoked_honours(session) == [honour]


def test_one_refusal_with_a_reason_ends_the_proposal(session, organizers):
    honour = make_honour()
    proposal = proposal_for(honour)
    revocation.decide_revocation(session, proposal, organizers[0], approve=True)
    revocation.decide_revocation(
        session, proposal, organizers[1], approve=False, reason="投诉系误会，已和解"
    )
    assert proposal.state is ProposalState.REFUSED
    assert honour.revoked_at is None
    with pytest.raises(HonourError) as err:
        revocation.decide_revocation(session, proposal, organizers[2], approve=True)
    assert err.value.key == "not_open"


def test_a_refusal_needs_a_reason(session, organizers):
    proposal = proposal_for(make_honour())
    with pytest.raises(HonourError) as err:
        revocation.decide_revocation(session, proposal, organizers[0], approve=False, reason=" ")
    assert err.value.key == "reason_required"
    assert proposal.votes == []


def test_an_organization_answers_once(session, organizers):
    proposal = proposal_for(make_honour())
    revocation.decide_revocation(session, proposal, organizers[0], approve=True)
    colleague = make_user(Role.ORGANIZER, organization=organizers[0].organization)
    with pytest.raises(HonourError) as err:
        revocation.decide_revocation(session, proposal, colleague, approve=True)
    assert err.value.key == "already_decided"


def test_only_approvers_of_the_four_organizers_decide(session, organizers):
    proposal = proposal_for(make_honour())
    stranger = make_user(Role.ORGANIZER, organization=make_org(OrgKind.ORGANIZER))
    with pytest.raises(HonourError) as err:
        revocation.decide_revocation(session, proposal, stranger, approve=True)
    assert err.value.key == "not_an_organizer"
    with pytest.raises(HonourError) as err:
        revocation.decide_revocation(session, proposal, make_user(Role.OFFICE), approve=True)
    assert err.value.key == "not_allowed"


def test_no_revocation_while_an_organizer_is_missing(session):
    users = {}
    for system in (OrgSystem.QUALITY, OrgSystem.UNION, OrgSystem.YOUTH):
        org = make_org(OrgKind.ORGANIZER, system=system, name=SYSTEM_NAMES[system.value])
        users[system] = make_user(Role.ORGANIZER, organization=org)
    honour = make_honour()
    proposal = proposal_for(honour)
    for user in users.values():
        revocation.decide_revocation(session, proposal, user, approve=True)
    assert proposal.state is ProposalState.PROPOSED
    assert honour.revoked_at is None


def test_only_an_active_honour_without_an_open_proposal_can_be_proposed(session, organizers):
    honour = make_honour()
    proposal_for(honour)
    with pytest.raises(HonourError) as err:
        proposal_for(honour)
    assert err.value.key == "proposal_open"
    revoked = make_honour(revoked_on=rules.shanghai_today())
    with pytest.raises(HonourError) as err:
        proposal_for(revoked)
    assert err.value.key == "not_active"


def test_the_office_withdraws_a_proposal_with_a_reason(session):
    office = make_user(Role.OFFICE)
    proposal = proposal_for(make_honour(), office=office)
    with pytest.raises(HonourError):
        revocation.withdraw_proposal(session, proposal, office, reason="")
    revocation.withdraw_proposal(session, proposal, office, reason="提交有误")
    assert proposal.state is ProposalState.WITHDRAWN


def test_the_revocation_is_audited_step_by_step(session, organizers):
    proposal = proposal_for(make_honour())
    for organizer in organizers:
        revocation.decide_revocation(session, proposal, organizer, approve=True)
    actions = session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.action.like("revocation.%") | (AuditEntry.action == "honour.revoke"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "revocation.propose",
        *["revocation.vote_approve"] * 4,
        "revocation.approve",
        "honour.revoke",
    ]


def test_the_revocation_workflow_declares_who_makes_each_move():
    table = {
        (a.value, b.value): (t.name, sorted(r.value for r in t.by), t.needs_reason)
        for (a, b), t in REVOCATION_WORKFLOW.transitions.items()
    }
    assert table == {
        ("proposed", "approved"): ("approve", ["organizer"], False),
        ("proposed", "refused"): ("refuse", ["organizer"], True),
        ("proposed", "withdrawn"): ("withdraw", ["office"], True),
    }


def test_the_approval_move_is_refused_until_all_four_approved(session, organizers):
    proposal = proposal_for(make_honour())
    with pytest.raises(HonourError) as refused:
        REVOCATION_WORKFLOW.fire(session, proposal, ProposalState.APPROVED, actor=organizers[0])
    assert refused.value.refusal.code == "honour.approvals_missing"


def test_a_refused_move_leaves_the_columns_that_go_with_it_unchanged(session, organizers):
    from portal.db import utcnow

    proposal = proposal_for(make_honour())
    with pytest.raises(HonourError, match="Not all four organizers have approved yet."):
        REVOCATION_WORKFLOW.fire(
            session,
            proposal,
            ProposalState.APPROVED,
            actor=organizers[0],
            changes={"decided_at": utcnow()},
        )
    assert proposal.decided_at is None
    assert proposal.state is ProposalState.PROPOSED
    session.flush()  # the row still satisfies "proposed has no decision time"


def test_organizers_decide_through_the_honour_page(client, login, session, organizers):
    honour = make_honour()
    proposal = proposal_for(honour)
    session.flush()
    login(organizers[0])
    page = client.get(f"/honours/{honour.id}").get_data(as_text=True)
    assert 'data-testid="decision-form"' in page
    response = client.post(
        f"/honours/proposals/{proposal.id}/decision",
        data={"decision": "refuse", "reason": ""},
        follow_redirects=True,
    )
    assert "Give the reason." in response.get_data(as_text=True)
    client.post(f"/honours/proposals/{proposal.id}/decision", data={"decision": "approve"})
    page = client.get(f"/honours/{honour.id}").get_data(as_text=True)
    assert 'data-testid="decision-form"' not in page
    assert f"{organizers[0].organization.name}: approved" in page
