"""The campaign status table: every allowed move, every refusal, and the guards."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.campaigns import workflow
from portal.campaigns.models import CampaignStatus, StageSystem
from portal.campaigns.workflow import CAMPAIGN_WORKFLOW
from portal.workflow import TransitionRefused
from tests.factories import make_campaign, make_user

S = CampaignStatus
EXPECTED_TABLE = {
    (S.DRAFT, S.OPEN): "open",
    (S.OPEN, S.CLOSED): "close",
    (S.CLOSED, S.OPEN): "reopen",
    (S.CLOSED, S.ARCHIVED): "archive",
}
ALL_PAIRS = [(a, b) for a, b in itertools.product(S, S) if a is not b]


def test_the_declared_table_is_the_expected_one():
    assert {pair: t.name for pair, t in CAMPAIGN_WORKFLOW.transitions.items()} == EXPECTED_TABLE
    assert all(t.by == frozenset({Role.OFFICE}) for t in CAMPAIGN_WORKFLOW.transitions.values())
    assert [p for p, t in CAMPAIGN_WORKFLOW.transitions.items() if t.needs_reason] == [
        (S.CLOSED, S.OPEN)
    ]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("pair", ALL_PAIRS, ids=[f"{a}-{b}" for a, b in ALL_PAIRS])
def test_every_pair_for_every_role(session, pair, role):
    source, target = pair
    campaign = make_campaign(year=2027, status=source)
    actor = make_user(role)
    allowed = pair in EXPECTED_TABLE and role is Role.OFFICE
    if allowed:
        workflow.change_status(session, actor, campaign, target, reason="重新开放以补录材料")
        assert campaign.status is target
        entry = session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert entry.action == f"campaign.{EXPECTED_TABLE[pair]}"
        assert entry.actor_id == actor.id
        assert entry.before == {"status": source.value}
        assert entry.after == {"status": target.value}
        assert audit.verify(session).ok
    else:
        with pytest.raises(TransitionRefused):
            workflow.change_status(session, actor, campaign, target, reason="理由")
        # The choke point itself refuses too, whatever a caller checked before.
        with pytest.raises(TransitionRefused):
            CAMPAIGN_WORKFLOW.fire(session, campaign, target, actor=actor, reason="理由")
        assert campaign.status is source
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def refusal(session, campaign, target, reason="") -> str:
    office = make_user(Role.OFFICE)
    with pytest.raises(TransitionRefused) as refused:
        workflow.change_status(session, office, campaign, target, reason=reason)
    return str(refused.value)


def test_only_one_campaign_is_open_at_a_time(session, english):
    make_campaign(year=2026, status=S.OPEN)
    draft = make_campaign(year=2027, status=S.DRAFT)
    closed = make_campaign(year=2025, status=S.CLOSED)
    expected = "The 2026 campaign is open; close it before opening another one."
    assert refusal(session, draft, S.OPEN) == expected
    assert refusal(session, closed, S.OPEN, reason="补录") == expected
    assert (draft.status, closed.status) == (S.DRAFT, S.CLOSED)


def test_reopening_needs_a_reason(session, english):
    closed = make_campaign(year=2025, status=S.CLOSED)
    assert refusal(session, closed, S.OPEN, reason="  ") == (
        "Give a reason for reopening the campaign."
    )


def test_a_move_not_in_the_table_is_explained(session, english):
    draft = make_campaign(year=2027, status=S.DRAFT)
    assert refusal(session, draft, S.ARCHIVED) == "A campaign that is Draft cannot become Archived."


def test_opening_needs_categories_an_office_ended_chain_and_a_100_point_rubric(session, english):
    draft = make_campaign(year=2027, status=S.DRAFT)
    draft.categories = []
    draft.stages = [s for s in draft.stages if s.system is not StageSystem.OFFICE]
    draft.rubric = [r for r in draft.rubric if r.code != "impact"]  # 10 points gone
    session.flush()
    assert refusal(session, draft, S.OPEN) == (
        "Add at least one category before opening the campaign. "
        "The review chain must end with the programme office stage, on its own. "
        "The scoring criteria add up to 90 points; they must add up to exactly 100."
    )
    assert draft.status is S.DRAFT


def test_office_stage_in_parallel_with_a_channel_does_not_end_the_chain(session, english):
    draft = make_campaign(year=2027, status=S.DRAFT)
    quality = next(s for s in draft.stages if s.system is StageSystem.QUALITY)
    quality.position = 4  # now beside the office stage
    session.flush()
    assert [str(p) for p in workflow.readiness_problems(draft)] == [
        "The review chain must end with the programme office stage, on its own."
    ]
