"""A campaign's status: what keeps it from opening, CAMPAIGN_WORKFLOW and change_status."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, object_session

import portal.campaigns.errors  # noqa: F401  (registers the campaign refusals)
from portal.campaigns.models import Campaign, CampaignStatus, StageSystem
from portal.campaigns.structure import RUBRIC_TOTAL, criteria_total, total_message
from portal.labels import label
from portal.refusals import Refusal
from portal.roles import Role
from portal.workflow import TransitionRefused, Workflow, allow


def readiness_problems(c: Campaign) -> list[object]:
    """What keeps a campaign from opening; empty when it may open."""
    problems: list[object] = []
    if not c.categories:
        problems.append(_l("Add at least one category before opening the campaign."))
    if not c.stages:
        problems.append(_l("The review chain has no stages; it must end with the office stage."))
    else:
        last = max(s.position for s in c.stages)
        last_systems = {s.system for s in c.stages if s.position == last}
        if last_systems != {StageSystem.OFFICE}:
            problems.append(
                _l("The review chain must end with the programme office stage, on its own.")
            )
    total = criteria_total(c.rubric)
    if total != RUBRIC_TOTAL:
        problems.append(total_message(total))
    return problems


def _one_open_campaign(c: Campaign, current, target, actor, _now) -> Refusal | None:
    if target is not CampaignStatus.OPEN:
        return None
    session = object_session(c)
    if session is None:  # a campaign being opened has been loaded, so it has a session
        raise RuntimeError(f"campaign {c.id} is not in a session")
    other = session.scalar(
        sa.select(Campaign.year).where(Campaign.status == CampaignStatus.OPEN, Campaign.id != c.id)
    )
    if other is not None:
        return Refusal("campaign.another_open", {"year": other})
    problems = readiness_problems(c)
    return Refusal("campaign.not_ready", {"problems": tuple(problems)}) if problems else None


CAMPAIGN_WORKFLOW = Workflow(
    "campaign",
    "status",
    {
        (CampaignStatus.DRAFT, CampaignStatus.OPEN): allow("open", Role.OFFICE),
        (CampaignStatus.OPEN, CampaignStatus.CLOSED): allow("close", Role.OFFICE),
        (CampaignStatus.CLOSED, CampaignStatus.OPEN): allow(
            "reopen", Role.OFFICE, needs_reason=True
        ),
        (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED): allow("archive", Role.OFFICE),
    },
    guards=[_one_open_campaign],
)


def change_status(
    session: Session, actor, c: Campaign, target: CampaignStatus, reason: str = ""
) -> None:
    """Move the campaign through CAMPAIGN_WORKFLOW (one audit entry), or raise TransitionRefused
    with a message fit for the user."""
    t = CAMPAIGN_WORKFLOW.transition_for(c.status, target)
    if t is None:
        current, wanted = label(c.status), label(target)
        raise TransitionRefused(
            Refusal("campaign.move_not_allowed", {"current": current, "target": wanted})
        )
    if actor is None or actor.role not in t.by:
        raise TransitionRefused(Refusal("campaign.office_only"))
    if t.needs_reason and not reason.strip():
        raise TransitionRefused(Refusal("campaign.reason_required"))
    CAMPAIGN_WORKFLOW.fire(session, c, target, actor=actor, reason=reason.strip())
